import { AuditEntry } from '@charity/audit';
import {
  findStockLedgerMismatches,
  StockLot,
  StockMovement,
  StockService,
  Transfer,
  type CatalogueProduct,
} from '@charity/inventory';
import { Store } from '@charity/organisation';
import type { Given, SignedIn } from './support/given';
import { createTestApp, type TestApp } from './support/test-app';
import { expectError } from './support/errors';

const DAY = 86_400_000;

describe('transfers', () => {
  let t: TestApp;
  let stock: StockService;
  let today: string;
  let storeA: Store;
  let storeB: Store;
  let storeC: Store;
  let admin: SignedIn;
  let managerA: SignedIn;
  let clerkA: SignedIn;
  let managerB: SignedIn;
  let clerkB: SignedIn;
  let managerC: SignedIn;
  let auditor: SignedIn;
  let sequence = 0;

  const date = (offsetDays: number): string =>
    new Date(Date.parse(`${today}T00:00:00Z`) + offsetDays * DAY).toISOString().slice(0, 10);

  const product = (name = '大米 5kg'): Promise<CatalogueProduct> =>
    t.given.product({ name: `${name} #${++sequence}`, pointPrice: 30, unitValueFen: 3000 });

  const stockIn = (...args: Parameters<Given['lot']>): Promise<StockLot> => t.given.lot(...args);

  const send = (auth: string | null, body: object) => {
    const req = t.http.post('/api/v1/transfers');
    return (auth ? req.set('Authorization', auth) : req).send(body);
  };
  const act = (id: number, action: 'receive' | 'cancel', auth: string) =>
    t.http.post(`/api/v1/transfers/${id}/${action}`).set('Authorization', auth);
  const get = (path: string, auth = admin.auth) =>
    t.http.get(`/api/v1${path}`).set('Authorization', auth);

  const lotsAt = (storeId: number, productId: number): Promise<StockLot[]> =>
    t.dataSource
      .getRepository(StockLot)
      .find({ where: { storeId, productId }, order: { id: 'ASC' } });
  const quantities = async (lots: StockLot[]): Promise<number[]> => {
    const repo = t.dataSource.getRepository(StockLot);
    return Promise.all(
      lots.map(async (lot) => (await repo.findOneByOrFail({ id: lot.id })).quantity),
    );
  };
  const movementsOf = (id: number): Promise<StockMovement[]> =>
    t.dataSource
      .getRepository(StockMovement)
      .find({ where: { refType: 'transfer', refId: String(id) }, order: { id: 'ASC' } });
  const auditOf = async (id: number): Promise<{ action: string; storeId: number | null }[]> =>
    (
      await t.dataSource
        .getRepository(AuditEntry)
        .find({ where: { entityType: 'transfer', entityId: String(id) }, order: { id: 'ASC' } })
    ).map(({ action, storeId }) => ({ action, storeId }));

  /** A pending transfer of `quantity` from A to B, out of one fresh lot. */
  async function pendingTransfer(quantity = 3): Promise<{ id: number; lot: StockLot }> {
    const rice = await product();
    const lot = await stockIn(storeA.id, rice.id, 10, date(20));
    const created = await send(managerA.auth, {
      fromStoreId: storeA.id,
      toStoreId: storeB.id,
      lines: [{ productId: rice.id, quantity }],
    }).expect(201);
    return { id: created.body.id, lot };
  }

  beforeAll(async () => {
    t = await createTestApp();
    await t.reset();
    stock = t.app.get(StockService);
    today = stock.today();
    [storeA, storeB, storeC] = [
      await t.given.store(),
      await t.given.store(),
      await t.given.store(),
    ];
    // one after another: the factories each write an audit entry
    admin = await t.given.signedIn('county_admin');
    managerA = await t.given.signedIn('store_manager', storeA.id);
    clerkA = await t.given.signedIn('clerk', storeA.id);
    managerB = await t.given.signedIn('store_manager', storeB.id);
    clerkB = await t.given.signedIn('clerk', storeB.id);
    managerC = await t.given.signedIn('store_manager', storeC.id);
    auditor = await t.given.signedIn('auditor');
  });

  afterEach(async () => {
    expect(await findStockLedgerMismatches(t.dataSource.manager)).toEqual([]);
  });

  afterAll(() => t.close());

  it('sends first-expiry-first-out (never expired lots) and the receiver keeps expiry and value', async () => {
    const rice = await product();
    const expired = await stockIn(storeA.id, rice.id, 5, date(-1), 2000);
    const later = await stockIn(storeA.id, rice.id, 3, date(30), 2500);
    const sooner = await stockIn(storeA.id, rice.id, 4, date(10), 2600);
    const undated = await stockIn(storeA.id, rice.id, 10, null, 2700);

    const created = await send(managerA.auth, {
      fromStoreId: storeA.id,
      toStoreId: storeB.id,
      lines: [{ productId: rice.id, quantity: 6 }],
      note: '补货',
    }).expect(201);

    const id = created.body.id as number;
    expect(created.body).toMatchObject({
      fromStoreId: storeA.id,
      toStoreId: storeB.id,
      status: 'pending',
      note: '补货',
      createdBy: managerA.user.id,
      closedBy: null,
      closedAt: null,
    });
    expect(created.body.lines).toEqual([
      {
        productId: rice.id,
        name: rice.name,
        quantity: 4,
        expiryDate: date(10),
        unitValueFen: 2600,
        fromLotId: sooner.id,
        toLotId: null,
      },
      {
        productId: rice.id,
        name: rice.name,
        quantity: 2,
        expiryDate: date(30),
        unitValueFen: 2500,
        fromLotId: later.id,
        toLotId: null,
      },
    ]);
    // in transit: gone from the sender, not yet at the receiver
    expect(await quantities([expired, sooner, later, undated])).toEqual([5, 0, 1, 10]);
    expect(await lotsAt(storeB.id, rice.id)).toEqual([]);

    const received = await act(id, 'receive', clerkB.auth).expect(200);

    expect(received.body).toMatchObject({ id, status: 'received', closedBy: clerkB.user.id });
    expect(received.body.closedAt).toEqual(expect.any(String));
    const arrived = await lotsAt(storeB.id, rice.id);
    expect(
      arrived.map(({ expiryDate, unitValueFen, quantity, sourceType, sourceRef }) => ({
        expiryDate,
        unitValueFen,
        quantity,
        sourceType,
        sourceRef,
      })),
    ).toEqual([
      {
        expiryDate: date(10),
        unitValueFen: 2600,
        quantity: 4,
        sourceType: 'transfer',
        sourceRef: String(id),
      },
      {
        expiryDate: date(30),
        unitValueFen: 2500,
        quantity: 2,
        sourceType: 'transfer',
        sourceRef: String(id),
      },
    ]);
    expect(received.body.lines.map((line: { toLotId: number }) => line.toLotId)).toEqual(
      arrived.map((lot) => lot.id),
    );
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
        lotId: sooner.id,
        kind: 'transfer_out',
        quantity: -4,
        actorId: managerA.user.id,
      },
      {
        storeId: storeA.id,
        lotId: later.id,
        kind: 'transfer_out',
        quantity: -2,
        actorId: managerA.user.id,
      },
      {
        storeId: storeB.id,
        lotId: arrived[0]?.id,
        kind: 'transfer_in',
        quantity: 4,
        actorId: clerkB.user.id,
      },
      {
        storeId: storeB.id,
        lotId: arrived[1]?.id,
        kind: 'transfer_in',
        quantity: 2,
        actorId: clerkB.user.id,
      },
    ]);
    expect(await auditOf(id)).toEqual([
      { action: 'transfer.create', storeId: storeA.id },
      { action: 'transfer.receive', storeId: storeB.id },
    ]);
    // both sides read the same document
    const asSender = await get(`/transfers/${id}`, managerA.auth).expect(200);
    const asReceiver = await get(`/transfers/${id}`, clerkB.auth).expect(200);
    expect(asSender.body).toEqual(received.body);
    expect(asReceiver.body).toEqual(received.body);
  });

  it('refuses a short transfer naming the product and figures, and changes nothing', async () => {
    const oil = await product('食用油 5L');
    const flour = await product('面粉');
    const oilLot = await stockIn(storeA.id, oil.id, 5, date(40));
    const flourLot = await stockIn(storeA.id, flour.id, 2, date(40));
    await stockIn(storeA.id, flour.id, 9, date(-2)); // expired goods are never sent
    const before = await t.dataSource.getRepository(Transfer).count();

    const response = await send(managerA.auth, {
      fromStoreId: storeA.id,
      toStoreId: storeB.id,
      lines: [
        { productId: oil.id, quantity: 5 },
        { productId: flour.id, quantity: 3 },
      ],
    });

    expectError(response, 409, 'INSUFFICIENT_STOCK');
    expect(response.body.details).toEqual({
      productId: flour.id,
      name: flour.name,
      requested: 3,
      available: 2,
    });
    expect(response.body.message).toContain(flour.name);
    expect(await quantities([oilLot, flourLot])).toEqual([5, 2]);
    expect(await t.dataSource.getRepository(Transfer).count()).toBe(before);
  });

  it('cancels a pending transfer back into the very lots the goods left', async () => {
    const soap = await product('洗衣粉');
    const first = await stockIn(storeA.id, soap.id, 2, date(5), 800);
    const second = await stockIn(storeA.id, soap.id, 6, date(9), 900);
    const created = await send(managerA.auth, {
      fromStoreId: storeA.id,
      toStoreId: storeB.id,
      lines: [{ productId: soap.id, quantity: 5 }],
    }).expect(201);
    const id = created.body.id as number;
    expect(await quantities([first, second])).toEqual([0, 3]);

    const cancelled = await act(id, 'cancel', managerA.auth).expect(200);

    expect(cancelled.body).toMatchObject({ id, status: 'cancelled', closedBy: managerA.user.id });
    expect(await quantities([first, second])).toEqual([2, 6]);
    expect(await lotsAt(storeA.id, soap.id)).toHaveLength(2); // no new lots
    expect(await lotsAt(storeB.id, soap.id)).toEqual([]);
    const movements = await movementsOf(id);
    const out = movements.filter((m) => m.kind === 'transfer_out');
    const back = movements.filter((m) => m.reversesMovementId !== null);
    expect(
      back.map(({ storeId, lotId, kind, quantity }) => ({ storeId, lotId, kind, quantity })),
    ).toEqual([
      { storeId: storeA.id, lotId: first.id, kind: 'transfer_in', quantity: 2 },
      { storeId: storeA.id, lotId: second.id, kind: 'transfer_in', quantity: 3 },
    ]);
    expect(back.map((m) => m.reversesMovementId)).toEqual(out.map((m) => m.id));
    expect(movements).toHaveLength(4);
    expect(await auditOf(id)).toEqual([
      { action: 'transfer.create', storeId: storeA.id },
      { action: 'transfer.cancel', storeId: storeA.id },
    ]);

    // closed: neither receiving nor cancelling again does anything
    expectError(await act(id, 'receive', clerkB.auth), 409, 'TRANSFER_NOT_PENDING');
    expectError(await act(id, 'cancel', admin.auth), 409, 'TRANSFER_NOT_PENDING');
    expect(await movementsOf(id)).toHaveLength(4);
  });

  it('refuses to receive or cancel a received transfer', async () => {
    const { id } = await pendingTransfer();
    await act(id, 'receive', managerB.auth).expect(200);

    const again = await act(id, 'receive', clerkB.auth);
    expectError(again, 409, 'TRANSFER_NOT_PENDING');
    expect(again.body.details).toEqual({ transferId: id, status: 'received' });
    expectError(await act(id, 'cancel', managerA.auth), 409, 'TRANSFER_NOT_PENDING');
    expect((await movementsOf(id)).map((m) => m.kind)).toEqual(['transfer_out', 'transfer_in']);
  });

  it('refuses to receive into a store closed since sending; the sender can still cancel', async () => {
    const { id } = await pendingTransfer();
    await t.dataSource.getRepository(Store).update({ id: storeB.id }, { active: false });
    try {
      const refused = await act(id, 'receive', admin.auth);
      expectError(refused, 422, 'INVALID_TRANSFER');
      expect(refused.body.message).toContain(storeB.name);
      await act(id, 'cancel', managerA.auth).expect(200);
    } finally {
      await t.dataSource.getRepository(Store).update({ id: storeB.id }, { active: true });
    }
  });

  describe('races', () => {
    it('lets exactly one of a receive and a cancel fired together succeed', async () => {
      const { id, lot } = await pendingTransfer(4);

      const [receive, cancel] = await Promise.all([
        act(id, 'receive', clerkB.auth),
        act(id, 'cancel', managerA.auth),
      ]);

      expect([receive.status, cancel.status].sort()).toEqual([200, 409]);
      const loser = receive.status === 409 ? receive : cancel;
      expect(loser.body.code).toBe('TRANSFER_NOT_PENDING');
      const atB = (await lotsAt(storeB.id, lot.productId)).reduce((sum, l) => sum + l.quantity, 0);
      const [atA] = await quantities([lot]);
      // the four units are at exactly one place
      expect([atA, atB]).toEqual(receive.status === 200 ? [6, 4] : [10, 0]);
      expect(await movementsOf(id)).toHaveLength(2);
    });

    it('lets exactly one of two receives fired together succeed', async () => {
      const { id, lot } = await pendingTransfer(3);

      const results = await Promise.all([
        act(id, 'receive', clerkB.auth),
        act(id, 'receive', admin.auth),
        act(id, 'receive', managerB.auth),
      ]);

      expect(results.map((r) => r.status).sort()).toEqual([200, 409, 409]);
      const arrived = await lotsAt(storeB.id, lot.productId);
      expect(arrived.map((l) => l.quantity)).toEqual([3]);
    });
  });

  describe('refusals', () => {
    it('answers 422 INVALID_TRANSFER for a transfer to the same store or to a closed store', async () => {
      const rice = await product();
      await stockIn(storeA.id, rice.id, 5, null);
      const lines = [{ productId: rice.id, quantity: 1 }];

      const same = await send(managerA.auth, {
        fromStoreId: storeA.id,
        toStoreId: storeA.id,
        lines,
      });
      expectError(same, 422, 'INVALID_TRANSFER');

      const closed = await t.given.store();
      await t.dataSource.getRepository(Store).update({ id: closed.id }, { active: false });
      const toClosed = await send(admin.auth, {
        fromStoreId: storeA.id,
        toStoreId: closed.id,
        lines,
      });
      expectError(toClosed, 422, 'INVALID_TRANSFER');
      expect(toClosed.body.message).toContain(closed.name);
      expect((await lotsAt(storeA.id, rice.id)).map((l) => l.quantity)).toEqual([5]);
    });

    it('answers 404 NOT_FOUND for an unknown store, product or transfer', async () => {
      const rice = await product();
      await stockIn(storeA.id, rice.id, 5, null);
      const lines = [{ productId: rice.id, quantity: 1 }];

      const noReceiver = await send(admin.auth, {
        fromStoreId: storeA.id,
        toStoreId: 987654,
        lines,
      });
      expectError(noReceiver, 404, 'NOT_FOUND');
      expect(noReceiver.body.details).toEqual({ entity: 'store', id: 987654 });
      expectError(
        await send(admin.auth, { fromStoreId: 987654, toStoreId: storeA.id, lines }),
        404,
        'NOT_FOUND',
      );
      const noProduct = await send(managerA.auth, {
        fromStoreId: storeA.id,
        toStoreId: storeB.id,
        lines: [{ productId: 987654, quantity: 1 }],
      });
      expectError(noProduct, 404, 'NOT_FOUND');
      expect(noProduct.body.details).toEqual({ entity: 'product', id: 987654 });
      expectError(await act(987654, 'receive', admin.auth), 404, 'NOT_FOUND');
      expectError(await act(987654, 'cancel', admin.auth), 404, 'NOT_FOUND');
      expectError(await get('/transfers/987654'), 404, 'NOT_FOUND');
      expect((await lotsAt(storeA.id, rice.id)).map((l) => l.quantity)).toEqual([5]);
    });

    it('answers 400 naming the field for an empty or malformed request', async () => {
      const empty = await send(managerA.auth, {
        fromStoreId: storeA.id,
        toStoreId: storeB.id,
        lines: [],
      });
      expectError(empty, 400, 'VALIDATION_FAILED');
      expect(empty.body.details.fields.map((f: { field: string }) => f.field)).toEqual(['lines']);
      const zero = await send(managerA.auth, {
        fromStoreId: storeA.id,
        toStoreId: storeB.id,
        lines: [{ productId: 1, quantity: 0 }],
      });
      expectError(zero, 400, 'VALIDATION_FAILED');
      expect(zero.body.details.fields.map((f: { field: string }) => f.field)).toEqual([
        'lines.0.quantity',
      ]);
    });
  });

  describe('who may do what', () => {
    it('needs a login', async () => {
      expectError(
        await send(null, { fromStoreId: storeA.id, toStoreId: storeB.id, lines: [] }),
        401,
        'UNAUTHENTICATED',
      );
      expectError(await t.http.get('/api/v1/transfers'), 401, 'UNAUTHENTICATED');
      expectError(await t.http.post('/api/v1/transfers/1/receive'), 401, 'UNAUTHENTICATED');
    });

    it('lets only the county or the sender’s manager create; the receiver may be any other store', async () => {
      const rice = await product();
      const lot = await stockIn(storeA.id, rice.id, 10, null);
      const body = {
        fromStoreId: storeA.id,
        toStoreId: storeC.id,
        lines: [{ productId: rice.id, quantity: 1 }],
      };

      expectError(await send(clerkA.auth, body), 403, 'FORBIDDEN');
      expectError(await send(auditor.auth, body), 403, 'FORBIDDEN');
      const otherStore = await send(managerB.auth, body);
      expectError(otherStore, 403, 'FORBIDDEN');
      expect(otherStore.body.details).toEqual({ storeId: storeA.id });
      expect(await quantities([lot])).toEqual([10]);

      await send(managerA.auth, body).expect(201);
      await send(admin.auth, body).expect(201);
      expect(await quantities([lot])).toEqual([8]);
    });

    it('lets only the receiver receive and only the sender cancel', async () => {
      const { id } = await pendingTransfer();

      for (const outsider of [managerA, clerkA, managerC]) {
        expectError(await act(id, 'receive', outsider.auth), 403, 'FORBIDDEN');
      }
      expectError(await act(id, 'receive', auditor.auth), 403, 'FORBIDDEN');
      expectError(await act(id, 'cancel', clerkA.auth), 403, 'FORBIDDEN'); // role
      expectError(await act(id, 'cancel', managerB.auth), 403, 'FORBIDDEN'); // receiver
      expectError(await act(id, 'cancel', managerC.auth), 403, 'FORBIDDEN'); // uninvolved
      expect((await get(`/transfers/${id}`).expect(200)).body.status).toBe('pending');
      expect(await movementsOf(id)).toHaveLength(1);
      await act(id, 'cancel', admin.auth).expect(200);
    });

    it('shows store staff only the transfers their store sends or receives', async () => {
      const { id } = await pendingTransfer();

      expectError(await get(`/transfers/${id}`, managerC.auth), 403, 'FORBIDDEN');
      await get(`/transfers/${id}`, auditor.auth).expect(200);
      const ids = async (query: string, who: SignedIn): Promise<number[]> =>
        (await get(`/transfers${query}`, who.auth).expect(200)).body.items.map(
          (item: { id: number }) => item.id,
        );
      expect(await ids('', clerkA)).toContain(id);
      expect(await ids('', clerkB)).toContain(id);
      expect(await ids('', managerC)).not.toContain(id);
      expect(await ids(`?storeId=${storeB.id}&status=pending`, admin)).toContain(id);
      expect(await ids(`?storeId=${storeC.id}`, admin)).not.toContain(id);
      expect(await ids('?status=received', admin)).not.toContain(id);
      expectError(await get(`/transfers?storeId=${storeA.id}`, managerC.auth), 403, 'FORBIDDEN');
      const page = (await get(`/transfers?storeId=${storeA.id}&pageSize=1`).expect(200)).body;
      expect(page).toMatchObject({ page: 1, pageSize: 1 });
      expect(page.items).toHaveLength(1);
      expect(page.total).toBeGreaterThan(1);
      expect(page.items[0].lines[0]).toHaveProperty('fromLotId');
    });
  });
});
