import { BATCHED_DATA_SOURCE } from '@charity/common';
import { findPointsLedgerMismatches } from '@charity/households';
import { findStockLedgerMismatches } from '@charity/inventory';
import { findReportTotalsMismatches } from '@charity/reports';
import { getDataSourceToken } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { stepAutoIncrement } from './support/auto-increment-steps';
import type { SignedIn } from './support/given';
import { createTestApp, type TestApp } from './support/test-app';

// Ids handed out as node 2 of a three-node cluster would (2, 5, 8 …), whatever TEST_AUTO_INCREMENT_
// INCREMENT says: rows written by one multi-row INSERT must still be found and referred to rightly.
// `npm run test:e2e:steps` runs every suite like this.
stepAutoIncrement();

describe('ids handed out in steps of 3', () => {
  let t: TestApp;
  let admin: SignedIn;

  beforeAll(async () => {
    t = await createTestApp();
    admin = await t.given.signedIn('county_admin');
  });
  afterAll(() => t.close());

  const rowsOf = <T>(sql: string, params: unknown[]): Promise<T[]> =>
    t.dataSource.query(sql, params);

  const expectLedgersAndTotalsExact = async (): Promise<void> => {
    expect(await findPointsLedgerMismatches(t.dataSource.manager)).toEqual([]);
    expect(await findStockLedgerMismatches(t.dataSource.manager)).toEqual([]);
    expect(await findReportTotalsMismatches(t.dataSource.manager)).toEqual([]);
  };

  it('runs both pools of the app with the step', async () => {
    const batched = t.app.get<DataSource>(getDataSourceToken(BATCHED_DATA_SOURCE));
    for (const dataSource of [t.dataSource, batched]) {
      const [session] = await dataSource.query<{ step: string; first: string }[]>(
        'SELECT @@session.auto_increment_increment AS step, @@session.auto_increment_offset AS first',
      );
      expect(session).toEqual({ step: '3', first: '2' });
    }
  });

  it('links every line, lot, movement and points row of a multi-line checkout to it', async () => {
    const store = await t.given.store();
    const clerk = await t.given.signedIn('clerk', store.id);
    const household = await t.given.household({ homeStoreId: store.id, points: 500 });
    // two lots per product, so the checkout draws on five lots in one INSERT of movements
    const products = [];
    for (const [price, unitValueFen] of [
      [10, 1250],
      [7, 300],
      [3, 90],
    ]) {
      const product = await t.given.product({ pointPrice: price });
      await t.given.lot(store.id, product.id, 2, t.given.date(30), unitValueFen);
      await t.given.lot(store.id, product.id, 5, t.given.date(60), unitValueFen + 10);
      products.push(product);
    }
    const response = await t.http
      .post('/api/v1/redemptions')
      .set('Authorization', clerk.auth)
      .set('Idempotency-Key', randomUUID())
      .send({
        storeId: store.id,
        cardNo: household.cardNo,
        lines: [
          { productId: products[0].id, quantity: 3 },
          { productId: products[1].id, quantity: 4 },
          { productId: products[2].id, quantity: 1 },
        ],
      });
    expect(response.status).toBe(201);
    const redemption = response.body as { id: number; pointsTotal: number; goodsValueFen: number };
    expect(redemption.pointsTotal).toBe(30 + 28 + 3);
    const goodsValueFen = 2 * 1250 + 1 * 1260 + 2 * 300 + 2 * 310 + 1 * 90;
    expect(redemption.goodsValueFen).toBe(goodsValueFen);

    const [stored] = await rowsOf<{ id: number; goodsValueFen: string }>(
      'SELECT id, goods_value_fen AS goodsValueFen FROM redemptions WHERE id = ?',
      [redemption.id],
    );
    expect(Number(stored?.goodsValueFen)).toBe(goodsValueFen);
    const lines = await rowsOf<{ lineNo: number; productId: number; lotProducts: string }>(
      `SELECT rl.line_no AS lineNo, rl.product_id AS productId,
              GROUP_CONCAT(DISTINCT l.product_id) AS lotProducts
         FROM redemption_lines rl
         JOIN redemption_line_lots rll ON rll.redemption_id = rl.redemption_id AND rll.line_no = rl.line_no
         JOIN stock_lots l ON l.id = rll.lot_id
        WHERE rl.redemption_id = ? GROUP BY rl.line_no, rl.product_id ORDER BY rl.line_no`,
      [redemption.id],
    );
    expect(lines.map((line) => [line.lineNo, line.productId, Number(line.lotProducts)])).toEqual(
      products.map((product, i) => [i + 1, product.id, product.id]),
    );
    const movements = await rowsOf<{ productId: number; quantity: number }>(
      `SELECT product_id AS productId, SUM(quantity) AS quantity FROM stock_movements
        WHERE ref_type = 'redemption' AND ref_id = ? GROUP BY product_id ORDER BY product_id`,
      [String(redemption.id)],
    );
    expect(movements.map((m) => [m.productId, Number(m.quantity)])).toEqual([
      [products[0].id, -3],
      [products[1].id, -4],
      [products[2].id, -1],
    ]);
    const points = await rowsOf<{ points: number; allocated: string }>(
      `SELECT e.points, SUM(a.points) AS allocated FROM points_entries e
         JOIN points_allocations a ON a.entry_id = e.id
        WHERE e.source_type = 'redemption' AND e.source_id = ? GROUP BY e.id, e.points`,
      [String(redemption.id)],
    );
    expect(points.map((p) => [p.points, Number(p.allocated)])).toEqual([[-61, -61]]);
    const [audit] = await rowsOf<{ entityId: string }>(
      "SELECT entity_id AS entityId FROM audit_entries WHERE action = 'redemption.create' AND entity_id = ?",
      [String(redemption.id)],
    );
    expect(audit?.entityId).toBe(String(redemption.id));
    await expectLedgersAndTotalsExact();
  });

  it('gives every household of an award batch its own entry, grant and allocation', async () => {
    const township = await t.given.region('township');
    const village = await t.given.region('village', township.id);
    const store = await t.given.store({ regionId: township.id });
    const households = [];
    for (let i = 0; i < 4; i += 1) {
      households.push(await t.given.household({ regionId: village.id, homeStoreId: store.id }));
    }
    const rule = await t.given.pointRule({ points: 6 });
    const response = await t.http
      .post('/api/v1/point-awards/batch')
      .set('Authorization', admin.auth)
      .send({
        regionId: village.id,
        month: t.given.date(0).slice(0, 7),
        rows: households.map((household) => ({ cardNo: household.cardNo, ruleCode: rule.code })),
      });
    expect(response.status).toBe(201);
    const batch = response.body as {
      id: number;
      lines: { householdId: number; entryId: string }[];
    };
    expect(batch.lines.map((line) => line.householdId)).toEqual(households.map((h) => h.id));

    const linked = await rowsOf<{ householdId: number; grantHousehold: number; allocated: string }>(
      `SELECT e.household_id AS householdId, g.household_id AS grantHousehold, a.points AS allocated
         FROM point_award_batch_lines bl
         JOIN points_entries e ON e.id = bl.entry_id
         JOIN points_grants g ON g.entry_id = e.id
         JOIN points_allocations a ON a.entry_id = e.id AND a.grant_id = g.id
        WHERE bl.batch_id = ? ORDER BY bl.row_no`,
      [batch.id],
    );
    expect(
      linked.map((row) => [row.householdId, row.grantHousehold, Number(row.allocated)]),
    ).toEqual(households.map((household) => [household.id, household.id, 6]));
    await expectLedgersAndTotalsExact();
  });
});
