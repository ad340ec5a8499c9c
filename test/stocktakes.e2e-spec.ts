import { AuditEntry } from '@charity/audit';
import {
  findStockLedgerMismatches,
  StockLot,
  StockMovement,
  StockService,
  type CatalogueProduct,
} from '@charity/inventory';
import type { Store } from '@charity/organisation';
import type { Given, SignedIn } from './support/given';
import { createTestApp, type TestApp } from './support/test-app';
import { expectError } from './support/errors';

const DAY = 86_400_000;

interface LineView {
  productId: number;
  counted: number;
  system: number | null;
  variance: number | null;
}

describe('stocktakes', () => {
  let t: TestApp;
  let stock: StockService;
  let today: string;
  let storeA: Store;
  let storeB: Store;
  let admin: SignedIn;
  let managerA: SignedIn;
  let clerkA: SignedIn;
  let managerB: SignedIn;
  let auditor: SignedIn;
  let sequence = 0;

  const date = (offsetDays: number): string =>
    new Date(Date.parse(`${today}T00:00:00Z`) + offsetDays * DAY).toISOString().slice(0, 10);

  const product = (name = '大米 5kg'): Promise<CatalogueProduct> =>
    t.given.product({ name: `${name} #${++sequence}`, pointPrice: 30, unitValueFen: 3000 });

  const stockIn = (...args: Parameters<Given['lot']>): Promise<StockLot> => t.given.lot(...args);

  const base = (storeId: number) => `/api/v1/stores/${storeId}/stocktakes`;
  const open = (storeId: number, who: SignedIn | null = clerkA, body: object = {}) => {
    const req = t.http.post(base(storeId));
    return (who ? req.set('Authorization', who.auth) : req).send(body);
  };
  const count = (
    storeId: number,
    id: number,
    lines: { productId: number; countedQuantity: number }[],
    mode?: 'set' | 'add',
    who: SignedIn = clerkA,
  ) =>
    t.http
      .put(`${base(storeId)}/${id}/lines`)
      .set('Authorization', who.auth)
      .send(mode ? { lines, mode } : { lines });
  const close = (storeId: number, id: number, action: 'finalize' | 'cancel', who = managerA) =>
    t.http.post(`${base(storeId)}/${id}/${action}`).set('Authorization', who.auth);
  const view = (storeId: number, id: number, who = clerkA) =>
    t.http.get(`${base(storeId)}/${id}`).set('Authorization', who.auth);

  const figures = (lines: LineView[]) =>
    lines.map(({ productId, counted, system, variance }) => ({
      productId,
      counted,
      system,
      variance,
    }));
  const onHand = async (storeId: number, productId: number): Promise<number[]> =>
    (
      await t.dataSource
        .getRepository(StockLot)
        .find({ where: { storeId, productId }, order: { id: 'ASC' } })
    ).map((lot) => lot.quantity);
  const movementsOf = (id: number): Promise<StockMovement[]> =>
    t.dataSource
      .getRepository(StockMovement)
      .find({ where: { refType: 'stocktake', refId: String(id) }, order: { id: 'ASC' } });

  beforeAll(async () => {
    t = await createTestApp();
    await t.reset();
    stock = t.app.get(StockService);
    today = stock.today();
    storeA = await t.given.store();
    storeB = await t.given.store();
    admin = await t.given.signedIn('county_admin');
    managerA = await t.given.signedIn('store_manager', storeA.id);
    clerkA = await t.given.signedIn('clerk', storeA.id);
    managerB = await t.given.signedIn('store_manager', storeB.id);
    auditor = await t.given.signedIn('auditor');
  });

  afterEach(async () => {
    expect(await findStockLedgerMismatches(t.dataSource.manager)).toEqual([]);
    // every test leaves store A without an open count
    for (const store of [storeA, storeB]) {
      const listed = await t.http
        .get(`${base(store.id)}?status=open`)
        .set('Authorization', admin.auth)
        .expect(200);
      for (const item of listed.body.items as { id: number }[]) {
        await close(store.id, item.id, 'cancel', admin).expect(200);
      }
    }
  });

  afterAll(() => t.close());

  it('counts, shows variances, and finalizes into stocktake movements for counted products only', async () => {
    const rice = await product('大米 5kg');
    const oil = await product('食用油 5L');
    const flour = await product('面粉');
    const soap = await product('洗衣粉');
    const expired = await stockIn(storeA.id, rice.id, 3, date(-5));
    const dated = await stockIn(storeA.id, rice.id, 4, date(10));
    const undated = await stockIn(storeA.id, rice.id, 5, null);
    await stockIn(storeA.id, oil.id, 2, date(100));
    await stockIn(storeA.id, flour.id, 6, null);
    await stockIn(storeA.id, soap.id, 7, null);

    const opened = await open(storeA.id, clerkA, { note: '月末盘点' }).expect(201);
    const id = opened.body.id as number;
    expect(opened.body).toMatchObject({
      storeId: storeA.id,
      status: 'open',
      note: '月末盘点',
      openedBy: clerkA.user.id,
      closedBy: null,
      lines: [],
      uncountedProducts: 4,
    });

    const counted = await count(storeA.id, id, [
      { productId: rice.id, countedQuantity: 7 },
      { productId: oil.id, countedQuantity: 5 },
      { productId: flour.id, countedQuantity: 6 },
    ]).expect(200);
    const expected = [
      { productId: rice.id, counted: 7, system: 12, variance: -5 }, // expired lots count as on hand
      { productId: oil.id, counted: 5, system: 2, variance: 3 },
      { productId: flour.id, counted: 6, system: 6, variance: 0 },
    ];
    expect(figures(counted.body.lines)).toEqual(expected);
    expect(counted.body.lines[0]).toMatchObject({ name: rice.name, unit: '袋' });
    expect(counted.body.uncountedProducts).toBe(1); // soap
    expect(figures((await view(storeA.id, id).expect(200)).body.lines)).toEqual(expected);

    expectError(await close(storeA.id, id, 'finalize', clerkA), 403, 'FORBIDDEN');
    const finalized = await close(storeA.id, id, 'finalize').expect(200);

    expect(finalized.body).toMatchObject({
      status: 'finalized',
      closedBy: managerA.user.id,
      uncountedProducts: null,
    });
    expect(figures(finalized.body.lines)).toEqual(expected);
    // the shortfall leaves first-expiry-first-out, expired lot first
    expect(await onHand(storeA.id, rice.id)).toEqual([0, 2, 5]);
    const oilLots = await t.dataSource
      .getRepository(StockLot)
      .find({ where: { storeId: storeA.id, productId: oil.id }, order: { id: 'ASC' } });
    expect(
      oilLots.map(({ quantity, expiryDate, unitValueFen, sourceType, sourceRef }) => ({
        quantity,
        expiryDate,
        unitValueFen,
        sourceType,
        sourceRef,
      })),
    ).toEqual([
      {
        quantity: 2,
        expiryDate: date(100),
        unitValueFen: 2500,
        sourceType: 'donation',
        sourceRef: expect.any(String),
      },
      {
        quantity: 3,
        expiryDate: null,
        unitValueFen: 3000,
        sourceType: 'stocktake',
        sourceRef: String(id),
      },
    ]);
    expect(await onHand(storeA.id, flour.id)).toEqual([6]);
    expect(await onHand(storeA.id, soap.id)).toEqual([7]); // not counted, not touched
    expect(
      (await movementsOf(id)).map(({ storeId, lotId, kind, quantity, actorId }) => ({
        storeId,
        lotId,
        kind,
        quantity,
        actorId,
      })),
    ).toEqual([
      {
        storeId: storeA.id,
        lotId: expired.id,
        kind: 'stocktake',
        quantity: -3,
        actorId: managerA.user.id,
      },
      {
        storeId: storeA.id,
        lotId: dated.id,
        kind: 'stocktake',
        quantity: -2,
        actorId: managerA.user.id,
      },
      {
        storeId: storeA.id,
        lotId: oilLots[1]?.id,
        kind: 'stocktake',
        quantity: 3,
        actorId: managerA.user.id,
      },
    ]);
    expect(undated.id).toBeGreaterThan(0);
    const audit = await t.dataSource
      .getRepository(AuditEntry)
      .find({ where: { entityType: 'stocktake', entityId: String(id) }, order: { id: 'ASC' } });
    expect(audit.map(({ action, storeId, actorId }) => ({ action, storeId, actorId }))).toEqual([
      { action: 'stocktake.open', storeId: storeA.id, actorId: clerkA.user.id },
      { action: 'stocktake.count', storeId: storeA.id, actorId: clerkA.user.id },
      { action: 'stocktake.finalize', storeId: storeA.id, actorId: managerA.user.id },
    ]);

    // final: nothing changes it, and it keeps the figures of the moment it was finalized
    for (const response of [
      await count(storeA.id, id, [{ productId: rice.id, countedQuantity: 1 }]),
      await close(storeA.id, id, 'finalize'),
      await close(storeA.id, id, 'cancel'),
    ]) {
      expectError(response, 409, 'STOCKTAKE_NOT_OPEN');
    }
    await stockIn(storeA.id, rice.id, 50, null);
    expect(figures((await view(storeA.id, id).expect(200)).body.lines)).toEqual(expected);
    expect(await movementsOf(id)).toHaveLength(3);
  });

  it('adds scans up in add mode, replaces in set mode, and queues concurrent scanners', async () => {
    const towel = await product('毛巾');
    const id = (await open(storeA.id).expect(201)).body.id as number;
    const scan = { productId: towel.id, countedQuantity: 1 };

    await count(storeA.id, id, [scan], 'add').expect(200);
    const twice = await count(storeA.id, id, [scan, scan], 'add').expect(200);
    expect(figures(twice.body.lines)).toEqual([
      { productId: towel.id, counted: 3, system: 0, variance: 3 },
    ]);
    const scans = await Promise.all(
      Array.from({ length: 6 }, () => count(storeA.id, id, [scan], 'add')),
    );
    expect(scans.map((r) => r.status)).toEqual([200, 200, 200, 200, 200, 200]);
    expect((await view(storeA.id, id)).body.lines[0].counted).toBe(9);

    const typed = await count(storeA.id, id, [{ productId: towel.id, countedQuantity: 2 }]);
    expect(typed.body.lines[0].counted).toBe(2);
    await close(storeA.id, id, 'finalize').expect(200);
    expect(await onHand(storeA.id, towel.id)).toEqual([2]);
  });

  it('posts the variance against the stock at the moment of finalizing', async () => {
    const rice = await product();
    await stockIn(storeA.id, rice.id, 8, null);
    const id = (await open(storeA.id).expect(201)).body.id as number;
    await count(storeA.id, id, [{ productId: rice.id, countedQuantity: 10 }]).expect(200);
    await stockIn(storeA.id, rice.id, 4, date(30)); // a delivery arrives meanwhile

    const finalized = await close(storeA.id, id, 'finalize').expect(200);

    expect(figures(finalized.body.lines)).toEqual([
      { productId: rice.id, counted: 10, system: 12, variance: -2 },
    ]);
    expect(await onHand(storeA.id, rice.id)).toEqual([8, 2]);
  });

  it('lets exactly one of two finalizes fired together post its movements', async () => {
    const rice = await product();
    await stockIn(storeA.id, rice.id, 5, null);
    const id = (await open(storeA.id).expect(201)).body.id as number;
    await count(storeA.id, id, [{ productId: rice.id, countedQuantity: 2 }]).expect(200);

    const results = await Promise.all([
      close(storeA.id, id, 'finalize'),
      close(storeA.id, id, 'finalize', admin),
    ]);

    expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
    expect(results.find((r) => r.status === 409)?.body.code).toBe('STOCKTAKE_NOT_OPEN');
    expect(await onHand(storeA.id, rice.id)).toEqual([2]);
    expect(await movementsOf(id)).toHaveLength(1);
  });

  it('keeps one open count per store, and a cancelled count changes no stock', async () => {
    const rice = await product();
    await stockIn(storeA.id, rice.id, 5, null);
    const first = (await open(storeA.id).expect(201)).body.id as number;
    await count(storeA.id, first, [{ productId: rice.id, countedQuantity: 1 }]).expect(200);

    const second = await open(storeA.id, managerA);
    expectError(second, 409, 'STOCKTAKE_ALREADY_OPEN');
    expect(second.body.details).toEqual({ stocktakeId: first, storeId: storeA.id });
    expect(second.body.message).toContain(String(first));
    await open(storeB.id, managerB).expect(201); // another store may count at the same time

    expectError(await close(storeA.id, first, 'cancel', clerkA), 403, 'FORBIDDEN');
    const cancelled = await close(storeA.id, first, 'cancel').expect(200);
    expect(cancelled.body).toMatchObject({ status: 'cancelled', closedBy: managerA.user.id });
    expect(figures(cancelled.body.lines)).toEqual([
      { productId: rice.id, counted: 1, system: null, variance: null },
    ]);
    expect(await onHand(storeA.id, rice.id)).toEqual([5]);
    expect(await movementsOf(first)).toEqual([]);
    expectError(
      await count(storeA.id, first, [{ productId: rice.id, countedQuantity: 1 }]),
      409,
      'STOCKTAKE_NOT_OPEN',
    );
    expectError(await close(storeA.id, first, 'finalize'), 409, 'STOCKTAKE_NOT_OPEN');

    const next = (await open(storeA.id).expect(201)).body.id as number;
    const list = async (query: string): Promise<{ id: number; lineCount: number }[]> =>
      (
        await t.http
          .get(`${base(storeA.id)}${query}`)
          .set('Authorization', clerkA.auth)
          .expect(200)
      ).body.items;
    expect((await list('?status=open')).map((s) => s.id)).toEqual([next]);
    expect(await list('?status=cancelled')).toContainEqual(
      expect.objectContaining({ id: first, lineCount: 1, status: 'cancelled' }),
    );
    expect((await list('')).map((s) => s.id).slice(0, 2)).toEqual([next, first]);
  });

  it('answers 404 for an unknown product, store or stocktake, and 400 for a bad count', async () => {
    const id = (await open(storeA.id).expect(201)).body.id as number;
    const unknown = await count(storeA.id, id, [{ productId: 987654, countedQuantity: 1 }]);
    expectError(unknown, 404, 'NOT_FOUND');
    expect(unknown.body.details).toEqual({ entity: 'product', id: 987654 });
    expectError(await open(987654, admin), 404, 'NOT_FOUND');
    expectError(await t.http.get(base(987654)).set('Authorization', admin.auth), 404, 'NOT_FOUND');
    expectError(await view(storeA.id, 987654), 404, 'NOT_FOUND');
    // a count is reached only through its own store
    expectError(await view(storeB.id, id, admin), 404, 'NOT_FOUND');
    expectError(await close(storeB.id, id, 'finalize', admin), 404, 'NOT_FOUND');

    const negative = await count(storeA.id, id, [{ productId: 1, countedQuantity: -1 }]);
    expectError(negative, 400, 'VALIDATION_FAILED');
    expect(negative.body.details.fields.map((f: { field: string }) => f.field)).toEqual([
      'lines.0.countedQuantity',
    ]);
    const badMode = await t.http
      .put(`${base(storeA.id)}/${id}/lines`)
      .set('Authorization', clerkA.auth)
      .send({ lines: [{ productId: 1, countedQuantity: 1 }], mode: 'multiply' });
    expectError(badMode, 400, 'VALIDATION_FAILED');
    const addNothing = await count(storeA.id, id, [{ productId: 1, countedQuantity: 0 }], 'add');
    expectError(addNothing, 400, 'VALIDATION_FAILED');
    expect(addNothing.body.details.fields[0].field).toBe('lines.0.countedQuantity');
    expect((await view(storeA.id, id)).body.lines).toEqual([]);

    // scans in add mode cannot pile up past the limit (which would overflow the ledger)
    const rice = await product();
    const pile = Array.from({ length: 2 }, () => ({
      productId: rice.id,
      countedQuantity: 1_000_000,
    }));
    const tooMany = await count(storeA.id, id, pile, 'add');
    expectError(tooMany, 400, 'VALIDATION_FAILED');
    expect(tooMany.body.message).toContain('1000000');
    expect((await view(storeA.id, id)).body.lines).toEqual([]);
  });

  it('keeps to the store and role rules', async () => {
    const id = (await open(storeA.id).expect(201)).body.id as number;

    expectError(await open(storeA.id, null), 401, 'UNAUTHENTICATED');
    expectError(await t.http.get(`${base(storeA.id)}/${id}`), 401, 'UNAUTHENTICATED');
    expectError(await open(storeA.id, auditor), 403, 'FORBIDDEN');
    expectError(await open(storeA.id, managerB), 403, 'FORBIDDEN');
    expectError(await view(storeA.id, id, managerB), 403, 'FORBIDDEN');
    expectError(
      await count(storeA.id, id, [{ productId: 1, countedQuantity: 1 }], 'set', managerB),
      403,
      'FORBIDDEN',
    );
    expectError(await close(storeA.id, id, 'finalize', managerB), 403, 'FORBIDDEN');
    expectError(await close(storeA.id, id, 'cancel', auditor), 403, 'FORBIDDEN');
    expectError(
      await t.http.get(base(storeA.id)).set('Authorization', managerB.auth),
      403,
      'FORBIDDEN',
    );
    await view(storeA.id, id, auditor).expect(200);
    expect((await view(storeA.id, id, managerA).expect(200)).body.status).toBe('open');
  });
});
