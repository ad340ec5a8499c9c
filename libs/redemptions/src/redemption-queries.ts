import { StatementBatch, type BatchedCheck } from '@charity/common';
import {
  normalizeCardNumber,
  PointsLedger,
  type Household,
  type PointsPolicy,
  type SpendableGrants,
} from '@charity/households';
import { type Product } from '@charity/inventory';
import { type Store } from '@charity/organisation';
import { Injectable } from '@nestjs/common';
import { type EntityManager } from 'typeorm';
import { type Cart, type CartLine, type FoundProduct, type MonthUsage } from './cart-rules';
import { SPENT_STATUSES } from './redemption.entity';

/** What the till reads of a store. */
type TillStore = Pick<Store, 'id' | 'code' | 'name' | 'active'>;

/** The till's store, with the redemption its till already made under this key if any. */
export type StoreWithEarlier = TillStore & { earlierId: number | null; earlierHash: string | null };

/** A product as the till finds it: what the cart rules read, and the codes it was found by. */
export type ResolvedProduct = FoundProduct & {
  product: FoundProduct['product'] & Pick<Product, 'barcode' | 'internalCode'>;
};

type ProductRow = Omit<ResolvedProduct['product'], 'active'> & {
  active: number | boolean;
  categoryName: string;
  categoryLimit: number | null;
  available: string | number;
};

/** What the cart rules need read from the database (queueCartReads). */
export interface CartReads {
  /** Per cart line, in order. */
  resolved: (ResolvedProduct | null)[];
  /** Read for the business date the cart is evaluated on. */
  grants: SpendableGrants;
}

/** What a checkout's first round trip (checkoutReads) found. */
export interface CheckoutReads {
  cardNo: string;
  store: StoreWithEarlier | undefined;
  household: Household | null;
  cart: CartReads;
}

/**
 * The till's reads, in plain SQL: they run on every quote and checkout, where the ORM's find cost
 * more CPU than the query. Queued reads join the caller's batch, so their round trips do not grow
 * with the cart.
 */
@Injectable()
export class RedemptionQueries {
  constructor(private readonly ledger: PointsLedger) {}

  /**
   * A checkout's first reads, sent with START TRANSACTION (see UnitOfWork.read). The store comes
   * with what its till already did under this key, so a replay costs one read; the household's
   * lock, the goods and the household's grants come in the same round trip (the grants read after
   * the lock is held). The signed-in user's check rides here too and throws before anything else
   * is read from the answer.
   */
  checkoutReads(
    cart: Cart,
    idempotencyKey: string,
    userCheck: BatchedCheck,
  ): (batch: StatementBatch) => () => CheckoutReads {
    const cardNo = normalizeCardNumber(cart.cardNo);
    return (batch) => {
      const assertUser = userCheck(batch);
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
      return () => {
        assertUser();
        return {
          cardNo,
          store: batch.rowsOf(storeRead)[0],
          household: household(),
          cart: cartReads(),
        };
      };
    };
  }

  /** The cart's products (queueProducts) and the household's spendable grants, for today. */
  queueCartReads(
    batch: StatementBatch,
    cart: Cart,
    household: { householdId: number } | { cardNo: string },
  ): () => CartReads {
    const today = this.ledger.today();
    const resolved = queueProducts(batch, cart.storeId, cart.lines, today);
    const grants = this.ledger.queueSpendableGrants(batch, household, today);
    return () => ({ resolved: resolved(), grants: grants() });
  }

  /** This month's usage when a limit applies to the cart (see monthUsage); else nothing read. */
  async usage(
    em: EntityManager,
    householdId: number,
    month: string,
    resolved: readonly (FoundProduct | null)[],
    policy: PointsPolicy,
  ): Promise<MonthUsage> {
    const limited =
      policy.monthlyVisitLimit !== null ||
      resolved.some(
        (found) =>
          found !== null &&
          (found.product.monthlyLimitPerHousehold !== null ||
            found.category.monthlyLimitPerHousehold !== null),
      );
    if (!limited) return { products: new Map(), categories: new Map(), visits: 0 };
    return monthUsage(em, householdId, month);
  }
}

/**
 * Products by id, barcode or internal code, with their category and the units the store can
 * hand out now (unexpired lots), in one query; null where nothing matched.
 */
function queueProducts(
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
 * county, counting what stays spent (not voided or cancelled).
 */
export async function monthUsage(
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

/** Points that lapse after `today` and by `until`, summed per expiry date. */
export async function expiringGrants(
  em: EntityManager,
  householdId: number,
  today: string,
  until: string,
): Promise<{ expiresOn: string; points: number }[]> {
  const rows = await em.query<{ expiresOn: string; points: string }[]>(
    `SELECT DATE_FORMAT(expires_on, '%Y-%m-%d') AS expiresOn, SUM(remaining) AS points
       FROM points_grants
      WHERE household_id = ? AND remaining > 0 AND expires_on > ? AND expires_on <= ?
      GROUP BY expires_on ORDER BY expires_on`,
    [householdId, today, until],
  );
  return rows.map((row) => ({ expiresOn: row.expiresOn, points: Number(row.points) }));
}

/** The redemption a store's till made under an Idempotency-Key, if any. */
export async function findByKey(
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
