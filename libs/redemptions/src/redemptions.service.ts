import { AuditService } from '@charity/audit';
import {
  assertStoreAccess,
  businessDate,
  hashRequest,
  BATCHED_DATA_SOURCE,
  StatementBatch,
  IdempotencyKeyReusedError,
  isDuplicateKeyError,
  UnitOfWork,
  NotFoundError,
  type Actor,
  type BatchedCheck,
  type Page,
  type PageQuery,
} from '@charity/common';
import { AppConfig } from '@charity/config';
import {
  CardNotFoundError,
  Household,
  normalizeCardNumber,
  PointsLedger,
  type SpendableGrants,
} from '@charity/households';
import { StockService } from '@charity/inventory';
import { Store, StoreInactiveError } from '@charity/organisation';
import { queueReceiptNumber } from '@charity/receipts';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { AllowanceService, type Allowance } from './allowance.service';
import {
  deliveryAddressOf,
  evaluateCart,
  everyProblem,
  firstProblem,
  type Cart,
  type CartEvaluation,
  type CartItem,
  type CartProblem,
} from './cart-rules';
import { cartProblemError, LimitOverrideForbiddenError } from './redemption-errors';
import { findByKey, RedemptionQueries, type CartReads } from './redemption-queries';
import { RedemptionReversals } from './redemption-reversals.service';
import {
  redemptionView,
  RedemptionViews,
  type RedemptionFilter,
  type RedemptionView,
} from './redemption-views.service';
import { newRedemption, queueLines, queueRedemption } from './redemption-writes';
import { tillHousehold, type TillHousehold } from './till-household';

export const RECEIPT_SERIES = 'DH';

/** Deadlocks and lock timeouts: a checkout is tried again this many times before it answers 409. */
const CHECKOUT_LOCK_RETRIES = 3;

/** A problem the till shows; the codes and facts of each are in CartProblem. */
export type Problem = CartProblem;

/** A priced cart with every problem named (see evaluateCart), for the household it is for. */
export interface Quote extends Omit<CartEvaluation, 'items'> {
  household: TillHousehold;
}

export interface CheckoutResult {
  redemption: RedemptionView;
  /** False when an Idempotency-Key replay returned the first result. */
  created: boolean;
}

/** A quote, with what the checkout draws on when it goes through. */
interface Evaluation {
  quote: Quote;
  items: CartItem[];
  /** What the household may spend, grant by grant. */
  grants: SpendableGrants;
}

/**
 * 兑换: the till. A quote prices a cart and names every problem without changing anything; a
 * checkout does the same under locks and then, in one transaction, debits the household's points
 * (soonest-expiring grants first), takes the goods FEFO from the store's lots, appends both
 * ledgers and takes the next gapless receipt number. Its round trips do not grow with the cart.
 * What happens afterwards is RedemptionReversals'; what is read back, RedemptionViews'.
 */
@Injectable()
export class RedemptionsService {
  constructor(
    private readonly dataSource: DataSource,
    /** The checkout's pool: its write batches reach the database in one round trip. */
    @InjectDataSource(BATCHED_DATA_SOURCE) private readonly batched: DataSource,
    private readonly config: AppConfig,
    private readonly ledger: PointsLedger,
    private readonly stock: StockService,
    private readonly audit: AuditService,
    private readonly queries: RedemptionQueries,
    private readonly views: RedemptionViews,
    private readonly reversals: RedemptionReversals,
    private readonly allowances: AllowanceService,
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
    const cartReads = this.queries.queueCartReads(reads, cart, { householdId: household.id });
    await reads.run(em);
    return (await this.evaluate(em, actor, household, cart, cartReads())).quote;
  }

  /**
   * `userCheck`, the signed-in user's check the api's guard left to the checkout (or
   * USER_ALREADY_CHECKED), rides in the first round trip and runs before anything else is decided.
   */
  async checkout(
    actor: Actor,
    cart: Cart,
    idempotencyKey: string,
    userCheck: BatchedCheck,
  ): Promise<CheckoutResult> {
    assertStoreAccess(actor, cart.storeId);
    if (cart.limitOverrideReason && !canOverrideLimits(actor)) {
      throw new LimitOverrideForbiddenError();
    }
    const requestHash = hashRequest(cart);
    try {
      // READ COMMITTED, as POINTS_ISOLATION; a replay is answered by the transaction's first read
      const outcome = await UnitOfWork.run(
        this.batched,
        { isolation: 'READ COMMITTED', lockRetries: CHECKOUT_LOCK_RETRIES, name: 'checkout' },
        (uow) => this.checkoutIn(uow, actor, cart, { idempotencyKey, requestHash, userCheck }),
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
      throw error;
    }
  }

  allowance(cardNo: string): Promise<Allowance> {
    return this.allowances.allowance(cardNo);
  }

  get(actor: Actor, id: number): Promise<RedemptionView> {
    return this.views.get(actor, id);
  }

  list(actor: Actor, filter: RedemptionFilter, page: PageQuery): Promise<Page<RedemptionView>> {
    return this.views.list(actor, filter, page);
  }

  view(em: EntityManager, id: number): Promise<RedemptionView> {
    return this.views.view(em, id);
  }

  /** Clerk names for receipts. */
  userNames(em: EntityManager, ids: number[]): Promise<Map<number, string>> {
    return this.views.userNames(em, ids);
  }

  void(actor: Actor, id: number, reason: string): Promise<RedemptionView> {
    return this.reversals.void(actor, id, reason);
  }

  cancelDelivery(actor: Actor, id: number, reason: string): Promise<RedemptionView> {
    return this.reversals.cancelDelivery(actor, id, reason);
  }

  markDelivered(
    actor: Actor,
    id: number,
    input: { receivedBy: string; deliveredAt?: Date },
  ): Promise<RedemptionView> {
    return this.reversals.markDelivered(actor, id, input);
  }

  /** The checkout inside its transaction: at most four round trips whatever the cart. */
  private async checkoutIn(
    uow: UnitOfWork,
    actor: Actor,
    cart: Cart,
    { idempotencyKey, requestHash, userCheck }: CheckoutKey,
  ): Promise<{ id: number; created: boolean; view?: RedemptionView }> {
    const em = uow.manager;
    // 1 (sent with START TRANSACTION): the store with any earlier checkout under this key, the
    // household locked, the goods and the household's grants
    const reads = await uow.read(this.queries.checkoutReads(cart, idempotencyKey, userCheck));
    const store = reads.store;
    if (store?.earlierId) {
      if (store.earlierHash !== requestHash) throw new IdempotencyKeyReusedError(idempotencyKey);
      return { id: Number(store.earlierId), created: false };
    }
    if (!store) throw new NotFoundError('store', cart.storeId);
    if (!store.active) throw new StoreInactiveError(store, '不能兑换');
    const household = reads.household;
    if (!household) throw new CardNotFoundError(reads.cardNo);

    const { quote, items, grants } = await this.evaluate(em, actor, household, cart, reads.cart);
    const problems = everyProblem(quote);
    const first = firstProblem(problems);
    if (first) return this.refuse(em, cart.storeId, idempotencyKey, requestHash, first, problems);

    // 2: the store's next receipt number and the goods' lots, locked in that order, after the
    // household, as every checkout takes them
    const now = new Date();
    const date = businessDate(now, this.config.timeZone);
    const productIds = items.map((item) => item.product.id);
    const locked = await uow.read((batch) => {
      const issued = queueReceiptNumber(batch, RECEIPT_SERIES, store, Number(date.slice(0, 4)));
      const lots = this.stock.queueLotLock(batch, store.id, productIds);
      return () => ({ issued, lots: lots() });
    });
    const { receiptNo } = await locked.issued(em);

    // 3: the redemption, the points, the stock, the lines and the audit
    const row = newRedemption({
      actor,
      cart,
      receiptNo,
      store,
      household,
      pointsTotal: quote.pointsTotal,
      address: deliveryAddressOf(cart, household),
      occurredAt: now,
      businessDate: date,
      idempotencyKey,
      requestHash,
    });
    const batch = uow.batch;
    const id = queueRedemption(batch, row);
    if (quote.pointsTotal > 0) {
      await this.ledger.queue(em, batch, actor, household, {
        kind: 'redemption',
        points: -quote.pointsTotal,
        storeId: store.id,
        reason: `兑换 ${receiptNo}`,
        sourceType: 'redemption',
        sourceId: id,
        occurredAt: now,
        grants, // read under the household's lock
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
        note: receiptNo,
        productNames: new Map(items.map((item) => [item.product.id, item.product.name])),
        locked: locked.lots,
      },
    );
    const recorded = queueLines(batch, id, items, consumed);
    this.audit.queue(batch, actor, {
      action: 'redemption.create',
      entityType: 'redemption',
      entityId: id,
      summary: `兑换 ${receiptNo}：卡号 ${household.cardNo}，${items.length} 种商品，${quote.pointsTotal} 分${cart.limitOverrideReason ? `（超限放行：${cart.limitOverrideReason}）` : ''}`,
      storeId: store.id,
    });
    await uow.flush();

    const redemptionId = batch.valueOf(id);
    const written = { ...row, id: redemptionId, goodsValueFen: recorded.goodsValueFen };
    return {
      id: redemptionId,
      created: true,
      view: redemptionView(written, household, recorded.lines),
    };
  }

  /**
   * A cart with a problem. The same key may have committed while this request waited for the
   * household lock and left it nothing to spend: then its first result is the answer, not the
   * problem. A race that finds no problem ends at the unique (store, key) index when the
   * redemption is inserted, and checkout() answers it as a replay; either way a checkout reads
   * the key once more only when it would fail.
   */
  private async refuse(
    em: EntityManager,
    storeId: number,
    idempotencyKey: string,
    requestHash: string,
    first: CartProblem,
    problems: CartProblem[],
  ): Promise<{ id: number; created: false }> {
    const earlier = await findByKey(em, storeId, idempotencyKey);
    if (earlier) {
      if (earlier.requestHash !== requestHash) throw new IdempotencyKeyReusedError(idempotencyKey);
      return { id: earlier.id, created: false };
    }
    throw cartProblemError(first, problems);
  }

  /** The cart rules, given what they read: the policy, and this month's usage if limits apply. */
  private async evaluate(
    em: EntityManager,
    actor: Actor,
    household: Household,
    cart: Cart,
    { resolved, grants }: CartReads,
  ): Promise<Evaluation> {
    const policy = await this.ledger.currentPolicy(em);
    const month = grants.today.slice(0, 7);
    const usage = await this.queries.usage(em, household.id, month, resolved, policy);
    const { items, ...evaluation } = evaluateCart({
      cart,
      household,
      products: resolved,
      spendable: grants.total,
      usage,
      policy,
      mayOverrideLimits: canOverrideLimits(actor),
    });
    return {
      quote: { household: tillHousehold(household, grants.total), ...evaluation },
      items,
      grants,
    };
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
}

/** What makes a checkout the one its till meant: the key, the request behind it, who sent it. */
interface CheckoutKey {
  idempotencyKey: string;
  requestHash: string;
  /** The signed-in user's check (see checkout()). */
  userCheck: BatchedCheck;
}

function canOverrideLimits(actor: Actor): boolean {
  return actor.role === 'store_manager' || actor.role === 'county_admin';
}
