import { isLockConflict, SYSTEM_ACTOR } from '@charity/common';
import {
  findStockLedgerMismatches,
  InsufficientStockError,
  StockLot,
  StockMovement,
  StockService,
  type ConsumedLot,
  type ConsumeLine,
  type CatalogueProduct,
  type NewProduct,
  type StockRef,
} from '@charity/inventory';
import type { Store } from '@charity/organisation';
import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import type { EntityManager } from 'typeorm';
import type { Given, SignedIn } from './support/given';
import { createTestApp, type TestApp } from './support/test-app';

const run = promisify(execFile);
const DAY = 86_400_000;

describe('stock', () => {
  let t: TestApp;
  let stock: StockService;
  let today: string;
  let storeA: Store;
  let storeB: Store;
  let managerA: SignedIn;
  let clerkA: SignedIn;
  let clerkB: SignedIn;
  let auditor: SignedIn;
  let sequence = 0;

  const date = (offsetDays: number): string =>
    new Date(Date.parse(`${today}T00:00:00Z`) + offsetDays * DAY).toISOString().slice(0, 10);

  const product = (overrides: Partial<NewProduct> = {}): Promise<CatalogueProduct> =>
    t.given.product({
      name: `大米 5kg #${++sequence}`,
      pointPrice: 30,
      unitValueFen: 3000,
      ...overrides,
    });

  const stockIn = (...args: Parameters<Given['lot']>): Promise<StockLot> => t.given.lot(...args);

  function consume(storeId: number, productId: number, quantity: number): Promise<ConsumedLot[]> {
    return t.dataSource.transaction((em) =>
      stock.consumeFefo(em, SYSTEM_ACTOR, storeId, [{ productId, quantity }], {
        kind: 'redemption_out',
        ref: { type: 'redemption', id: `R${++sequence}` },
      }),
    );
  }

  const lotQuantity = async (id: number): Promise<number> =>
    (await t.dataSource.getRepository(StockLot).findOneByOrFail({ id })).quantity;

  beforeAll(async () => {
    t = await createTestApp();
    await t.reset();
    stock = t.app.get(StockService);
    today = stock.today();
    storeA = await t.given.store();
    storeB = await t.given.store();
    [managerA, clerkA, clerkB, auditor] = await Promise.all([
      t.given.signedIn('store_manager', storeA.id),
      t.given.signedIn('clerk', storeA.id),
      t.given.signedIn('clerk', storeB.id),
      t.given.signedIn('auditor'),
    ]);
  });

  afterEach(async () => {
    // every scenario must leave each lot equal to the sum of its movements
    expect(await findStockLedgerMismatches(t.dataSource.manager)).toEqual([]);
  });

  afterAll(() => t.close());

  describe('first expiry, first out', () => {
    it('takes the soonest-expiring lots first, undated goods last, and never expired ones', async () => {
      const rice = await product();
      const expired = await stockIn(storeA.id, rice.id, 4, date(-1));
      const undated = await stockIn(storeA.id, rice.id, 10, null);
      const later = await stockIn(storeA.id, rice.id, 5, date(60));
      const soonest = await stockIn(storeA.id, rice.id, 3, date(10));
      const lastDay = await stockIn(storeA.id, rice.id, 1, today);

      const used = await consume(storeA.id, rice.id, 10);

      expect(used.map(({ lotId, quantity }) => ({ lotId, quantity }))).toEqual([
        { lotId: lastDay.id, quantity: 1 },
        { lotId: soonest.id, quantity: 3 },
        { lotId: later.id, quantity: 5 },
        { lotId: undated.id, quantity: 1 },
      ]);
      expect(used[0]).toMatchObject({ expiryDate: today, unitValueFen: 2500 });
      expect(await lotQuantity(expired.id)).toBe(4);
      expect(await lotQuantity(undated.id)).toBe(9);
    });

    it('refuses to go short, naming the product and the figures, and changes nothing', async () => {
      const oil = await product({ name: '食用油 5L' });
      const lot = await stockIn(storeA.id, oil.id, 2, date(30));
      await stockIn(storeA.id, oil.id, 5, date(-3)); // expired goods do not count

      const failure = consume(storeA.id, oil.id, 3);
      await expect(failure).rejects.toBeInstanceOf(InsufficientStockError);
      await expect(failure).rejects.toMatchObject({
        code: 'INSUFFICIENT_STOCK',
        message: '食用油 5L：库存只剩 2，不够 3',
        details: { productId: oil.id, name: '食用油 5L', requested: 3, available: 2 },
      });
      expect(await lotQuantity(lot.id)).toBe(2);
    });

    it('refuses to hand out a named lot that has expired (LOT_EXPIRED)', async () => {
      const biscuits = await product({ name: '饼干' });
      const old = await stockIn(storeA.id, biscuits.id, 3, date(-5));
      const taking = t.dataSource.transaction((em) =>
        stock.consumeFefo(em, SYSTEM_ACTOR, storeA.id, [{ productId: biscuits.id, quantity: 1 }], {
          kind: 'redemption_out',
          ref: { type: 'redemption', id: `R${++sequence}` },
          lotId: old.id,
        }),
      );
      await expect(taking).rejects.toMatchObject({
        code: 'LOT_EXPIRED',
        details: { lotId: old.id, productName: '饼干', expiryDate: date(-5) },
      });
      expect(await lotQuantity(old.id)).toBe(3);
    });

    it('puts reversed goods back into the very lots they left, once', async () => {
      const flour = await product({ name: '面粉' });
      const a = await stockIn(storeA.id, flour.id, 2, date(5));
      const b = await stockIn(storeA.id, flour.id, 6, date(9));
      const ref = { type: 'redemption', id: `R${++sequence}` };
      await t.dataSource.transaction((em) =>
        stock.consumeFefo(em, SYSTEM_ACTOR, storeA.id, [{ productId: flour.id, quantity: 5 }], {
          kind: 'redemption_out',
          ref,
        }),
      );
      const reversal = {
        kind: 'void_reversal' as const,
        ref: { type: 'redemption_void', id: ref.id },
      };
      const first = await t.dataSource.transaction((em) =>
        stock.reverse(em, SYSTEM_ACTOR, ref, reversal),
      );
      const again = await t.dataSource.transaction((em) =>
        stock.reverse(em, SYSTEM_ACTOR, ref, reversal),
      );

      expect(first.map((m) => ({ lotId: m.lotId, quantity: m.quantity }))).toEqual([
        { lotId: a.id, quantity: 2 },
        { lotId: b.id, quantity: 3 },
      ]);
      expect(first.every((m) => m.reversesMovementId !== null && m.kind === 'void_reversal')).toBe(
        true,
      );
      expect(again).toHaveLength(2); // the same two rows; nothing added
      expect([await lotQuantity(a.id), await lotQuantity(b.id)]).toEqual([2, 6]);
    });
  });

  describe('concurrency', () => {
    it('never lets parallel consumptions take more than the lot holds', async () => {
      const soap = await product({ name: '洗衣粉' });
      const lot = await stockIn(storeA.id, soap.id, 10, null);

      const results = await Promise.allSettled(
        Array.from({ length: 25 }, () => consume(storeA.id, soap.id, 1)),
      );

      const succeeded = results.filter((r) => r.status === 'fulfilled');
      const failed = results.filter(
        (r): r is PromiseRejectedResult =>
          r.status === 'rejected' && r.reason instanceof InsufficientStockError,
      );
      expect(succeeded).toHaveLength(10);
      expect(failed).toHaveLength(15);
      expect(await lotQuantity(lot.id)).toBe(0);
      const out = await t.dataSource
        .getRepository(StockMovement)
        .countBy({ lotId: lot.id, kind: 'redemption_out' });
      expect(out).toBe(10);
    });

    it('splits parallel multi-unit takes across lots without losing or doubling a unit', async () => {
      const towel = await product({ name: '毛巾' });
      await stockIn(storeA.id, towel.id, 7, date(20));
      await stockIn(storeA.id, towel.id, 8, date(40));

      const results = await Promise.allSettled(
        Array.from({ length: 8 }, () => consume(storeA.id, towel.id, 3)),
      );

      const taken = results
        .filter((r): r is PromiseFulfilledResult<ConsumedLot[]> => r.status === 'fulfilled')
        .flatMap((r) => r.value)
        .reduce((sum, part) => sum + part.quantity, 0);
      expect(taken).toBe(15); // five whole takes of 3
      const [{ left }] = await t.dataSource.query<{ left: string }[]>(
        'SELECT SUM(quantity) AS `left` FROM stock_lots WHERE product_id = ?',
        [towel.id],
      );
      expect(Number(left)).toBe(0);
    });
    it('runs reversals and checkouts of the same goods together, losing and doubling nothing', async () => {
      const rice = await product({ name: '糯米' });
      // lot ids in the opposite order of expiry, so id order and FEFO order disagree
      await stockIn(storeA.id, rice.id, 20, date(90));
      await stockIn(storeA.id, rice.id, 20, date(30));
      await stockIn(storeA.id, rice.id, 20, date(5));
      const sales = await Promise.all(
        Array.from({ length: 6 }, async () => {
          const ref = { type: 'redemption', id: `R${++sequence}` };
          await t.dataSource.transaction((em) =>
            stock.consumeFefo(em, SYSTEM_ACTOR, storeA.id, [{ productId: rice.id, quantity: 7 }], {
              kind: 'redemption_out',
              ref,
            }),
          );
          return ref;
        }),
      );

      const results = await Promise.allSettled([
        ...sales.map((ref) =>
          t.dataSource.transaction((em) =>
            stock.reverse(em, SYSTEM_ACTOR, ref, {
              kind: 'void_reversal',
              ref: { type: 'redemption_void', id: ref.id },
            }),
          ),
        ),
        ...Array.from({ length: 6 }, () => consume(storeA.id, rice.id, 2)),
      ]);

      expect(results.filter((r) => r.status === 'rejected')).toEqual([]);
      const [{ left }] = await t.dataSource.query<{ left: string }[]>(
        'SELECT SUM(quantity) AS `left` FROM stock_lots WHERE product_id = ?',
        [rice.id],
      );
      expect(Number(left)).toBe(60 - 6 * 2);
    });
  });

  describe('GET /stores/:storeId/stock', () => {
    it('lists each product with on-hand, available, value and its lots', async () => {
      const bedding = await t.given.category('床上用品');
      const quilt = await product({
        name: '棉被',
        unit: '床',
        unitValueFen: 12000,
        categoryId: bedding.id,
      });
      const fresh = await stockIn(storeA.id, quilt.id, 3, date(100), 11000);
      const stale = await stockIn(storeA.id, quilt.id, 1, date(-2), 11000);

      const response = await t.http
        .get(`/api/v1/stores/${storeA.id}/stock`)
        .set('Authorization', clerkA.auth)
        .expect(200);

      const level = response.body.items.find(
        (item: { productId: number }) => item.productId === quilt.id,
      );
      expect(level).toMatchObject({
        name: '棉被',
        unit: '床',
        category: '床上用品',
        onHand: 4,
        available: 3,
        valueFen: 48000,
        lots: [
          {
            lotId: stale.id,
            quantity: 1,
            expiryDate: date(-2),
            expired: true,
            unitValueFen: 11000,
          },
          {
            lotId: fresh.id,
            quantity: 3,
            expiryDate: date(100),
            expired: false,
            source: 'donation',
          },
        ],
      });
    });

    it('keeps store staff to their own store and names unknown stores', async () => {
      const other = await t.http
        .get(`/api/v1/stores/${storeA.id}/stock`)
        .set('Authorization', clerkB.auth)
        .expect(403);
      expect(other.body.code).toBe('FORBIDDEN');
      await t.http
        .get(`/api/v1/stores/${storeA.id}/stock/movements`)
        .set('Authorization', clerkB.auth)
        .expect(403);
      await t.http
        .get(`/api/v1/stores/${storeA.id}/stock/alerts`)
        .set('Authorization', clerkB.auth)
        .expect(403);
      await t.http.get(`/api/v1/stores/${storeA.id}/stock`).expect(401);
      await t.http
        .get(`/api/v1/stores/${storeA.id}/stock`)
        .set('Authorization', auditor.auth)
        .expect(200);
      const missing = await t.http
        .get('/api/v1/stores/999999/stock')
        .set('Authorization', auditor.auth)
        .expect(404);
      expect(missing.body.code).toBe('NOT_FOUND');
    });
  });

  describe('GET /stores/:storeId/stock/movements', () => {
    it('filters the ledger by product and kind, newest first, with business dates', async () => {
      const pen = await product({ name: '书包' });
      await stockIn(storeA.id, pen.id, 5, null);
      await consume(storeA.id, pen.id, 2);

      const all = await t.http
        .get(`/api/v1/stores/${storeA.id}/stock/movements?productId=${pen.id}`)
        .set('Authorization', managerA.auth)
        .expect(200);
      expect(
        all.body.items.map((m: { kind: string; quantity: number }) => [m.kind, m.quantity]),
      ).toEqual([
        ['redemption_out', -2],
        ['donation_in', 5],
      ]);
      expect(all.body.items[0]).toMatchObject({ businessDate: today, refType: 'redemption' });

      const outs = await t.http
        .get(
          `/api/v1/stores/${storeA.id}/stock/movements?productId=${pen.id}&kind=redemption_out&from=${today}&to=${today}`,
        )
        .set('Authorization', managerA.auth)
        .expect(200);
      expect(outs.body.total).toBe(1);
      const none = await t.http
        .get(`/api/v1/stores/${storeA.id}/stock/movements?productId=${pen.id}&to=${date(-1)}`)
        .set('Authorization', managerA.auth)
        .expect(200);
      expect(none.body.total).toBe(0);
      await t.http
        .get(`/api/v1/stores/${storeA.id}/stock/movements?kind=sold&from=2026-13-01`)
        .set('Authorization', managerA.auth)
        .expect(400);
    });
  });

  describe('GET /stores/:storeId/stock/alerts', () => {
    it('flags low stock by threshold and lots by 30/60/90 days and expired', async () => {
      const milk = await product({ name: '奶粉', lowStockThreshold: 5 });
      await stockIn(storeA.id, milk.id, 2, date(-1));
      await stockIn(storeA.id, milk.id, 1, date(20));
      await stockIn(storeA.id, milk.id, 1, date(50));
      await stockIn(storeA.id, milk.id, 1, date(80));
      await stockIn(storeA.id, milk.id, 1, date(200));

      const response = await t.http
        .get(`/api/v1/stores/${storeA.id}/stock/alerts`)
        .set('Authorization', clerkA.auth)
        .expect(200);

      expect(response.body.lowStock).toContainEqual({
        productId: milk.id,
        name: '奶粉',
        available: 4,
        threshold: 5,
      });
      const buckets = response.body.expiring
        .filter((lot: { productId: number }) => lot.productId === milk.id)
        .map((lot: { bucket: string; daysLeft: number }) => [lot.bucket, lot.daysLeft]);
      expect(buckets).toEqual([
        ['expired', -1],
        ['within30', 20],
        ['within60', 50],
        ['within90', 80],
      ]);
    });
  });

  describe('POST /stores/:storeId/stock/adjustments', () => {
    it('lets a manager remove damaged goods FEFO and add found goods, with an audit entry', async () => {
      const cup = await product({ name: '保温杯', unitValueFen: 4500 });
      await stockIn(storeA.id, cup.id, 5, date(3));

      const removed = await t.http
        .post(`/api/v1/stores/${storeA.id}/stock/adjustments`)
        .set('Authorization', managerA.auth)
        .send({ productId: cup.id, quantity: -2, reason: 'damaged', note: '搬运时摔坏' })
        .expect(201);
      expect(removed.body).toMatchObject({ quantity: -2, reason: 'damaged', onHand: 3 });

      const found = await t.http
        .post(`/api/v1/stores/${storeA.id}/stock/adjustments`)
        .set('Authorization', managerA.auth)
        .send({ productId: cup.id, quantity: 4, reason: 'found', expiryDate: date(300) })
        .expect(201);
      expect(found.body.onHand).toBe(7);
      const lot = await t.dataSource
        .getRepository(StockLot)
        .findOneByOrFail({ id: found.body.lots[0].lotId });
      expect(lot).toMatchObject({
        sourceType: 'adjustment',
        expiryDate: date(300),
        unitValueFen: 4500,
      });

      const audit = await t.http
        .get('/api/v1/audit-log?action=stock.adjust')
        .set('Authorization', auditor.auth)
        .expect(200);
      expect(audit.body.items[0].summary).toContain('保温杯 +4');
      expect(audit.body.items[1]).toMatchObject({ storeId: storeA.id, actorId: managerA.user.id });
    });

    it('never goes below zero and explains what is wrong', async () => {
      const bag = await product({ name: '手提袋' });
      await stockIn(storeA.id, bag.id, 1, null);
      const url = `/api/v1/stores/${storeA.id}/stock/adjustments`;

      const short = await t.http
        .post(url)
        .set('Authorization', managerA.auth)
        .send({ productId: bag.id, quantity: -2, reason: 'lost' })
        .expect(409);
      expect(short.body).toMatchObject({
        code: 'INSUFFICIENT_STOCK',
        details: { requested: 2, available: 1, name: '手提袋' },
      });
      const wrongSign = await t.http
        .post(url)
        .set('Authorization', managerA.auth)
        .send({ productId: bag.id, quantity: 1, reason: 'damaged' })
        .expect(400);
      expect(wrongSign.body.details.fields[0].field).toBe('quantity');
      const zero = await t.http
        .post(url)
        .set('Authorization', managerA.auth)
        .send({ productId: bag.id, quantity: 0, reason: 'other' })
        .expect(400);
      expect(zero.body.message).toContain('quantity');
      await t.http
        .post(url)
        .set('Authorization', managerA.auth)
        .send({ productId: bag.id, quantity: -1.5, reason: 'lost' })
        .expect(400);
      const unknown = await t.http
        .post(url)
        .set('Authorization', managerA.auth)
        .send({ productId: 999999, quantity: -1, reason: 'lost' })
        .expect(404);
      expect(unknown.body.code).toBe('NOT_FOUND');
      expect(
        await lotQuantity(
          (await t.dataSource.getRepository(StockLot).findOneByOrFail({ productId: bag.id })).id,
        ),
      ).toBe(1);
    });

    it('is for managers of the store and county admins only', async () => {
      const soap = await product({ name: '香皂' });
      await stockIn(storeA.id, soap.id, 3, null);
      const body = { productId: soap.id, quantity: -1, reason: 'damaged' };
      const url = `/api/v1/stores/${storeA.id}/stock/adjustments`;
      await t.http.post(url).set('Authorization', clerkA.auth).send(body).expect(403);
      await t.http.post(url).set('Authorization', auditor.auth).send(body).expect(403);
      await t.http.post(url).set('Authorization', clerkB.auth).send(body).expect(403);
      await t.http.post(url).send(body).expect(401);
      const managerB = await t.given.signedIn('store_manager', storeB.id);
      await t.http.post(url).set('Authorization', managerB.auth).send(body).expect(403);
    });
  });

  describe('expiry write-off', () => {
    it('writes off every expired lot once, counting units and value', async () => {
      const noodles = await product({ name: '挂面' });
      const gone = await stockIn(storeA.id, noodles.id, 6, date(-1), 500);
      const lastDay = await stockIn(storeA.id, noodles.id, 2, today, 500);
      const elsewhere = await stockIn(storeB.id, noodles.id, 3, date(-30), 500);

      const first = await stock.writeOffExpired(today);
      const second = await stock.writeOffExpired(today);

      // other scenarios in this file leave expired lots too: all of them go
      expect(first.lots).toBeGreaterThanOrEqual(2);
      expect(first.units).toBeGreaterThanOrEqual(9);
      expect(first.valueFen).toBeGreaterThanOrEqual(4500);
      const [{ expiredLeft }] = await t.dataSource.query<{ expiredLeft: string }[]>(
        'SELECT COUNT(*) AS expiredLeft FROM stock_lots WHERE quantity > 0 AND expiry_date < ?',
        [today],
      );
      expect(Number(expiredLeft)).toBe(0);
      expect(second).toEqual({ lots: 0, units: 0, valueFen: 0 });
      expect([
        await lotQuantity(gone.id),
        await lotQuantity(lastDay.id),
        await lotQuantity(elsewhere.id),
      ]).toEqual([0, 2, 0]);
      const writeOffs = await t.dataSource
        .getRepository(StockMovement)
        .findBy({ kind: 'expiry_writeoff', productId: noodles.id });
      expect(writeOffs.map((m) => m.quantity).sort()).toEqual([-3, -6]);
      expect(writeOffs.every((m) => m.actorId === null && m.businessDate === today)).toBe(true);
    });
  });

  describe('npm run check:ledgers', () => {
    const check = () =>
      run('npm', ['run', '--silent', 'check:ledgers'], {
        cwd: resolve(__dirname, '..'),
        env: { ...process.env, LOG_LEVEL: 'silent' },
      });

    it('passes on a consistent database and fails naming a tampered lot', async () => {
      const tea = await product({ name: '茶叶' });
      const lot = await stockIn(storeA.id, tea.id, 5, null);

      const clean = await check();
      expect(clean.stdout).toMatch(/stock: \d+ lots checked, 0 mismatches/);

      await t.dataSource.query('UPDATE stock_lots SET quantity = quantity + 1 WHERE id = ?', [
        lot.id,
      ]);
      try {
        const tampered = check();
        await expect(tampered).rejects.toMatchObject({ code: 1 });
        const failure = await tampered.then(
          () => ({ stderr: '' }),
          (error: { stderr: string }) => error,
        );
        expect(failure.stderr).toContain(
          `stock_lots id=${lot.id} (store ${storeA.id}, product ${tea.id}): cached quantity 6 but movements sum to 5`,
        );
      } finally {
        await t.dataSource.query('UPDATE stock_lots SET quantity = quantity - 1 WHERE id = ?', [
          lot.id,
        ]);
      }
      // two runs of the CLI, each starting ts-node: slow on a loaded machine
    }, 90_000);
  });

  describe('round trips of one consumption or reversal', () => {
    const ref = (): StockRef => ({ type: 'redemption', id: `R${++sequence}` });

    /** Runs `work` in a transaction and keeps every statement it sends on that connection. */
    function counting<T>(
      work: (em: EntityManager) => Promise<T>,
    ): Promise<{ statements: string[]; result: T }> {
      return t.dataSource.transaction(async (em) => {
        const runner = em.queryRunner;
        if (!runner) throw new Error('a transaction always has its own query runner');
        const sent = jest.spyOn(runner, 'query');
        try {
          const result = await work(em);
          return { statements: sent.mock.calls.map(([sql]) => sql), result };
        } finally {
          sent.mockRestore();
        }
      });
    }

    it('sends as many statements for eight products as for one, to take and to put back', async () => {
      const shelf = await Promise.all(Array.from({ length: 9 }, () => product()));
      await Promise.all(
        shelf.map(async (item) => {
          // lot ids out of expiry order, so a take spans all three in FEFO order
          await stockIn(storeA.id, item.id, 4, date(40));
          await stockIn(storeA.id, item.id, 4, null);
          await stockIn(storeA.id, item.id, 4, date(10));
        }),
      );
      const [single, ...eight] = shelf;
      const basket = eight.map((item, index) => ({
        productId: item.id,
        quantity: 9 + (index % 3),
      }));
      const take = (lines: ConsumeLine[], sale: StockRef) =>
        counting((em) =>
          stock.consumeFefo(em, SYSTEM_ACTOR, storeA.id, lines, {
            kind: 'redemption_out',
            ref: sale,
          }),
        );
      const putBack = (sale: StockRef) =>
        counting((em) =>
          stock.reverse(em, SYSTEM_ACTOR, sale, {
            kind: 'void_reversal',
            ref: { type: 'redemption_void', id: sale.id },
          }),
        );
      const [oneSale, manySale] = [ref(), ref()];

      const one = await take([{ productId: single.id, quantity: 10 }], oneSale);
      const many = await take(basket, manySale);

      expect(one.result.map((part) => part.quantity)).toEqual([4, 4, 2]);
      expect(many.result).toHaveLength(24);
      expect(many.result.reduce((sum, part) => sum + part.quantity, 0)).toBe(79);
      expect(many.statements).toHaveLength(one.statements.length);
      expect(many.statements.filter((sql) => /\bFOR UPDATE\b/i.test(sql))).toHaveLength(1);

      const undoOne = await putBack(oneSale);
      const undoMany = await putBack(manySale);

      expect(undoOne.result).toHaveLength(3);
      expect(undoMany.result).toHaveLength(24);
      expect(undoMany.statements).toHaveLength(undoOne.statements.length);
      const [{ left }] = await t.dataSource.query<{ left: string }[]>(
        'SELECT SUM(quantity) AS `left` FROM stock_lots WHERE product_id IN (?)',
        [shelf.map((item) => item.id)],
      );
      expect(Number(left)).toBe(9 * 12);
    });

    it('will not take received goods back out once they have been handed out', async () => {
      const [tea, salt] = await Promise.all([product({ name: '红茶' }), product({ name: '食盐' })]);
      const intake: StockRef = { type: 'donation', id: `D${++sequence}` };
      const receive = (em: EntityManager, productId: number, quantity: number) =>
        stock.receive(em, SYSTEM_ACTOR, {
          storeId: storeA.id,
          productId,
          quantity,
          unitValueFen: 500,
          expiryDate: null,
          source: 'donation',
          kind: 'donation_in',
          ref: intake,
        });
      const [teaLot, saltLot] = await t.dataSource.transaction(async (em) => [
        await receive(em, tea.id, 5),
        await receive(em, salt.id, 3),
      ]);
      await consume(storeA.id, tea.id, 4);

      const undoing = t.dataSource.transaction((em) =>
        stock.reverse(em, SYSTEM_ACTOR, intake, {
          kind: 'void_reversal',
          ref: { type: 'donation_void', id: intake.id },
        }),
      );

      await expect(undoing).rejects.toMatchObject({
        code: 'INSUFFICIENT_STOCK',
        details: { productId: tea.id, name: '红茶', requested: 5, available: 1 },
      });
      expect([await lotQuantity(teaLot.id), await lotQuantity(saltLot.id)]).toEqual([1, 3]);
    });

    it('lets twenty tills take overlapping baskets in any order, losing and doubling nothing', async () => {
      const goods = await Promise.all(Array.from({ length: 4 }, () => product()));
      const lots: { sooner: StockLot; later: StockLot }[] = [];
      for (const item of goods) {
        const later = await stockIn(storeA.id, item.id, 12, date(50));
        const sooner = await stockIn(storeA.id, item.id, 8, date(15));
        lots.push({ sooner, later });
      }
      // till i wants 2–4 of the products, starting from a different one each time: ~30 units
      // of each are asked for and 20 are there, so some tills must be refused
      const baskets: ConsumeLine[][] = Array.from({ length: 20 }, (_, i) =>
        Array.from({ length: 2 + (i % 3) }, (_, k) => ({
          productId: goods[(i + k) % goods.length].id,
          quantity: 1 + ((i + k) % 3),
        })),
      );
      const checkout = async (lines: ConsumeLine[]): Promise<ConsumedLot[]> => {
        // InnoDB may pick a deadlock victim; a till retries it (the api answers 409 otherwise)
        for (let attempt = 1; ; attempt += 1) {
          try {
            return await t.dataSource.transaction((em) =>
              stock.consumeFefo(em, SYSTEM_ACTOR, storeA.id, lines, {
                kind: 'redemption_out',
                ref: { type: 'redemption', id: `R${++sequence}` },
              }),
            );
          } catch (error) {
            if (!isLockConflict(error) || attempt >= 3) throw error;
          }
        }
      };

      const results = await Promise.allSettled(baskets.map(checkout));

      const unexpected = results.filter(
        (r) => r.status === 'rejected' && !(r.reason instanceof InsufficientStockError),
      );
      expect(unexpected).toEqual([]);
      const sold = new Map<number, number>();
      results.forEach((result, index) => {
        if (result.status !== 'fulfilled') return;
        for (const line of baskets[index]) {
          sold.set(line.productId, (sold.get(line.productId) ?? 0) + line.quantity);
        }
        const taken = result.value.reduce((sum, part) => sum + part.quantity, 0);
        expect(taken).toBe(baskets[index].reduce((sum, line) => sum + line.quantity, 0));
      });
      expect(results.filter((r) => r.status === 'fulfilled').length).toBeGreaterThan(0);
      expect(results.filter((r) => r.status === 'rejected').length).toBeGreaterThan(0);
      for (const [index, item] of goods.entries()) {
        const units = sold.get(item.id) ?? 0;
        const { sooner, later } = lots[index];
        expect(units).toBeLessThanOrEqual(20);
        // the sooner-expiring lot empties before the later one is touched
        expect([await lotQuantity(sooner.id), await lotQuantity(later.id)]).toEqual([
          Math.max(0, 8 - units),
          12 - Math.max(0, units - 8),
        ]);
      }
    });
  });
});
