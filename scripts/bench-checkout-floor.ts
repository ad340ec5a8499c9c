// The floor of `npm run bench:checkout`: one checkout exactly as RedemptionsService.checkoutIn runs
// it (with PointsLedger.post, StockService.consumeFefo, nextReceiptNumber and AuditService.record),
// statement for statement and in the same order, in a READ COMMITTED transaction retried on
// deadlocks like the service, but straight through a mysql2/promise pool: no HTTP, no Nest, no
// TypeORM. What the api sends beyond it is the framework's and the endpoint's: the auth guard's
// user, the idempotency replay lookup before the transaction, the view it answers with after it,
// TypeORM's re-select of the new redemption row (the app's driver type is 'mysql', which has no
// INSERT … RETURNING, and `fulfilment` has a column default), and the controller's Bull add (Redis)
// queueing the receipt render. Keep it in step with those services.
import { businessDate, hashRequest, isLockConflict } from '@charity/common';
import { RECEIPT_SERIES, SPENT_STATUSES } from '@charity/redemptions';
import type { Pool, ResultSetHeader } from 'mysql2/promise';
import { randomUUID } from 'node:crypto';

/** StockService's LOT_LOCK_INDEX: every locking read of lots walks it. */
const LOT_LOCK_INDEX = 'IDX_b6534149695869876838720344';

/** As the service: deadlocks and lock timeouts are retried this many times. */
const CHECKOUT_ATTEMPTS = 4;

export interface BenchLine {
  productId?: number;
  barcode?: string;
  quantity: number;
}

export interface BenchCart {
  storeId: number;
  cardNo: string;
  lines: BenchLine[];
}

export interface BenchClerk {
  userId: number;
  username: string;
  storeId: number;
}

/** A checkout the service would refuse, named with the service's error code. */
export class FloorProblem extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export interface FloorResult {
  id: number;
  /** Statements sent, START TRANSACTION … COMMIT included, over all attempts. */
  statements: number;
  attempts: number;
}

interface StoreRow {
  id: number;
  code: string;
  active: number;
}

interface HouseholdRow {
  id: number;
  card_no: string;
  status: string;
  balance: number;
}

interface PolicyRow {
  exited_may_spend: number;
  monthly_visit_limit: number | null;
}

interface ProductRow {
  id: number;
  name: string;
  categoryId: number;
  unit: string;
  barcode: string | null;
  internalCode: string | null;
  pointPrice: number;
  productLimit: number | null;
  active: number;
  categoryLimit: number | null;
}

interface LotRow {
  id: number;
  productId: number;
  unitValueFen: number;
  expiryDate: string | null;
  quantity: number;
}

interface Item {
  product: ProductRow;
  quantity: number;
}

interface Take {
  lotId: number;
  productId: number;
  quantity: number;
  unitValueFen: number;
}

/** `(?, ?, …)` for one row of `width` values. */
function tuple(width: number): string {
  return `(${Array.from({ length: width }, () => '?').join(', ')})`;
}

/**
 * One checkout on one pooled connection (the service also holds one connection for its whole
 * transaction). `key` is the Idempotency-Key; the till's clerk is the actor.
 */
export async function floorCheckout(
  pool: Pool,
  clerk: BenchClerk,
  cart: BenchCart,
  key: string,
  timeZone: string,
): Promise<FloorResult> {
  const requestHash = hashRequest(cart);
  const connection = await pool.getConnection();
  let statements = 0;
  const send = async (sql: string, values: unknown[] = []): Promise<unknown> => {
    statements += 1;
    const [result] = await connection.query(sql, values);
    return result;
  };
  const select = async <T>(sql: string, values: unknown[] = []): Promise<T[]> =>
    (await send(sql, values)) as T[];
  const write = async (sql: string, values: unknown[] = []): Promise<ResultSetHeader> =>
    (await send(sql, values)) as ResultSetHeader;

  const transaction = async (): Promise<number> => {
    const [store] = await select<StoreRow>('SELECT * FROM stores WHERE id = ? LIMIT 1', [
      cart.storeId,
    ]);
    if (!store) throw new FloorProblem('NOT_FOUND', `store ${cart.storeId}`);
    if (!Number(store.active)) throw new FloorProblem('CONFLICT', `store ${store.code} inactive`);
    const cardNo = cart.cardNo.trim().toUpperCase();
    const [household] = await select<HouseholdRow>(
      'SELECT * FROM households WHERE card_no = ? LIMIT 1 FOR UPDATE',
      [cardNo],
    );
    if (!household) throw new FloorProblem('CARD_NOT_FOUND', cardNo);
    const [first] = await select<{ id: number; requestHash: string }>(
      `SELECT id, request_hash AS requestHash FROM redemptions
        WHERE store_id = ? AND idempotency_key = ? LIMIT 1`,
      [cart.storeId, key],
    );
    if (first) {
      if (first.requestHash !== requestHash) throw new FloorProblem('IDEMPOTENCY_KEY_REUSED', key);
      return first.id;
    }

    // evaluate: policy, products, availability, usage (only under a limit), spendable
    const [policy] = await select<PolicyRow>('SELECT * FROM points_policy WHERE id = 1 LIMIT 1');
    const ids = cart.lines.flatMap((line) =>
      line.productId !== undefined ? [line.productId] : [],
    );
    const codes = cart.lines.flatMap((line) => (line.barcode !== undefined ? [line.barcode] : []));
    const where: string[] = [];
    const values: unknown[] = [];
    if (ids.length > 0) {
      where.push('p.id IN (?)');
      values.push(ids);
    }
    if (codes.length > 0) {
      where.push('p.barcode IN (?)', 'p.internal_code IN (?)');
      values.push(codes, codes);
    }
    const products = await select<ProductRow>(
      `SELECT p.*, p.category_id AS categoryId, p.internal_code AS internalCode,
              p.point_price AS pointPrice, p.monthly_limit_per_household AS productLimit,
              c.id AS c_id, c.name AS c_name, c.sort_order AS c_sort_order,
              c.monthly_limit_per_household AS categoryLimit, c.created_at AS c_created_at
         FROM products p INNER JOIN product_categories c ON c.id = p.category_id
        WHERE ${where.join(' OR ')}`,
      values,
    );
    const byId = new Map(products.map((p) => [Number(p.id), p]));
    const byCode = new Map<string, ProductRow>();
    for (const p of products) if (p.internalCode) byCode.set(p.internalCode, p);
    for (const p of products) if (p.barcode) byCode.set(p.barcode, p);
    const items: Item[] = [];
    const merged = new Map<number, Item>();
    let pointsTotal = 0;
    for (const line of cart.lines) {
      const product =
        line.barcode !== undefined ? byCode.get(line.barcode) : byId.get(line.productId ?? 0);
      if (!product) {
        throw new FloorProblem(
          line.barcode !== undefined ? 'UNKNOWN_BARCODE' : 'NOT_FOUND',
          line.barcode ?? `product ${line.productId}`,
        );
      }
      if (!Number(product.active)) throw new FloorProblem('PRODUCT_INACTIVE', product.name);
      pointsTotal += product.pointPrice * line.quantity;
      const item = merged.get(Number(product.id));
      if (item) item.quantity += line.quantity;
      else {
        const added = { product, quantity: line.quantity };
        merged.set(Number(product.id), added);
        items.push(added);
      }
    }
    const now = new Date();
    const today = businessDate(now, timeZone);
    const month = today.slice(0, 7);
    const productIds = items.map((item) => Number(item.product.id));
    const available = await select<{ productId: number; quantity: string }>(
      `SELECT product_id AS productId, SUM(quantity) AS quantity FROM stock_lots
        WHERE store_id = ? AND product_id IN (?) AND quantity > 0
          AND (expiry_date IS NULL OR expiry_date >= ?)
        GROUP BY product_id`,
      [cart.storeId, productIds, today],
    );
    const onShelf = new Map(available.map((row) => [Number(row.productId), Number(row.quantity)]));
    for (const item of items) {
      if ((onShelf.get(Number(item.product.id)) ?? 0) < item.quantity) {
        throw new FloorProblem('INSUFFICIENT_STOCK', item.product.name);
      }
    }
    const limited =
      (policy?.monthly_visit_limit ?? null) !== null ||
      items.some((item) => item.product.productLimit !== null) ||
      items.some((item) => item.product.categoryLimit !== null);
    if (limited) {
      // the bench's catalogue has no limits; kept so the floor costs what the service would
      const usage = await select<{ productId: number | null; units: string }>(
        `SELECT l.product_id AS productId, l.category_id AS categoryId, SUM(l.quantity) AS units,
                COUNT(DISTINCT r.id) AS visits
           FROM redemptions r
           LEFT JOIN redemption_lines l ON l.redemption_id = r.id
          WHERE r.household_id = ? AND r.business_month = ? AND r.status IN (?)
          GROUP BY l.product_id, l.category_id WITH ROLLUP`,
        [household.id, month, SPENT_STATUSES],
      );
      for (const item of items) {
        const used = usage.find((row) => Number(row.productId) === Number(item.product.id));
        const limit = item.product.productLimit;
        if (limit !== null && Number(used?.units ?? 0) + item.quantity > limit) {
          throw new FloorProblem('LIMIT_EXCEEDED', item.product.name);
        }
      }
    }
    if (
      household.status !== 'active' &&
      !(household.status === 'exited' && Number(policy?.exited_may_spend ?? 0))
    ) {
      throw new FloorProblem('HOUSEHOLD_INACTIVE', cardNo);
    }
    const [spendable] = await select<{ total: string | null }>(
      `SELECT SUM(remaining) AS total FROM points_grants
        WHERE household_id = ? AND remaining > 0 AND (expires_on IS NULL OR expires_on > ?)`,
      [household.id, today],
    );
    if (pointsTotal > Number(spendable?.total ?? 0)) {
      throw new FloorProblem('INSUFFICIENT_POINTS', cardNo);
    }

    // the receipt number: the upsert's row lock queues the store's tills
    const year = Number(today.slice(0, 4));
    await write(
      `INSERT INTO receipt_sequences (series, store_id, year, last_number) VALUES (?, ?, ?, 1)
       ON DUPLICATE KEY UPDATE last_number = last_number + 1`,
      [RECEIPT_SERIES, store.id, year],
    );
    const [sequence] = await select<{ lastNumber: number }>(
      'SELECT last_number AS lastNumber FROM receipt_sequences WHERE series = ? AND store_id = ? AND year = ?',
      [RECEIPT_SERIES, store.id, year],
    );
    const receiptNo = `${RECEIPT_SERIES}-${store.code}-${year}-${String(sequence?.lastNumber).padStart(6, '0')}`;
    const balance = Number(household.balance);
    const inserted = await write(
      `INSERT INTO redemptions (receipt_no, store_id, household_id, status, fulfilment, points_total,
         goods_value_fen, balance_before, balance_after, occurred_at, business_date, business_month,
         created_by, idempotency_key, request_hash, limit_override_reason, limit_override_by,
         delivery_address, delivery_note, received_by, delivered_at, delivered_by, void_reason,
         voided_by, voided_at)
       VALUES ${tuple(25)}`,
      [
        receiptNo,
        store.id,
        household.id,
        'completed',
        'pickup',
        pointsTotal,
        0,
        balance,
        balance - pointsTotal,
        now,
        today,
        month,
        clerk.userId,
        key,
        requestHash,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
      ],
    );
    const id = inserted.insertId;

    // PointsLedger.post of a debit: plan the draws, append entry and allocations, move the caches
    if (pointsTotal > 0) {
      const grants = await select<{ id: number; remaining: number }>(
        `SELECT id, remaining, DATE_FORMAT(expires_on, '%Y-%m-%d') AS expiresOn FROM points_grants
          WHERE household_id = ? AND remaining > 0 AND (expires_on IS NULL OR expires_on > ?)
          ORDER BY id = ? DESC, expires_on IS NULL, expires_on, id`,
        [household.id, today, 0],
      );
      const draws: { grantId: number; points: number }[] = [];
      let left = pointsTotal;
      for (const grant of grants) {
        if (left === 0) break;
        const take = Math.min(left, Number(grant.remaining));
        draws.push({ grantId: Number(grant.id), points: take });
        left -= take;
      }
      if (left > 0) throw new FloorProblem('INSUFFICIENT_POINTS', cardNo);
      const entry = await write(
        `INSERT INTO points_entries (household_id, kind, points, balance_after, store_id, actor_id,
           occurred_at, business_date, reason, source_type, source_id, rule_id, batch_id, period,
           allotment_month, reverses_entry_id)
         VALUES ${tuple(16)}`,
        [
          household.id,
          'redemption',
          -pointsTotal,
          balance - pointsTotal,
          store.id,
          clerk.userId,
          now,
          today,
          `兑换 ${receiptNo}`,
          'redemption',
          String(id),
          null,
          null,
          null,
          null,
          null,
        ],
      );
      await write(
        `INSERT INTO points_allocations (entry_id, grant_id, points) VALUES ${draws.map(() => tuple(3)).join(', ')}`,
        draws.flatMap((draw) => [entry.insertId, draw.grantId, -draw.points]),
      );
      // every drawn grant in one guarded UPDATE, as applyDraws does
      const amountOf = `CASE id ${draws.map(() => 'WHEN ? THEN ?').join(' ')} END`;
      const amounts = draws.flatMap((draw) => [draw.grantId, draw.points]);
      const grantIds = draws.map((draw) => draw.grantId);
      const drawn = await write(
        `UPDATE points_grants SET remaining = remaining - ${amountOf}
          WHERE id IN (${grantIds.map(() => '?').join(', ')}) AND remaining >= ${amountOf}`,
        [...amounts, ...grantIds, ...amounts],
      );
      if (drawn.affectedRows !== draws.length) throw new Error(`grants ${grantIds.join(', ')}`);
      const debited = await write(
        'UPDATE households SET balance = balance - ? WHERE id = ? AND balance >= ?',
        [pointsTotal, household.id, pointsTotal],
      );
      if (debited.affectedRows !== 1) throw new FloorProblem('INSUFFICIENT_POINTS', cardNo);
    }

    // StockService.consumeFefo: products, one locking read of the lots, one UPDATE, one INSERT
    const sortedIds = [...productIds].sort((a, b) => a - b);
    await select('SELECT * FROM products WHERE id IN (?)', [sortedIds]);
    const lots = await select<LotRow>(
      `SELECT id, store_id AS storeId, product_id AS productId, unit_value_fen AS unitValueFen,
              DATE_FORMAT(expiry_date, '%Y-%m-%d') AS expiryDate, quantity
         FROM stock_lots FORCE INDEX (${LOT_LOCK_INDEX})
        WHERE ((store_id = ? AND product_id IN (?))) AND quantity > 0
        ORDER BY store_id, product_id, expiry_date IS NULL, expiry_date, id
          FOR UPDATE`,
      [store.id, sortedIds],
    );
    const taken: Take[] = [];
    for (const productId of sortedIds) {
      let remaining = merged.get(productId)?.quantity ?? 0;
      const usable = lots.filter(
        (lot) =>
          Number(lot.productId) === productId &&
          (lot.expiryDate === null || lot.expiryDate >= today),
      );
      if (usable.reduce((sum, lot) => sum + Number(lot.quantity), 0) < remaining) {
        throw new FloorProblem('INSUFFICIENT_STOCK', `product ${productId}`);
      }
      for (const lot of usable) {
        if (remaining === 0) break;
        const quantity = Math.min(Number(lot.quantity), remaining);
        taken.push({
          lotId: Number(lot.id),
          productId,
          quantity,
          unitValueFen: Number(lot.unitValueFen),
        });
        remaining -= quantity;
      }
    }
    const cases = taken.map(() => 'WHEN ? THEN ?').join(' ');
    const moved = await write(
      `UPDATE stock_lots SET quantity = quantity + CASE id ${cases} END
        WHERE id IN (${taken.map(() => '?').join(', ')}) AND quantity >= CASE id ${cases} END`,
      [
        ...taken.flatMap((part) => [part.lotId, -part.quantity]),
        ...taken.map((part) => part.lotId),
        ...taken.flatMap((part) => [part.lotId, part.quantity]),
      ],
    );
    if (moved.affectedRows !== taken.length)
      throw new FloorProblem('INSUFFICIENT_STOCK', receiptNo);
    const movedAt = new Date();
    await write(
      `INSERT INTO stock_movements (store_id, product_id, lot_id, kind, quantity, actor_id, ref_type,
         ref_id, reverses_movement_id, note, occurred_at, business_date)
       VALUES ${taken.map(() => tuple(12)).join(', ')}`,
      taken.flatMap((part) => [
        store.id,
        part.productId,
        part.lotId,
        'redemption_out',
        -part.quantity,
        clerk.userId,
        'redemption',
        String(id),
        null,
        receiptNo,
        movedAt,
        businessDate(movedAt, timeZone),
      ]),
    );

    // the lines and the lots each drew from: two multi-row inserts
    let goodsValueFen = 0;
    const lineRows: unknown[][] = [];
    const lotRows: unknown[][] = [];
    items.forEach((item, index) => {
      const lineNo = index + 1;
      const parts = taken.filter((part) => part.productId === Number(item.product.id));
      const valueFen = parts.reduce((sum, part) => sum + part.quantity * part.unitValueFen, 0);
      goodsValueFen += valueFen;
      lineRows.push([
        id,
        lineNo,
        item.product.id,
        item.product.categoryId,
        item.product.name,
        item.product.unit,
        item.quantity,
        item.product.pointPrice,
        item.quantity * item.product.pointPrice,
        valueFen,
      ]);
      for (const part of parts) {
        lotRows.push([id, lineNo, part.lotId, part.quantity, part.unitValueFen]);
      }
    });
    await write(
      `INSERT INTO redemption_lines (redemption_id, line_no, product_id, category_id, product_name,
         unit, quantity, point_price, points, value_fen)
       VALUES ${lineRows.map(() => tuple(10)).join(', ')}`,
      lineRows.flat(),
    );
    await write(
      `INSERT INTO redemption_line_lots (redemption_id, line_no, lot_id, quantity, unit_value_fen)
       VALUES ${lotRows.map(() => tuple(5)).join(', ')}`,
      lotRows.flat(),
    );
    await write('UPDATE redemptions SET goods_value_fen = ? WHERE id = ?', [goodsValueFen, id]);
    await write(
      `INSERT INTO audit_entries (occurred_at, actor_id, actor_username, actor_role, store_id, action,
         entity_type, entity_id, summary, request_id, ip)
       VALUES ${tuple(11)}`,
      [
        new Date(),
        clerk.userId,
        clerk.username,
        'clerk',
        store.id,
        'redemption.create',
        'redemption',
        String(id),
        `兑换 ${receiptNo}：卡号 ${household.card_no}，${items.length} 种商品，${pointsTotal} 分`,
        randomUUID(),
        '127.0.0.1',
      ],
    );
    return id;
  };

  try {
    for (let attempt = 1; ; attempt += 1) {
      await send('SET TRANSACTION ISOLATION LEVEL READ COMMITTED');
      await send('START TRANSACTION');
      try {
        const id = await transaction();
        await send('COMMIT');
        return { id, statements, attempts: attempt };
      } catch (error) {
        await send('ROLLBACK');
        if (isLockConflict(error) && attempt < CHECKOUT_ATTEMPTS) continue;
        throw error;
      }
    }
  } finally {
    connection.release();
  }
}
