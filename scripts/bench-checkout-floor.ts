// The floor of `npm run bench:checkout`: one checkout exactly as RedemptionsService.checkoutIn runs
// it (with PointsLedger.queue, StockService.queueConsumption, nextReceiptNumber, AuditService.queue
// and StatementBatch), statement for statement, round trip for round trip and in the same order, in a
// READ COMMITTED transaction retried on deadlocks like the service, but straight through a
// mysql2/promise pool with `multipleStatements`, as the app's checkout pool: no HTTP, no Nest, no
// TypeORM. What the api sends beyond it is the framework's and the endpoint's: the auth guard's
// user and the controller's Bull add (Redis) queueing the receipt render. Keep it in step with
// those services.
import { businessDate, hashRequest, isLockConflict } from '@charity/common';
import { pointsTotalKind } from '@charity/households';
import { STOCK_TOTAL_KIND_SQL } from '@charity/inventory';
import { RECEIPT_SERIES, SPENT_STATUSES } from '@charity/redemptions';
import type { Pool, ResultSetHeader } from 'mysql2/promise';
import { randomUUID } from 'node:crypto';

/** StockService's LOT_LOCK_INDEX: every locking read of lots walks it. */
const LOT_LOCK_INDEX = 'IDX_b6534149695869876838720344';

/** As the service: deadlocks and lock timeouts are retried this many times. */
const CHECKOUT_ATTEMPTS = 4;

/** As PointsLedger's policy cache. */
const POLICY_CACHE_MS = 5000;

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
  /** Round trips to the database, over all attempts. */
  roundTrips: number;
  attempts: number;
}

interface StoreRow {
  id: number;
  code: string;
  name: string;
  active: number;
  earlierId: number | null;
  earlierHash: string | null;
}

interface HouseholdRow {
  id: number;
  cardNo: string;
  status: string;
  balance: number;
  category: string;
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
  monthlyLimitPerHousehold: number | null;
  active: number;
  categoryLimit: number | null;
  available: string;
}

interface LotRow {
  id: number;
  productId: number;
  unitValueFen: number;
  expiryDate: string | null;
  quantity: number;
}

interface GrantRow {
  id: number;
  remaining: number;
  expiresOn: string | null;
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

/** The household columns PointsLedger.queueLockByCard reads. */
const HOUSEHOLD_COLUMNS = `id, card_no AS cardNo, head_name AS headName,
  id_number_cipher AS idNumberCipher, id_number_hash AS idNumberHash,
  id_number_masked AS idNumberMasked, id_number_last4 AS idNumberLast4, category,
  member_count AS memberCount, region_id AS regionId, home_store_id AS homeStoreId,
  phone_cipher AS phoneCipher, phone_hash AS phoneHash, phone_masked AS phoneMasked,
  phone_last4 AS phoneLast4, address, status, DATE_FORMAT(exited_on, '%Y-%m-%d') AS exitedOn,
  status_reason AS statusReason, balance, created_by AS createdBy, created_at AS createdAt,
  updated_at AS updatedAt`;

let cachedPolicy: { policy: PolicyRow | undefined; until: number } | null = null;
/** mysql2's connections (not the promise wrappers, new on every checkout) set to READ COMMITTED. */
const readCommitted = new WeakSet<object>();

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
  let roundTrips = 0;
  const send = async (sql: string, values: unknown[] = [], count = 1): Promise<unknown> => {
    statements += count;
    roundTrips += 1;
    const [result] = await connection.query(sql, values);
    return result;
  };
  const select = async <T>(sql: string, values: unknown[] = []): Promise<T[]> =>
    (await send(sql, values)) as T[];

  /**
   * StatementBatch.run on the checkout pool: the statements in one round trip (after START
   * TRANSACTION when `start`, as UnitOfWork sends START with a transaction's first batch), then
   * the guards.
   */
  const batch = async (
    queued: { sql: string; values: unknown[]; check?: (result: ResultSetHeader) => void }[],
    start = false,
  ): Promise<unknown[]> => {
    const sql = queued.map((statement) => statement.sql);
    const answers = (await send(
      (start ? ['START TRANSACTION', ...sql] : sql).join(';\n'),
      queued.flatMap((statement) => statement.values),
      queued.length + (start ? 1 : 0),
    )) as unknown[];
    const results = start ? answers.slice(1) : answers;
    queued.forEach((statement, index) => {
      statement.check?.(results[index] as ResultSetHeader);
    });
    return results;
  };

  const transaction = async (): Promise<number> => {
    // START TRANSACTION and the first reads: the store with the key's earlier checkout, the
    // household's lock, the goods with what is on the shelf, the household's grants (policy
    // cached, as PointsLedger does)
    const cardNo = cart.cardNo.trim().toUpperCase();
    const now = new Date();
    const today = businessDate(now, timeZone);
    const month = today.slice(0, 7);
    const ids = cart.lines.flatMap((line) =>
      line.productId !== undefined ? [line.productId] : [],
    );
    const codes = cart.lines.flatMap((line) => (line.barcode !== undefined ? [line.barcode] : []));
    const where: string[] = [];
    const productValues: unknown[] = [cart.storeId, today];
    if (ids.length > 0) {
      where.push(`p.id IN (${ids.map(() => '?').join(', ')})`);
      productValues.push(...ids);
    }
    if (codes.length > 0) {
      const list = codes.map(() => '?').join(', ');
      where.push(`p.barcode IN (${list})`, `p.internal_code IN (${list})`);
      productValues.push(...codes, ...codes);
    }
    const [stores, households, products, grants] = (await batch(
      [
        {
          sql: `SELECT s.id, s.code, s.name, s.active, r.id AS earlierId, r.request_hash AS earlierHash
                FROM stores s
                LEFT JOIN redemptions r ON r.store_id = s.id AND r.idempotency_key = ?
               WHERE s.id = ? LIMIT 1`,
          values: [key, cart.storeId],
        },
        {
          sql: `SELECT ${HOUSEHOLD_COLUMNS} FROM households WHERE card_no = ? LIMIT 1 FOR UPDATE`,
          values: [cardNo],
        },
        {
          sql: `SELECT p.id, p.name, p.category_id AS categoryId, p.unit, p.barcode,
                     p.internal_code AS internalCode, p.point_price AS pointPrice,
                     p.monthly_limit_per_household AS monthlyLimitPerHousehold, p.active,
                     c.name AS categoryName, c.monthly_limit_per_household AS categoryLimit,
                     (SELECT COALESCE(SUM(l.quantity), 0) FROM stock_lots l
                       WHERE l.store_id = ? AND l.product_id = p.id AND l.quantity > 0
                         AND (l.expiry_date IS NULL OR l.expiry_date >= ?)) AS available
                FROM products p JOIN product_categories c ON c.id = p.category_id
               WHERE ${where.join(' OR ')}`,
          values: productValues,
        },
        {
          sql: `SELECT id, remaining, DATE_FORMAT(expires_on, '%Y-%m-%d') AS expiresOn
                FROM points_grants
               WHERE household_id = (SELECT id FROM households WHERE card_no = ?)
                 AND remaining > 0 AND (expires_on IS NULL OR expires_on > ?)
               ORDER BY expires_on IS NULL, expires_on, id`,
          values: [cardNo, today],
        },
      ],
      true,
    )) as [StoreRow[], HouseholdRow[], ProductRow[], GrantRow[]];
    const [store] = stores;
    if (store?.earlierId) {
      if (store.earlierHash !== requestHash) throw new FloorProblem('IDEMPOTENCY_KEY_REUSED', key);
      return Number(store.earlierId);
    }
    if (!store) throw new FloorProblem('NOT_FOUND', `store ${cart.storeId}`);
    if (!Number(store.active)) throw new FloorProblem('CONFLICT', `store ${store.code} inactive`);
    const [household] = households;
    if (!household) throw new FloorProblem('CARD_NOT_FOUND', cardNo);
    if (!cachedPolicy || cachedPolicy.until < Date.now()) {
      const [policy] = await select<PolicyRow>('SELECT * FROM points_policy WHERE id = 1 LIMIT 1');
      cachedPolicy = { policy, until: Date.now() + POLICY_CACHE_MS };
    }
    const policy = cachedPolicy.policy;

    // evaluate
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
    for (const item of items) {
      if (Number(item.product.available) < item.quantity) {
        throw new FloorProblem('INSUFFICIENT_STOCK', item.product.name);
      }
    }
    const limited =
      (policy?.monthly_visit_limit ?? null) !== null ||
      items.some((item) => item.product.monthlyLimitPerHousehold !== null) ||
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
        const limit = item.product.monthlyLimitPerHousehold;
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
    const spendable = grants.reduce((sum, grant) => sum + Number(grant.remaining), 0);
    if (pointsTotal > spendable) throw new FloorProblem('INSUFFICIENT_POINTS', cardNo);

    // the locks: the store's receipt number (the upsert's row lock queues the store's tills), then
    // every in-stock lot of the goods, in LOT_LOCK_INDEX order
    const year = Number(today.slice(0, 4));
    const sortedIds = items.map((item) => Number(item.product.id)).sort((a, b) => a - b);
    const [sequence, lots] = (await batch([
      {
        sql: `INSERT INTO receipt_sequences (series, store_id, year, last_number)
              VALUES (?, ?, ?, LAST_INSERT_ID(1))
              ON DUPLICATE KEY UPDATE last_number = LAST_INSERT_ID(last_number + 1)`,
        values: [RECEIPT_SERIES, store.id, year],
      },
      {
        sql: `SELECT id, store_id AS storeId, product_id AS productId, unit_value_fen AS unitValueFen,
                     DATE_FORMAT(expiry_date, '%Y-%m-%d') AS expiryDate, quantity,
                     source_type AS sourceType, source_ref AS sourceRef
                FROM stock_lots FORCE INDEX (${LOT_LOCK_INDEX})
               WHERE ((store_id = ? AND product_id IN (${sortedIds.map(() => '?').join(', ')}))) AND quantity > 0
               ORDER BY store_id, product_id, expiry_date IS NULL, expiry_date, id
                 FOR UPDATE`,
        values: [store.id, ...sortedIds],
      },
    ])) as [ResultSetHeader, LotRow[]];
    const receiptNo = `${RECEIPT_SERIES}-${store.code}-${year}-${String(sequence.insertId).padStart(6, '0')}`;
    const balance = Number(household.balance);

    // the writes, in one round trip: the redemption first, its id kept in a session variable
    const writes: { sql: string; values: unknown[]; check?: (result: ResultSetHeader) => void }[] =
      [
        {
          sql: `INSERT INTO redemptions (receipt_no, store_id, household_id, household_category,
                  status, fulfilment, points_total, goods_value_fen, balance_before, balance_after,
                  occurred_at, business_date, business_month, created_by, idempotency_key,
                  request_hash, limit_override_reason, limit_override_by, delivery_address,
                  delivery_note)
                VALUES (?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
          values: [
            receiptNo,
            store.id,
            household.id,
            household.category,
            'completed',
            'pickup',
            pointsTotal,
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
          ],
        },
        { sql: 'SET @floor_redemption = LAST_INSERT_ID()', values: [] },
      ];
    const redemptionId = '(@floor_redemption + 0)';

    // PointsLedger.queue of a debit: draws from the grants read above
    if (pointsTotal > 0) {
      const draws: { grantId: number; points: number }[] = [];
      let left = pointsTotal;
      for (const grant of grants) {
        if (left === 0) break;
        const take = Math.min(left, Number(grant.remaining));
        draws.push({ grantId: Number(grant.id), points: take });
        left -= take;
      }
      const amountOf = `CASE id ${draws.map(() => 'WHEN ? THEN ?').join(' ')} END`;
      const amounts = draws.flatMap((draw) => [draw.grantId, draw.points]);
      const grantIds = draws.map((draw) => draw.grantId);
      writes.push(
        {
          sql: `INSERT INTO points_entries (household_id, kind, points, balance_after, store_id,
                  actor_id, occurred_at, business_date, reason, source_type, source_id, rule_id,
                  batch_id, period, allotment_month, reverses_entry_id)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ${redemptionId}, ?, ?, ?, ?, ?)`,
          values: [
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
            null,
            null,
            null,
            null,
            null,
          ],
        },
        { sql: 'SET @floor_entry = LAST_INSERT_ID()', values: [] },
        {
          sql: `INSERT INTO points_month_totals (business_month, store_id, kind, points)
                VALUES (?, ?, ?, ?) ON DUPLICATE KEY UPDATE points = points + ?`,
          values: [month, store.id, pointsTotalKind('redemption'), -pointsTotal, -pointsTotal],
        },
        {
          sql: `INSERT INTO points_allocations (entry_id, grant_id, points)
                VALUES ${draws.map(() => '((@floor_entry + 0), ?, ?)').join(', ')}`,
          values: draws.flatMap((draw) => [draw.grantId, -draw.points]),
        },
        {
          sql: `UPDATE points_grants SET remaining = remaining - ${amountOf}
                 WHERE id IN (${grantIds.map(() => '?').join(', ')}) AND remaining >= ${amountOf}`,
          values: [...amounts, ...grantIds, ...amounts],
          check: (result) => {
            if (result.affectedRows !== draws.length) throw new Error(`grants ${grantIds.join()}`);
          },
        },
        {
          sql: 'UPDATE households SET balance = balance - ? WHERE id = ? AND balance >= ?',
          values: [pointsTotal, household.id, pointsTotal],
          check: (result) => {
            if (result.affectedRows !== 1) throw new FloorProblem('INSUFFICIENT_POINTS', cardNo);
          },
        },
      );
    }

    // StockService.queueConsumption: FEFO over the locked lots, the update and the movements
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
    const movedAt = new Date();
    writes.push(
      {
        sql: `UPDATE stock_lots SET quantity = quantity + CASE id ${cases} END
               WHERE id IN (${taken.map(() => '?').join(', ')}) AND quantity >= CASE id ${cases} END`,
        values: [
          ...taken.flatMap((part) => [part.lotId, -part.quantity]),
          ...taken.map((part) => part.lotId),
          ...taken.flatMap((part) => [part.lotId, part.quantity]),
        ],
        check: (result) => {
          if (result.affectedRows !== taken.length) {
            throw new FloorProblem('INSUFFICIENT_STOCK', receiptNo);
          }
        },
      },
      {
        sql: `INSERT INTO stock_movements (store_id, product_id, lot_id, kind, quantity, actor_id,
                ref_type, ref_id, reverses_movement_id, note, occurred_at, business_date)
              VALUES ${taken.map(() => `(?, ?, ?, ?, ?, ?, ?, ${redemptionId}, ?, ?, ?, ?)`).join(', ')}`,
        values: taken.flatMap((part) => [
          store.id,
          part.productId,
          part.lotId,
          'redemption_out',
          -part.quantity,
          clerk.userId,
          'redemption',
          null,
          receiptNo,
          movedAt,
          businessDate(movedAt, timeZone),
        ]),
      },
      { sql: 'SET @floor_movement = LAST_INSERT_ID()', values: [] },
      {
        sql: `INSERT INTO stock_month_totals (business_month, store_id, kind, value_fen)
              SELECT ?, m.store_id, ${STOCK_TOTAL_KIND_SQL}, SUM(m.quantity * CAST(l.unit_value_fen AS SIGNED))
                FROM stock_movements m JOIN stock_lots l ON l.id = m.lot_id
               WHERE m.id BETWEEN (@floor_movement + 0) AND (@floor_movement + ?)
               GROUP BY m.store_id, 3
              ON DUPLICATE KEY UPDATE value_fen = value_fen + VALUES(value_fen)`,
        values: [month, taken.length - 1],
      },
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
      for (const part of parts)
        lotRows.push([lineNo, part.lotId, part.quantity, part.unitValueFen]);
    });
    writes.push(
      {
        sql: `INSERT INTO redemption_lines (redemption_id, line_no, product_id, category_id,
                product_name, unit, quantity, point_price, points, value_fen)
              VALUES ${lineRows.map(() => `(${redemptionId}, ?, ?, ?, ?, ?, ?, ?, ?, ?)`).join(', ')}`,
        values: lineRows.flat(),
      },
      {
        sql: `INSERT INTO redemption_line_lots (redemption_id, line_no, lot_id, quantity, unit_value_fen)
              VALUES ${lotRows.map(() => `(${redemptionId}, ?, ?, ?, ?)`).join(', ')}`,
        values: lotRows.flat(),
      },
      {
        sql: `UPDATE redemptions SET goods_value_fen = ? WHERE id = ${redemptionId}`,
        values: [goodsValueFen],
      },
      {
        sql: `INSERT INTO audit_entries (occurred_at, actor_id, actor_username, actor_role, store_id,
                action, entity_type, entity_id, summary, request_id, ip)
              VALUES (?, ?, ?, ?, ?, ?, ?, ${redemptionId}, ?, ?, ?)`,
        values: [
          new Date(),
          clerk.userId,
          clerk.username,
          'clerk',
          store.id,
          'redemption.create',
          'redemption',
          `兑换 ${receiptNo}：卡号 ${household.cardNo}，${items.length} 种商品，${pointsTotal} 分`,
          randomUUID(),
          '127.0.0.1',
        ],
      },
    );
    const [inserted] = (await batch(writes)) as [ResultSetHeader];
    return inserted.insertId;
  };

  try {
    const session = (connection as unknown as { connection: object }).connection;
    if (!readCommitted.has(session)) {
      await send('SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED');
      readCommitted.add(session);
    }
    for (let attempt = 1; ; attempt += 1) {
      try {
        const id = await transaction();
        await send('COMMIT');
        return { id, statements, roundTrips, attempts: attempt };
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
