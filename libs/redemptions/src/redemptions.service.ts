import { User } from '@charity/accounts';
import { AuditService } from '@charity/audit';
import {
  assertStoreAccess,
  businessDate,
  DomainError,
  hashRequest,
  BATCHED_DATA_SOURCE,
  readCommittedTransaction,
  StatementBatch,
  type InsertedId,
  IdempotencyKeyReusedError,
  isDuplicateKeyError,
  isLockConflict,
  maskName,
  NotFoundError,
  pageOf,
  skipOf,
  storeScopeOf,
  ValidationFailedError,
  type Actor,
  type BatchedCheck,
  type ErrorCode,
  type Page,
  type PageQuery,
} from '@charity/common';
import { AppConfig } from '@charity/config';
import {
  addDays,
  assertCanSpend,
  cardHolderView,
  CardNotFoundError,
  EXPIRING_SOON_DAYS,
  Household,
  HouseholdInactiveError,
  InsufficientPointsError,
  normalizeCardNumber,
  PointsEntry,
  PointsLedger,
  POINTS_ISOLATION,
  type CardHolderView,
  type PointsPolicy,
  type SpendableGrants,
} from '@charity/households';
import {
  InsufficientStockError,
  Product,
  ProductCategory,
  StockLot,
  StockService,
  UnknownBarcodeError,
  type ConsumedLot,
} from '@charity/inventory';
import { Store } from '@charity/organisation';
import { queueReceiptNumber } from '@charity/receipts';
import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In, type EntityManager } from 'typeorm';
import {
  DeliveryNotPendingError,
  LimitExceededError,
  limitMessage,
  LineValueTooLargeError,
  MAX_LINE_VALUE_FEN,
  RedemptionNotVoidableError,
  type LimitProblem,
} from './redemption-errors';
import { RedemptionLineLot } from './redemption-line-lot.entity';
import { RedemptionLine } from './redemption-line.entity';
import {
  Redemption,
  SPENT_STATUSES,
  type Fulfilment,
  type RedemptionStatus,
} from './redemption.entity';

export const RECEIPT_SERIES = 'DH';

/** Most lines one checkout may carry. */
export const MAX_CART_LINES = 50;

/** Deadlocks and lock timeouts are retried inside the service this many times. */
const CHECKOUT_ATTEMPTS = 4;

export interface CartLine {
  productId?: number;
  barcode?: string;
  quantity: number;
}

export interface Cart {
  storeId: number;
  cardNo: string;
  lines: CartLine[];
  fulfilment?: Fulfilment;
  deliveryAddress?: string | null;
  deliveryNote?: string | null;
  /** A store manager's (or county admin's) reason to let this one checkout past its limits. */
  limitOverrideReason?: string | null;
}

export interface Problem {
  code: ErrorCode;
  message: string;
  details: Record<string, unknown>;
}

export interface QuoteLine {
  /** 1-based position in the request. */
  line: number;
  productId: number | null;
  barcode: string | null;
  name: string | null;
  unit: string | null;
  quantity: number;
  pointPrice: number | null;
  points: number;
  /** Units the store can hand out now (unexpired lots). */
  available: number | null;
  problems: Problem[];
}

/** The household as the till shows it: the head's name masked, with what can be spent today. */
export interface TillHousehold extends CardHolderView {
  spendable: number;
}

function tillHousehold(household: Household, spendable: number): TillHousehold {
  return { ...cardHolderView(household), spendable };
}

export interface Quote {
  household: TillHousehold;
  lines: QuoteLine[];
  pointsTotal: number;
  balanceAfter: number;
  /** Problems of the whole cart (household inactive, not enough points, visits limit). */
  problems: Problem[];
  ok: boolean;
}

export interface RedemptionLineView {
  lineNo: number;
  productId: number;
  name: string;
  unit: string;
  quantity: number;
  pointPrice: number;
  points: number;
  valueFen: number;
  lots: { lotId: number; quantity: number; unitValueFen: number; donationId: number | null }[];
}

export interface RedemptionView {
  id: number;
  receiptNo: string;
  storeId: number;
  householdId: number;
  cardNo: string;
  householdName: string;
  status: RedemptionStatus;
  fulfilment: Fulfilment;
  lines: RedemptionLineView[];
  pointsTotal: number;
  goodsValueFen: number;
  balanceBefore: number;
  balanceAfter: number;
  occurredAt: Date;
  businessDate: string;
  createdBy: number;
  limitOverrideReason: string | null;
  delivery: {
    address: string | null;
    note: string | null;
    receivedBy: string | null;
    deliveredAt: Date | null;
  } | null;
  voidReason: string | null;
  voidedAt: Date | null;
  receiptUrl: string;
}

/** A household's units and checkouts this month, counting what stays spent. */
interface MonthUsage {
  products: Map<number, number>;
  categories: Map<number, number>;
  visits: number;
}

/** One monthly limit and how much of it a household has taken this month. */
export interface AllowanceLimit {
  limit: 'product' | 'category';
  id: number;
  name: string;
  used: number;
  allowed: number;
}

/** What the till shows beside a scanned card before any goods are scanned. */
export interface Allowance {
  household: Quote['household'];
  /** Points that lapse within `withinDays` days, by expiry date. */
  expiringSoon: {
    points: number;
    withinDays: number;
    grants: { expiresOn: string; points: number }[];
  };
  /** The Asia/Shanghai month the usage is counted in (`YYYY-MM`). */
  month: string;
  /** 人次 this month; allowed is null when the policy sets no visits limit. */
  visits: { used: number; allowed: number | null };
  /** Limited products and categories the household has already taken from this month. */
  limits: AllowanceLimit[];
  /** Why no checkout can go through (HOUSEHOLD_INACTIVE), said at the card scan; else null. */
  refusal: Problem | null;
}

export interface CheckoutResult {
  redemption: RedemptionView;
  /** False when an Idempotency-Key replay returned the first result. */
  created: boolean;
}

export interface RedemptionFilter {
  storeId?: number;
  householdId?: number;
  month?: string;
  status?: RedemptionStatus;
  fulfilment?: Fulfilment;
}

/** What the till reads of a store. */
type TillStore = Pick<Store, 'id' | 'code' | 'name' | 'active'>;

/** What the till reads of a product and its category. */
type TillProduct = Pick<
  Product,
  | 'id'
  | 'name'
  | 'categoryId'
  | 'unit'
  | 'barcode'
  | 'internalCode'
  | 'pointPrice'
  | 'monthlyLimitPerHousehold'
  | 'active'
>;
type TillCategory = Pick<ProductCategory, 'id' | 'name' | 'monthlyLimitPerHousehold'>;

type ProductRow = Omit<TillProduct, 'active'> & {
  active: number | boolean;
  categoryName: string;
  categoryLimit: number | null;
  available: string | number;
};

interface ResolvedProduct {
  product: TillProduct;
  category: TillCategory;
  /** Units the store can hand out now (unexpired lots). */
  available: number;
}

/** The till's store, with the redemption its till already made under this key if any. */
type StoreWithEarlier = TillStore & { earlierId: number | null; earlierHash: string | null };

/** A checkout's first round trip (queueCheckoutReads), answered once its batch has run. */
interface CheckoutReads {
  batch: StatementBatch;
  /** Throws if the signed-in user no longer may act (when the api left that check here). */
  assertUser: () => void;
  cardNo: string;
  store: () => StoreWithEarlier | undefined;
  household: () => Household | null;
  cart: () => CartReads;
}

/** What evaluate() needs read from the database (queueCartReads). */
interface CartReads {
  /** Per cart line, in order. */
  resolved: (ResolvedProduct | null)[];
  /** Read for the business date the cart is evaluated on. */
  grants: SpendableGrants;
}

interface Evaluation {
  quote: Quote;
  /** Merged by product, in the order first scanned. */
  items: { product: TillProduct; quantity: number; line: number; available: number }[];
  /** What the household may spend, grant by grant (the checkout draws on these). */
  grants: SpendableGrants;
}

/**
 * 兑换: the till. A quote prices a cart and names every problem without changing anything; a
 * checkout does the same under locks and then, in one transaction, debits the household's points
 * (soonest-expiring grants first), takes the goods FEFO from the store's lots, appends both
 * ledgers and takes the next gapless receipt number. Its round trips do not grow with the cart.
 */
@Injectable()
export class RedemptionsService {
  private readonly logger = new Logger(RedemptionsService.name);

  constructor(
    private readonly dataSource: DataSource,
    /** The checkout's pool: its write batches reach the database in one round trip. */
    @InjectDataSource(BATCHED_DATA_SOURCE) private readonly batched: DataSource,
    private readonly config: AppConfig,
    private readonly ledger: PointsLedger,
    private readonly stock: StockService,
    private readonly audit: AuditService,
  ) {}

  async quote(actor: Actor, cart: Cart): Promise<Quote> {
    assertStoreAccess(actor, cart.storeId);
    const em = this.dataSource.manager;
    if (!(await em.existsBy(Store, { id: cart.storeId }))) {
      throw new NotFoundError('store', cart.storeId);
    }
    const household = await em.findOneBy(Household, { cardNo: normalizeCardNumber(cart.cardNo) });
    if (!household) throw new CardNotFoundError(normalizeCardNumber(cart.cardNo));
    const reads = new StatementBatch();
    const cartReads = this.queueCartReads(reads, cart, { householdId: household.id });
    await reads.run(em);
    return (await this.evaluate(em, actor, household, cart, cartReads())).quote;
  }

  /**
   * The household behind a scanned card as the till shows it: masked name, balance, points about
   * to lapse, and this month's visits and limited goods already taken (county-wide, like limits).
   */
  async allowance(cardNo: string): Promise<Allowance> {
    const em = this.dataSource.manager;
    const card = normalizeCardNumber(cardNo);
    const household = await em.findOneBy(Household, { cardNo: card });
    if (!household) throw new CardNotFoundError(card);
    const today = this.ledger.today();
    const month = today.slice(0, 7);
    const [policy, spendable, usage, expiring] = await Promise.all([
      this.ledger.currentPolicy(em),
      this.ledger.spendable(em, household.id, today),
      this.monthUsage(em, household.id, month),
      em.query<{ expiresOn: string; points: string }[]>(
        `SELECT DATE_FORMAT(expires_on, '%Y-%m-%d') AS expiresOn, SUM(remaining) AS points
           FROM points_grants
          WHERE household_id = ? AND remaining > 0 AND expires_on > ? AND expires_on <= ?
          GROUP BY expires_on ORDER BY expires_on`,
        [household.id, today, addDays(today, EXPIRING_SOON_DAYS)],
      ),
    ]);
    const limits: AllowanceLimit[] = [];
    const productIds = [...usage.products.keys()];
    if (productIds.length > 0) {
      const [products, categories] = await Promise.all([
        em.find(Product, {
          where: { id: In(productIds) },
          select: { id: true, name: true, monthlyLimitPerHousehold: true },
          order: { id: 'ASC' },
        }),
        em.find(ProductCategory, {
          where: { id: In([...usage.categories.keys()]) },
          select: { id: true, name: true, monthlyLimitPerHousehold: true },
          order: { id: 'ASC' },
        }),
      ]);
      for (const product of products) {
        if (product.monthlyLimitPerHousehold === null) continue;
        limits.push({
          limit: 'product',
          id: product.id,
          name: product.name,
          used: usage.products.get(product.id) ?? 0,
          allowed: product.monthlyLimitPerHousehold,
        });
      }
      for (const category of categories) {
        if (category.monthlyLimitPerHousehold === null) continue;
        limits.push({
          limit: 'category',
          id: category.id,
          name: category.name,
          used: usage.categories.get(category.id) ?? 0,
          allowed: category.monthlyLimitPerHousehold,
        });
      }
    }
    const grants = expiring.map((row) => ({
      expiresOn: row.expiresOn,
      points: Number(row.points),
    }));
    return {
      household: tillHousehold(household, spendable),
      expiringSoon: {
        points: grants.reduce((sum, grant) => sum + grant.points, 0),
        withinDays: EXPIRING_SOON_DAYS,
        grants,
      },
      month,
      visits: { used: usage.visits, allowed: policy.monthlyVisitLimit },
      limits,
      refusal: spendRefusal(household, policy),
    };
  }

  /**
   * `userCheck`, when the api's guard left the signed-in user's check to the checkout, rides in
   * the first round trip and runs before anything else is decided.
   */
  async checkout(
    actor: Actor,
    cart: Cart,
    idempotencyKey: string,
    userCheck?: BatchedCheck,
  ): Promise<CheckoutResult> {
    assertStoreAccess(actor, cart.storeId);
    this.assertShape(actor, cart);
    const requestHash = hashRequest(cart);
    // a replay is answered from inside the transaction, by its first read
    for (let attempt = 1; ; attempt += 1) {
      try {
        // READ COMMITTED, as POINTS_ISOLATION; the first reads go with START TRANSACTION
        const reads = this.queueCheckoutReads(cart, idempotencyKey, userCheck);
        const outcome = await readCommittedTransaction(
          this.batched,
          (em) => this.checkoutIn(em, actor, cart, idempotencyKey, requestHash, reads),
          reads.batch,
        );
        return {
          // a new checkout answers from what its transaction wrote; a replay reads it back
          redemption: outcome.view ?? (await this.view(this.dataSource.manager, outcome.id)),
          created: outcome.created,
        };
      } catch (error) {
        // the same key raced in from another request: answer with the one that won
        if (isDuplicateKeyError(error)) {
          const first = await this.replay(cart.storeId, idempotencyKey, requestHash);
          if (first) return { redemption: first, created: false };
        }
        if (isLockConflict(error) && attempt < CHECKOUT_ATTEMPTS) {
          this.logger.warn(`checkout retried after ${String(error)}`);
          continue;
        }
        throw error;
      }
    }
  }

  async get(actor: Actor, id: number): Promise<RedemptionView> {
    const redemption = await this.dataSource.getRepository(Redemption).findOneBy({ id });
    if (!redemption) throw new NotFoundError('redemption', id);
    assertStoreAccess(actor, redemption.storeId);
    return this.view(this.dataSource.manager, id);
  }

  async list(
    actor: Actor,
    filter: RedemptionFilter,
    page: PageQuery,
  ): Promise<Page<RedemptionView>> {
    const qb = this.dataSource.getRepository(Redemption).createQueryBuilder('r');
    const scope = storeScopeOf(actor);
    if (scope !== null) qb.andWhere('r.storeId = :scope', { scope });
    if (filter.storeId !== undefined) qb.andWhere('r.storeId = :storeId', filter);
    if (filter.householdId !== undefined) qb.andWhere('r.householdId = :householdId', filter);
    if (filter.month !== undefined) qb.andWhere('r.businessMonth = :month', filter);
    if (filter.status !== undefined) qb.andWhere('r.status = :status', filter);
    if (filter.fulfilment !== undefined) qb.andWhere('r.fulfilment = :fulfilment', filter);
    const [rows, total] = await qb
      .orderBy('r.id', 'DESC')
      .skip(skipOf(page))
      .take(page.pageSize)
      .getManyAndCount();
    return pageOf(await this.views(this.dataSource.manager, rows), total, page);
  }

  /**
   * 作废: gives the points back to the very grants they came from (with their expiry) and the
   * goods back into the very lots, within the policy's window; the number stays used.
   */
  async void(actor: Actor, id: number, reason: string): Promise<RedemptionView> {
    await this.undo(actor, id, reason, 'voided');
    return this.view(this.dataSource.manager, id);
  }

  /** A delivery that will not happen: reversed exactly like a void. */
  async cancelDelivery(actor: Actor, id: number, reason: string): Promise<RedemptionView> {
    await this.undo(actor, id, reason, 'cancelled');
    return this.view(this.dataSource.manager, id);
  }

  async markDelivered(
    actor: Actor,
    id: number,
    input: { receivedBy: string; deliveredAt?: Date },
  ): Promise<RedemptionView> {
    await this.dataSource.transaction(async (em) => {
      const redemption = await this.lockRedemption(em, actor, id);
      if (redemption.status !== 'awaiting_delivery') throw new DeliveryNotPendingError(redemption);
      const deliveredAt = input.deliveredAt ?? new Date();
      if (deliveredAt.getTime() > Date.now() + 60_000) {
        throw new ValidationFailedError('送达时间不能晚于现在', {
          fields: [{ field: 'deliveredAt', constraints: ['maxDate'], messages: ['in the future'] }],
        });
      }
      await em.update(
        Redemption,
        { id },
        {
          status: 'delivered',
          receivedBy: input.receivedBy,
          deliveredAt,
          deliveredBy: actor.userId,
        },
      );
      await this.audit.record(em, actor, {
        action: 'redemption.deliver',
        entityType: 'redemption',
        entityId: id,
        summary: `兑换单 ${redemption.receiptNo} 已送达（签收人 ${maskName(input.receivedBy)}）`,
        storeId: redemption.storeId,
      });
    });
    return this.view(this.dataSource.manager, id);
  }

  async view(em: EntityManager, id: number): Promise<RedemptionView> {
    const redemption = await em.findOneBy(Redemption, { id });
    if (!redemption) throw new NotFoundError('redemption', id);
    const [view] = await this.views(em, [redemption]);
    if (!view) throw new NotFoundError('redemption', id);
    return view;
  }

  /** Clerk names for receipts. */
  async userNames(em: EntityManager, ids: number[]): Promise<Map<number, string>> {
    const users = ids.length > 0 ? await em.findBy(User, { id: In(ids) }) : [];
    return new Map(users.map((user) => [user.id, user.displayName]));
  }

  /**
   * A checkout's first reads, sent with START TRANSACTION. Plain SQL: the ORM's find cost more CPU
   * than the query. The store comes with what its till already did under this key, so a replay
   * costs one read; the household's lock, the goods and the household's grants come in the same
   * round trip (the grants read after the lock is held).
   */
  private queueCheckoutReads(
    cart: Cart,
    idempotencyKey: string,
    userCheck: BatchedCheck | undefined,
  ): CheckoutReads {
    const cardNo = normalizeCardNumber(cart.cardNo);
    const batch = new StatementBatch();
    const assertUser = userCheck?.(batch) ?? (() => undefined);
    const storeRead = batch.select<StoreWithEarlier>(
      `SELECT s.id, s.code, s.name, s.active, r.id AS earlierId, r.request_hash AS earlierHash
         FROM stores s
         LEFT JOIN redemptions r ON r.store_id = s.id AND r.idempotency_key = ?
        WHERE s.id = ? LIMIT 1`,
      [idempotencyKey, cart.storeId],
    );
    // the household row lock serialises everything one household does
    const household = this.ledger.queueLockByCard(batch, cardNo);
    const cartReads = this.queueCartReads(batch, cart, { cardNo });
    return {
      batch,
      assertUser,
      cardNo,
      store: () => batch.rowsOf(storeRead)[0],
      household,
      cart: cartReads,
    };
  }

  private async checkoutIn(
    em: EntityManager,
    actor: Actor,
    cart: Cart,
    idempotencyKey: string,
    requestHash: string,
    reads: CheckoutReads,
  ): Promise<{ id: number; created: boolean; view?: RedemptionView }> {
    reads.assertUser();
    const { cardNo } = reads;
    const store = reads.store();
    if (store?.earlierId) {
      if (store.earlierHash !== requestHash) throw new IdempotencyKeyReusedError(idempotencyKey);
      return { id: Number(store.earlierId), created: false };
    }
    if (!store) throw new NotFoundError('store', cart.storeId);
    if (!store.active) {
      throw new DomainError('CONFLICT', `门店“${store.name}”已停用，不能兑换`, {
        storeId: store.id,
      });
    }
    const household = reads.household();
    if (!household) throw new CardNotFoundError(cardNo);

    const { quote, items, grants } = await this.evaluate(em, actor, household, cart, reads.cart());
    if (!quote.ok) {
      // The same key may have committed while this request waited for the household lock and
      // left it nothing to spend: then its first result is the answer, not the problem. A race
      // that finds no problem ends at the unique (store, key) index when the redemption is
      // inserted, and checkout() answers it as a replay; either way a checkout reads the key
      // once more only when it would fail.
      const first = await findByKey(em, cart.storeId, idempotencyKey);
      if (first) {
        if (first.requestHash !== requestHash) throw new IdempotencyKeyReusedError(idempotencyKey);
        return { id: first.id, created: false };
      }
      throwFirstProblem(quote);
    }

    const now = new Date();
    const date = businessDate(now, this.config.timeZone);
    // the store's next receipt number and the goods' lots, locked in one round trip (in that
    // order, after the household, as every checkout takes them)
    const locks = new StatementBatch();
    const issued = queueReceiptNumber(locks, RECEIPT_SERIES, store, Number(date.slice(0, 4)));
    const lots = this.stock.queueLotLock(
      locks,
      store.id,
      items.map((item) => item.product.id),
    );
    await locks.run(em);
    const number = await issued(em);
    const delivery = cart.fulfilment === 'delivery';
    // the household's registered address when the clerk gives none
    const address = cart.deliveryAddress ?? household.address;
    if (delivery && !address) {
      throw new ValidationFailedError('上门服务需要填写送货地址（该户未登记地址）', {
        fields: [
          { field: 'deliveryAddress', constraints: ['required'], messages: ['address required'] },
        ],
      });
    }
    const row: Omit<Redemption, 'id'> = {
      receiptNo: number.receiptNo,
      storeId: store.id,
      householdId: household.id,
      householdCategory: household.category,
      status: delivery ? 'awaiting_delivery' : 'completed',
      fulfilment: delivery ? 'delivery' : 'pickup',
      pointsTotal: quote.pointsTotal,
      goodsValueFen: 0,
      balanceBefore: household.balance,
      balanceAfter: household.balance - quote.pointsTotal,
      occurredAt: now,
      businessDate: date,
      businessMonth: date.slice(0, 7),
      createdBy: actor.userId,
      idempotencyKey,
      requestHash,
      limitOverrideReason: cart.limitOverrideReason ?? null,
      limitOverrideBy: cart.limitOverrideReason ? actor.userId : null,
      deliveryAddress: delivery ? address : null,
      deliveryNote: delivery ? (cart.deliveryNote ?? null) : null,
      receivedBy: null,
      deliveredAt: null,
      deliveredBy: null,
      voidReason: null,
      voidedBy: null,
      voidedAt: null,
    };
    // The redemption, the points, the stock, the lines and the audit: one round trip. Plain SQL:
    // the ORM's insert would read the row back for its column defaults.
    const batch = new StatementBatch();
    const inserted = batch.add(
      `INSERT INTO redemptions (receipt_no, store_id, household_id, household_category, status, fulfilment,
          points_total, goods_value_fen, balance_before, balance_after, occurred_at, business_date,
          business_month, created_by, idempotency_key, request_hash, limit_override_reason,
          limit_override_by, delivery_address, delivery_note)
       VALUES (?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [
        row.receiptNo,
        row.storeId,
        row.householdId,
        row.householdCategory,
        row.status,
        row.fulfilment,
        row.pointsTotal,
        row.balanceBefore,
        row.balanceAfter,
        row.occurredAt,
        row.businessDate,
        row.businessMonth,
        row.createdBy,
        row.idempotencyKey,
        row.requestHash,
        row.limitOverrideReason,
        row.limitOverrideBy,
        row.deliveryAddress,
        row.deliveryNote,
      ],
    );
    const id = batch.idOf(inserted);
    if (quote.pointsTotal > 0) {
      await this.ledger.queue(em, batch, actor, household, {
        kind: 'redemption',
        points: -quote.pointsTotal,
        storeId: store.id,
        reason: `兑换 ${number.receiptNo}`,
        sourceType: 'redemption',
        sourceId: id,
        occurredAt: now,
        // read under the household's lock by evaluate() above
        grants,
      });
    }
    const consumed = await this.stock.queueConsumption(
      em,
      batch,
      actor,
      store.id,
      items.map((item) => ({ productId: item.product.id, quantity: item.quantity })),
      {
        kind: 'redemption_out',
        ref: { type: 'redemption', id },
        note: number.receiptNo,
        productNames: new Map(items.map((item) => [item.product.id, item.product.name])),
        locked: lots(),
      },
    );
    const recorded = this.queueLines(batch, id, items, consumed);
    batch.add('UPDATE redemptions SET goods_value_fen = ? WHERE id = ?', [
      recorded.goodsValueFen,
      id,
    ]);
    this.audit.queue(batch, actor, {
      action: 'redemption.create',
      entityType: 'redemption',
      entityId: id,
      summary: `兑换 ${number.receiptNo}：卡号 ${household.cardNo}，${items.length} 种商品，${quote.pointsTotal} 分${cart.limitOverrideReason ? `（超限放行：${cart.limitOverrideReason}）` : ''}`,
      storeId: store.id,
    });
    await batch.run(em);
    const redemptionId = batch.valueOf(id);
    return {
      id: redemptionId,
      created: true,
      view: this.toView(
        { ...row, id: redemptionId, goodsValueFen: recorded.goodsValueFen },
        household,
        recorded.lines,
      ),
    };
  }

  /** Lines and, per line, the lots it drew from: two multi-row inserts whatever the cart. */
  private queueLines(
    batch: StatementBatch,
    redemptionId: InsertedId,
    items: Evaluation['items'],
    consumed: ConsumedLot[],
  ): { goodsValueFen: number; lines: RedemptionLineView[] } {
    const lines: (Omit<RedemptionLine, 'id' | 'redemptionId'> & { redemptionId: InsertedId })[] =
      [];
    const lots: (Omit<RedemptionLineLot, 'id' | 'redemptionId'> & {
      redemptionId: InsertedId;
    })[] = [];
    const views: RedemptionLineView[] = [];
    let total = 0;
    items.forEach((item, index) => {
      const lineNo = index + 1;
      const taken = consumed.filter((part) => part.productId === item.product.id);
      const valueFen = taken.reduce((sum, part) => sum + part.quantity * part.unitValueFen, 0);
      if (valueFen > MAX_LINE_VALUE_FEN) {
        // the statements are only queued: nothing is written, and the transaction rolls back
        throw new LineValueTooLargeError(
          {
            index: item.line - 1,
            productId: item.product.id,
            name: item.product.name,
            quantity: item.quantity,
          },
          valueFen,
        );
      }
      total += valueFen;
      const line = {
        redemptionId,
        lineNo,
        productId: item.product.id,
        categoryId: item.product.categoryId,
        productName: item.product.name,
        unit: item.product.unit,
        quantity: item.quantity,
        pointPrice: item.product.pointPrice,
        points: item.quantity * item.product.pointPrice,
        valueFen,
      };
      lines.push(line);
      for (const part of taken) {
        lots.push({
          redemptionId,
          lineNo,
          lotId: part.lotId,
          quantity: part.quantity,
          unitValueFen: part.unitValueFen,
        });
      }
      views.push({
        lineNo,
        productId: line.productId,
        name: line.productName,
        unit: line.unit,
        quantity: line.quantity,
        pointPrice: line.pointPrice,
        points: line.points,
        valueFen,
        lots: taken.map((part) => ({
          lotId: part.lotId,
          quantity: part.quantity,
          unitValueFen: part.unitValueFen,
          donationId: donationOf(part.sourceType, part.sourceRef),
        })),
      });
    });
    batch.insertRows(
      'redemption_lines',
      [
        'redemption_id',
        'line_no',
        'product_id',
        'category_id',
        'product_name',
        'unit',
        'quantity',
        'point_price',
        'points',
        'value_fen',
      ],
      lines.map((line) => [
        line.redemptionId,
        line.lineNo,
        line.productId,
        line.categoryId,
        line.productName,
        line.unit,
        line.quantity,
        line.pointPrice,
        line.points,
        line.valueFen,
      ]),
    );
    if (lots.length > 0) {
      batch.insertRows(
        'redemption_line_lots',
        ['redemption_id', 'line_no', 'lot_id', 'quantity', 'unit_value_fen'],
        lots.map((lot) => [
          lot.redemptionId,
          lot.lineNo,
          lot.lotId,
          lot.quantity,
          lot.unitValueFen,
        ]),
      );
    }
    return { goodsValueFen: total, lines: views };
  }

  private async undo(
    actor: Actor,
    id: number,
    reason: string,
    to: 'voided' | 'cancelled',
  ): Promise<void> {
    for (let attempt = 1; ; attempt += 1) {
      try {
        await this.dataSource.transaction(POINTS_ISOLATION, (em) =>
          this.undoIn(em, actor, id, reason, to),
        );
        return;
      } catch (error) {
        if (isLockConflict(error) && attempt < CHECKOUT_ATTEMPTS) continue;
        throw error;
      }
    }
  }

  private async undoIn(
    em: EntityManager,
    actor: Actor,
    id: number,
    reason: string,
    to: 'voided' | 'cancelled',
  ): Promise<void> {
    const redemption = await this.lockRedemption(em, actor, id);
    if (to === 'cancelled') {
      if (redemption.status !== 'awaiting_delivery') throw new DeliveryNotPendingError(redemption);
    } else {
      if (redemption.status === 'voided' || redemption.status === 'cancelled') {
        throw new RedemptionNotVoidableError(
          redemption,
          `兑换单 ${redemption.receiptNo} 已${redemption.status === 'voided' ? '作废' : '取消'}，不能再作废`,
        );
      }
      if (redemption.status === 'awaiting_delivery') {
        throw new RedemptionNotVoidableError(
          redemption,
          `兑换单 ${redemption.receiptNo} 尚未送达，请取消配送`,
        );
      }
      const policy = await this.ledger.policy(em);
      const lastDay = addDays(redemption.businessDate, policy.voidWindowDays);
      if (this.ledger.today() > lastDay) {
        throw new RedemptionNotVoidableError(
          redemption,
          policy.voidWindowDays === 0
            ? `兑换单 ${redemption.receiptNo} 只能在兑换当天作废`
            : `兑换单 ${redemption.receiptNo} 已超过作废期限（${policy.voidWindowDays} 天）`,
        );
      }
    }
    const household = await this.ledger.lockHousehold(em, redemption.householdId);
    const entry = await em.findOneBy(PointsEntry, {
      householdId: household.id,
      kind: 'redemption',
      sourceType: 'redemption',
      sourceId: String(id),
    });
    const label = to === 'voided' ? '作废' : '取消配送';
    if (entry) {
      await this.ledger.reverse(em, actor, household, entry.id, {
        reason: `${label} ${redemption.receiptNo}：${reason}`,
        storeId: redemption.storeId,
        sourceType: to === 'voided' ? 'redemption_void' : 'delivery_cancel',
        sourceId: id,
      });
    }
    await this.stock.reverse(
      em,
      actor,
      { type: 'redemption', id },
      {
        kind: 'void_reversal',
        ref: { type: to === 'voided' ? 'redemption_void' : 'delivery_cancel', id },
        note: `${label} ${redemption.receiptNo}`,
      },
    );
    await em.update(
      Redemption,
      { id },
      { status: to, voidReason: reason, voidedBy: actor.userId, voidedAt: new Date() },
    );
    await this.audit.record(em, actor, {
      action: to === 'voided' ? 'redemption.void' : 'redemption.cancel',
      entityType: 'redemption',
      entityId: id,
      summary: `${label}兑换单 ${redemption.receiptNo}：${reason}`,
      storeId: redemption.storeId,
    });
  }

  private async lockRedemption(em: EntityManager, actor: Actor, id: number): Promise<Redemption> {
    const redemption = await em.findOne(Redemption, {
      where: { id },
      lock: { mode: 'pessimistic_write' },
    });
    if (!redemption) throw new NotFoundError('redemption', id);
    assertStoreAccess(actor, redemption.storeId);
    return redemption;
  }

  /**
   * Prices the cart and lists every problem: per line (unknown barcode, inactive product, not
   * enough stock, a product or category limit) and for the whole cart (household inactive, not
   * enough points, the visits limit). A constant number of queries whatever the cart.
   */
  private async evaluate(
    em: EntityManager,
    actor: Actor,
    household: Household,
    cart: Cart,
    { resolved, grants }: CartReads,
  ): Promise<Evaluation> {
    const policy = await this.ledger.currentPolicy(em);
    const today = grants.today;
    const month = today.slice(0, 7);

    const lines: QuoteLine[] = [];
    const items: Evaluation['items'] = [];
    const byProduct = new Map<number, Evaluation['items'][number]>();
    cart.lines.forEach((input, index) => {
      const found = resolved[index];
      const line: QuoteLine = {
        line: index + 1,
        productId: found?.product.id ?? input.productId ?? null,
        barcode: input.barcode ?? null,
        name: found?.product.name ?? null,
        unit: found?.product.unit ?? null,
        quantity: input.quantity,
        pointPrice: found?.product.pointPrice ?? null,
        points: found ? found.product.pointPrice * input.quantity : 0,
        available: null,
        problems: [],
      };
      lines.push(line);
      if (!found) {
        const code = input.barcode ?? String(input.productId);
        const error = input.barcode
          ? new UnknownBarcodeError(input.barcode)
          : new NotFoundError('product', code);
        line.problems.push(problemOf(error));
        return;
      }
      if (!found.product.active) {
        line.problems.push({
          code: 'PRODUCT_INACTIVE',
          message: `商品“${found.product.name}”已停用，不能兑换`,
          details: { productId: found.product.id },
        });
      }
      const merged = byProduct.get(found.product.id);
      if (merged) merged.quantity += input.quantity;
      else {
        const item = {
          product: found.product,
          quantity: input.quantity,
          line: index + 1,
          available: found.available,
        };
        byProduct.set(found.product.id, item);
        items.push(item);
      }
    });

    const categories = new Map(resolved.flatMap((r) => (r ? [[r.category.id, r.category]] : [])));
    const usage = await this.usage(em, household.id, month, items, categories, policy);

    // stock and limits, on the first line of each product (lines of one product are merged)
    const cartByCategory = new Map<number, number>();
    for (const item of items) {
      cartByCategory.set(
        item.product.categoryId,
        (cartByCategory.get(item.product.categoryId) ?? 0) + item.quantity,
      );
    }
    const reportedCategories = new Set<number>();
    for (const item of items) {
      const line = lines[item.line - 1];
      if (!line) continue;
      const onShelf = item.available;
      line.available = onShelf;
      if (onShelf < item.quantity) {
        line.problems.push(
          problemOf(
            new InsufficientStockError(item.product.id, item.product.name, item.quantity, onShelf),
          ),
        );
      }
      const limit = item.product.monthlyLimitPerHousehold;
      if (limit !== null) {
        const used = usage.products.get(item.product.id) ?? 0;
        if (used + item.quantity > limit) {
          line.problems.push(
            limitProblem({
              limit: 'product',
              productId: item.product.id,
              name: item.product.name,
              used,
              requested: item.quantity,
              allowed: limit,
            }),
          );
        }
      }
      const category = categories.get(item.product.categoryId);
      const categoryLimit = category?.monthlyLimitPerHousehold ?? null;
      if (category && categoryLimit !== null && !reportedCategories.has(category.id)) {
        const used = usage.categories.get(category.id) ?? 0;
        const requested = cartByCategory.get(category.id) ?? 0;
        if (used + requested > categoryLimit) {
          reportedCategories.add(category.id);
          line.problems.push(
            limitProblem({
              limit: 'category',
              categoryId: category.id,
              name: category.name,
              used,
              requested,
              allowed: categoryLimit,
            }),
          );
        }
      }
    }

    const problems: Problem[] = [];
    const refusal = spendRefusal(household, policy);
    if (refusal) problems.push(refusal);
    if (policy.monthlyVisitLimit !== null && usage.visits + 1 > policy.monthlyVisitLimit) {
      problems.push(
        limitProblem({
          limit: 'visits',
          used: usage.visits,
          requested: 1,
          allowed: policy.monthlyVisitLimit,
        }),
      );
    }
    const pointsTotal = lines.reduce((sum, line) => sum + line.points, 0);
    const spendable = grants.total;
    if (pointsTotal > spendable) {
      problems.push(problemOf(new InsufficientPointsError(household.id, spendable, pointsTotal)));
    }
    if (cart.limitOverrideReason && canOverrideLimits(actor)) {
      // a manager lets this checkout past its limits; everything else still holds
      for (const line of lines) {
        line.problems = line.problems.filter((p) => p.code !== 'LIMIT_EXCEEDED');
      }
      problems.splice(0, problems.length, ...problems.filter((p) => p.code !== 'LIMIT_EXCEEDED'));
    }
    const ok = problems.length === 0 && lines.every((line) => line.problems.length === 0);
    return {
      quote: {
        household: tillHousehold(household, spendable),
        lines,
        pointsTotal,
        balanceAfter: household.balance - pointsTotal,
        problems,
        ok,
      },
      items,
      grants,
    };
  }

  /**
   * What evaluate() reads, queued in `batch`: the cart's products (resolveProducts) and the
   * household's spendable grants, for today.
   */
  private queueCartReads(
    batch: StatementBatch,
    cart: Cart,
    household: { householdId: number } | { cardNo: string },
  ): () => CartReads {
    const today = this.ledger.today();
    const resolved = this.queueProducts(batch, cart.storeId, cart.lines, today);
    const grants = this.ledger.queueSpendableGrants(batch, household, today);
    return () => ({ resolved: resolved(), grants: grants() });
  }

  /**
   * Products by id, barcode or internal code, with their category and the units the store can
   * hand out now (unexpired lots), in one query (plain SQL: read on every quote and checkout);
   * null where nothing matched.
   */
  private queueProducts(
    batch: StatementBatch,
    storeId: number,
    lines: CartLine[],
    today: string,
  ): () => (ResolvedProduct | null)[] {
    const ids = lines.flatMap((line) => (line.productId !== undefined ? [line.productId] : []));
    const codes = lines.flatMap((line) => (line.barcode !== undefined ? [line.barcode] : []));
    if (ids.length === 0 && codes.length === 0) return () => lines.map(() => null);
    const where: string[] = [];
    const parameters: unknown[] = [storeId, today];
    if (ids.length > 0) {
      where.push(`p.id IN (${ids.map(() => '?').join(', ')})`);
      parameters.push(...ids);
    }
    if (codes.length > 0) {
      const list = codes.map(() => '?').join(', ');
      where.push(`p.barcode IN (${list})`, `p.internal_code IN (${list})`);
      parameters.push(...codes, ...codes);
    }
    const read = batch.select<ProductRow>(
      `SELECT p.id, p.name, p.category_id AS categoryId, p.unit, p.barcode,
              p.internal_code AS internalCode, p.point_price AS pointPrice,
              p.monthly_limit_per_household AS monthlyLimitPerHousehold, p.active,
              c.name AS categoryName, c.monthly_limit_per_household AS categoryLimit,
              (SELECT COALESCE(SUM(l.quantity), 0) FROM stock_lots l
                WHERE l.store_id = ? AND l.product_id = p.id AND l.quantity > 0
                  AND (l.expiry_date IS NULL OR l.expiry_date >= ?)) AS available
         FROM products p JOIN product_categories c ON c.id = p.category_id
        WHERE ${where.join(' OR ')}`,
      parameters,
    );
    return () => {
      const resolved = batch.rowsOf(read).map((row): ResolvedProduct => {
        const { categoryName, categoryLimit, active, available, ...product } = row;
        return {
          product: { ...product, active: Boolean(active) },
          category: {
            id: row.categoryId,
            name: categoryName,
            monthlyLimitPerHousehold: categoryLimit,
          },
          available: Number(available),
        };
      });
      const byId = new Map(resolved.map((r) => [r.product.id, r]));
      const byCode = new Map<string, ResolvedProduct>();
      for (const r of resolved) {
        if (r.product.internalCode) byCode.set(r.product.internalCode, r);
      }
      // a manufacturer's barcode wins over an internal code of the same digits
      for (const r of resolved) if (r.product.barcode) byCode.set(r.product.barcode, r);
      return lines.map(
        (line) =>
          (line.barcode !== undefined ? byCode.get(line.barcode) : byId.get(line.productId ?? 0)) ??
          null,
      );
    };
  }

  /**
   * This month's units per product and category and its checkouts, across every store in the
   * county, counting what stays spent (not voided or cancelled). Skipped when no limit applies.
   */
  private async usage(
    em: EntityManager,
    householdId: number,
    month: string,
    items: Evaluation['items'],
    categories: Map<number, TillCategory>,
    policy: PointsPolicy,
  ): Promise<MonthUsage> {
    const limited =
      policy.monthlyVisitLimit !== null ||
      items.some((item) => item.product.monthlyLimitPerHousehold !== null) ||
      [...categories.values()].some((c) => c.monthlyLimitPerHousehold !== null);
    if (!limited) return { products: new Map(), categories: new Map(), visits: 0 };
    return this.monthUsage(em, householdId, month);
  }

  /** This month's units per product and category and its checkouts (see usage). */
  private async monthUsage(
    em: EntityManager,
    householdId: number,
    month: string,
  ): Promise<MonthUsage> {
    const result: MonthUsage = { products: new Map(), categories: new Map(), visits: 0 };
    const rows = await em.query<
      { productId: number | null; categoryId: number | null; units: string; visits: string }[]
    >(
      `SELECT l.product_id AS productId, l.category_id AS categoryId, SUM(l.quantity) AS units,
              COUNT(DISTINCT r.id) AS visits
         FROM redemptions r
         LEFT JOIN redemption_lines l ON l.redemption_id = r.id
        WHERE r.household_id = ? AND r.business_month = ? AND r.status IN (?)
        GROUP BY l.product_id, l.category_id WITH ROLLUP`,
      [householdId, month, SPENT_STATUSES],
    );
    for (const row of rows) {
      if (row.productId === null && row.categoryId === null) {
        result.visits = Number(row.visits);
      } else if (row.productId !== null && row.categoryId !== null) {
        result.products.set(Number(row.productId), Number(row.units));
        const category = Number(row.categoryId);
        result.categories.set(category, (result.categories.get(category) ?? 0) + Number(row.units));
      }
    }
    return result;
  }

  private async replay(
    storeId: number,
    key: string,
    requestHash: string,
  ): Promise<RedemptionView | null> {
    const earlier = await findByKey(this.dataSource.manager, storeId, key);
    if (!earlier) return null;
    if (earlier.requestHash !== requestHash) throw new IdempotencyKeyReusedError(key);
    return this.view(this.dataSource.manager, earlier.id);
  }

  private assertShape(actor: Actor, cart: Cart): void {
    if (cart.limitOverrideReason && !canOverrideLimits(actor)) {
      throw new DomainError('FORBIDDEN', '只有店长或县级管理员可以放行超限兑换', {
        field: 'limitOverrideReason',
      });
    }
  }

  private async views(em: EntityManager, rows: Redemption[]): Promise<RedemptionView[]> {
    if (rows.length === 0) return [];
    const ids = rows.map((r) => r.id);
    const [lines, lots, households] = await Promise.all([
      em.find(RedemptionLine, {
        where: { redemptionId: In(ids) },
        order: { redemptionId: 'ASC', lineNo: 'ASC' },
      }),
      em.find(RedemptionLineLot, { where: { redemptionId: In(ids) }, order: { id: 'ASC' } }),
      em.find(Household, {
        where: { id: In([...new Set(rows.map((r) => r.householdId))]) },
        select: { id: true, cardNo: true, headName: true },
      }),
    ]);
    const lotIds = [...new Set(lots.map((l) => l.lotId))];
    const sources =
      lotIds.length > 0
        ? await em.find(StockLot, {
            where: { id: In(lotIds) },
            select: { id: true, sourceType: true, sourceRef: true },
          })
        : [];
    const lotSources = new Map(sources.map((lot) => [lot.id, lot]));
    const people = new Map(households.map((h) => [h.id, h]));
    return rows.map((r) =>
      this.toView(
        r,
        people.get(r.householdId) ?? null,
        lines
          .filter((line) => line.redemptionId === r.id)
          .map((line) => ({
            lineNo: line.lineNo,
            productId: line.productId,
            name: line.productName,
            unit: line.unit,
            quantity: line.quantity,
            pointPrice: line.pointPrice,
            points: line.points,
            valueFen: line.valueFen,
            lots: lots
              .filter((lot) => lot.redemptionId === r.id && lot.lineNo === line.lineNo)
              .map((lot) => {
                const source = lotSources.get(lot.lotId);
                return {
                  lotId: lot.lotId,
                  quantity: lot.quantity,
                  unitValueFen: lot.unitValueFen,
                  donationId: source ? donationOf(source.sourceType, source.sourceRef) : null,
                };
              }),
          })),
      ),
    );
  }

  private toView(
    r: Redemption,
    household: Pick<Household, 'cardNo' | 'headName'> | null,
    lines: RedemptionLineView[],
  ): RedemptionView {
    return {
      id: r.id,
      receiptNo: r.receiptNo,
      storeId: r.storeId,
      householdId: r.householdId,
      cardNo: household?.cardNo ?? '',
      householdName: household ? maskName(household.headName) : '',
      status: r.status,
      fulfilment: r.fulfilment,
      lines,
      pointsTotal: r.pointsTotal,
      goodsValueFen: r.goodsValueFen,
      balanceBefore: r.balanceBefore,
      balanceAfter: r.balanceAfter,
      occurredAt: r.occurredAt,
      businessDate: r.businessDate,
      createdBy: r.createdBy,
      limitOverrideReason: r.limitOverrideReason,
      delivery:
        r.fulfilment === 'delivery'
          ? {
              address: r.deliveryAddress,
              note: r.deliveryNote,
              receivedBy: r.receivedBy,
              deliveredAt: r.deliveredAt,
            }
          : null,
      voidReason: r.voidReason,
      voidedAt: r.voidedAt,
      receiptUrl: `/api/v1/redemptions/${r.id}/receipt.pdf`,
    };
  }
}

/** The redemption a store's till made under an Idempotency-Key, if any. */
async function findByKey(
  em: EntityManager,
  storeId: number,
  idempotencyKey: string,
): Promise<{ id: number; requestHash: string } | null> {
  const [row] = await em.query<{ id: number; requestHash: string }[]>(
    `SELECT id, request_hash AS requestHash FROM redemptions
      WHERE store_id = ? AND idempotency_key = ? LIMIT 1`,
    [storeId, idempotencyKey],
  );
  return row ?? null;
}

/** The donation a lot came from, when it came from one. */
function donationOf(sourceType: string, sourceRef: string | null): number | null {
  return sourceType === 'donation' && sourceRef && /^\d+$/.test(sourceRef)
    ? Number(sourceRef)
    : null;
}

function canOverrideLimits(actor: Actor): boolean {
  return actor.role === 'store_manager' || actor.role === 'county_admin';
}

/** The same rule a checkout applies to the household, as a problem the till can show at once. */
function spendRefusal(household: Household, policy: PointsPolicy): Problem | null {
  try {
    assertCanSpend(household, policy);
    return null;
  } catch (error) {
    if (error instanceof HouseholdInactiveError) return problemOf(error);
    throw error;
  }
}

function problemOf(error: DomainError): Problem {
  return { code: error.code, message: error.message, details: error.details };
}

function limitProblem(limit: LimitProblem): Problem {
  return { code: 'LIMIT_EXCEEDED', message: limitMessage(limit), details: { ...limit } };
}

/**
 * A checkout fails with the most basic problem first, so the error names what to fix first:
 * the household, then unknown or inactive goods, limits, stock, and last the points.
 */
const PRIORITY: ErrorCode[] = [
  'HOUSEHOLD_INACTIVE',
  'UNKNOWN_BARCODE',
  'NOT_FOUND',
  'PRODUCT_INACTIVE',
  'LIMIT_EXCEEDED',
  'INSUFFICIENT_STOCK',
  'INSUFFICIENT_POINTS',
];

function throwFirstProblem(quote: Quote): void {
  const all = [...quote.problems, ...quote.lines.flatMap((line) => line.problems)];
  if (all.length === 0) return;
  const rank = (p: Problem) => {
    const index = PRIORITY.indexOf(p.code);
    return index === -1 ? PRIORITY.length : index;
  };
  const first = [...all].sort((a, b) => rank(a) - rank(b))[0];
  if (!first) return;
  if (first.code === 'LIMIT_EXCEEDED') {
    throw new LimitExceededError(
      all
        .filter((p) => p.code === 'LIMIT_EXCEEDED')
        .map((p) => p.details as unknown as LimitProblem),
    );
  }
  throw new DomainError(first.code, first.message, { ...first.details, problems: all });
}
