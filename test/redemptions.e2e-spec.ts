import { findPointsLedgerMismatches, PointsLedger } from '@charity/households';
import { RedemptionReceiptsService, RedemptionsService } from '@charity/redemptions';
import { RenderedDocument } from '@charity/receipts';
import { findStockLedgerMismatches } from '@charity/inventory';
import type { Store } from '@charity/organisation';
import {
  SYSTEM_ACTOR,
  UnitOfWork,
  USER_ALREADY_CHECKED,
  type UnitOfWorkStats,
} from '@charity/common';
import { AuthService } from '@charity/accounts';
import { QUEUES, redemptionReceiptJobId } from '@charity/queue';
import { getQueueToken } from '@nestjs/bull';
import { JwtService } from '@nestjs/jwt';
import type { Queue } from 'bull';
import { randomUUID } from 'node:crypto';
import type { Response } from 'supertest';
import { databaseSnapshot } from './support/db-snapshot';
import { eventually } from './support/eventually';
import { expectError } from './support/errors';
import { getBytes, pdfOf, pdfText } from './support/pdf';
import type { SignedIn } from './support/given';
import { createTestApp, type TestApp } from './support/test-app';

interface RedemptionBody {
  id: number;
  receiptNo: string;
  householdId: number;
  cardNo: string;
  householdName: string;
  status: string;
  fulfilment: string;
  pointsTotal: number;
  goodsValueFen: number;
  balanceBefore: number;
  balanceAfter: number;
  lines: {
    lineNo: number;
    productId: number;
    quantity: number;
    points: number;
    valueFen: number;
    lots: { lotId: number; quantity: number; unitValueFen: number }[];
  }[];
  receiptUrl: string;
}

describe('redemptions', () => {
  let t: TestApp;
  let store: Store;
  let admin: SignedIn;
  let manager: SignedIn;
  let clerk: SignedIn;
  let otherClerk: SignedIn;

  const checkout = (body: object, as: SignedIn = clerk, key: string | null = randomUUID()) => {
    const request = t.http.post('/api/v1/redemptions').set('Authorization', as.auth);
    return (key === null ? request : request.set('Idempotency-Key', key)).send(body);
  };
  const quote = (body: object, as: SignedIn = clerk) =>
    t.http.post('/api/v1/redemptions/quote').set('Authorization', as.auth).send(body);
  const post = (path: string, body: object, as: SignedIn = manager) =>
    t.http.post(`/api/v1${path}`).set('Authorization', as.auth).send(body);
  const get = (path: string, as: SignedIn = admin) =>
    t.http.get(`/api/v1${path}`).set('Authorization', as.auth);
  const balanceOf = async (householdId: number): Promise<number> =>
    (await get(`/households/${householdId}/points`)).body.balance;
  const lotQuantity = async (lotId: number): Promise<number> => {
    const [row] = await t.dataSource.query<{ quantity: number }[]>(
      'SELECT quantity FROM stock_lots WHERE id = ?',
      [lotId],
    );
    return Number(row?.quantity);
  };
  const expectLedgersExact = async () => {
    expect(await findPointsLedgerMismatches(t.dataSource.manager)).toEqual([]);
    expect(await findStockLedgerMismatches(t.dataSource.manager)).toEqual([]);
  };

  /** A product (10 points a unit unless told) with `units` in one lot at the store. */
  const stocked = async (units: number, overrides: Record<string, unknown> = {}) => {
    const product = await t.given.product({ pointPrice: 10, ...overrides });
    const lot = await t.given.lot(store.id, product.id, units, null, 1250);
    return { product, lot };
  };

  beforeAll(async () => {
    t = await createTestApp();
    store = await t.given.store();
    [admin, manager, clerk, otherClerk] = await Promise.all([
      t.given.signedIn('county_admin'),
      t.given.signedIn('store_manager', store.id),
      t.given.signedIn('clerk', store.id),
      t.given.signedIn('clerk'),
    ]);
  });
  afterAll(() => t.close());

  describe('quote', () => {
    it('prices the cart and names every problem on its line at once, changing nothing', async () => {
      const household = await t.given.household({ homeStoreId: store.id, points: 30 });
      const rice = await stocked(2, { name: '大米 5kg 测试', barcode: undefined });
      const oil = await stocked(10, { pointPrice: 20, monthlyLimitPerHousehold: 1 });
      const soap = await stocked(10, { pointPrice: 5 });
      const response = await quote({
        storeId: store.id,
        cardNo: household.cardNo.toLowerCase(),
        lines: [
          { productId: rice.product.id, quantity: 5 },
          { productId: oil.product.id, quantity: 2 },
          { barcode: '6900000000000', quantity: 1 },
          { productId: soap.product.id, quantity: 1 },
        ],
      });
      expect(response.status).toBe(200);
      const body = response.body;
      expect(body.household).toEqual(
        expect.objectContaining({ id: household.id, balance: 30, spendable: 30 }),
      );
      expect(body.household.name).toMatch(/^测\*+$/);
      expect(body.pointsTotal).toBe(50 + 40 + 5);
      expect(body.balanceAfter).toBe(30 - 95);
      expect(body.ok).toBe(false);
      const codes = (line: number) =>
        (body.lines[line].problems as { code: string }[]).map((p) => p.code);
      expect(codes(0)).toEqual(['INSUFFICIENT_STOCK']);
      expect(body.lines[0].problems[0].message).toContain('大米 5kg 测试');
      expect(body.lines[0].available).toBe(2);
      expect(codes(1)).toEqual(['LIMIT_EXCEEDED']);
      expect(body.lines[1].problems[0].details).toEqual(
        expect.objectContaining({ limit: 'product', used: 0, requested: 2, allowed: 1 }),
      );
      expect(codes(2)).toEqual(['UNKNOWN_BARCODE']);
      expect(codes(3)).toEqual([]);
      expect((body.problems as { code: string }[]).map((p) => p.code)).toEqual([
        'INSUFFICIENT_POINTS',
      ]);
      expect(await balanceOf(household.id)).toBe(30);
      expect(await lotQuantity(rice.lot.id)).toBe(2);
    });

    it('refuses an unknown card and another store', async () => {
      const { product } = await stocked(1);
      const lines = [{ productId: product.id, quantity: 1 }];
      expectError(
        await quote({ storeId: store.id, cardNo: 'H0000000000', lines }),
        404,
        'CARD_NOT_FOUND',
      );
      expectError(
        await quote({ storeId: 999_999, cardNo: 'H0000000000', lines }, admin),
        404,
        'NOT_FOUND',
      );
      const household = await t.given.household({ homeStoreId: store.id });
      expectError(
        await quote({ storeId: store.id, cardNo: household.cardNo, lines }, otherClerk),
        403,
        'FORBIDDEN',
      );
    });
  });

  describe('checkout', () => {
    it('debits points and stock together and answers with the receipt number', async () => {
      const household = await t.given.household({ homeStoreId: store.id, points: 100 });
      const rice = await stocked(5);
      const soap = await stocked(5, { pointPrice: 3 });
      const response = await checkout({
        storeId: store.id,
        cardNo: household.cardNo,
        lines: [
          { productId: rice.product.id, quantity: 2 },
          { barcode: soap.product.internalCode, quantity: 3 },
        ],
      });
      expect(response.status).toBe(201);
      const body = response.body as RedemptionBody;
      const year = new Date().getFullYear();
      expect(body.receiptNo).toMatch(new RegExp(`^DH-${store.code}-(${year}|${year + 1})-\\d{6}$`));
      expect(body).toEqual(
        expect.objectContaining({
          householdId: household.id,
          status: 'completed',
          fulfilment: 'pickup',
          pointsTotal: 29,
          balanceBefore: 100,
          balanceAfter: 71,
          goodsValueFen: 5 * 1250,
          receiptUrl: `/api/v1/redemptions/${body.id}/receipt.pdf`,
        }),
      );
      expect(body.lines.map((l) => [l.productId, l.quantity, l.points, l.valueFen])).toEqual([
        [rice.product.id, 2, 20, 2500],
        [soap.product.id, 3, 9, 3750],
      ]);
      expect(body.lines[0]?.lots).toEqual([
        expect.objectContaining({ lotId: rice.lot.id, quantity: 2, unitValueFen: 1250 }),
      ]);
      expect(await balanceOf(household.id)).toBe(71);
      expect(await lotQuantity(rice.lot.id)).toBe(3);
      expect(await lotQuantity(soap.lot.id)).toBe(2);
      const statement = (await get(`/households/${household.id}/points`)).body;
      expect(statement.entries.items[0]).toEqual(
        expect.objectContaining({
          kind: 'redemption',
          points: -29,
          source: { type: 'redemption', id: String(body.id) },
        }),
      );
      await expectLedgersExact();
    });

    it('numbers receipts per store and year without gaps, failed checkouts included', async () => {
      const own = await t.given.store();
      const till = await t.given.signedIn('clerk', own.id);
      const household = await t.given.household({ homeStoreId: own.id, points: 1000 });
      const product = await t.given.product({ pointPrice: 1 });
      await t.given.lot(own.id, product.id, 100);
      const good = {
        storeId: own.id,
        cardNo: household.cardNo,
        lines: [{ productId: product.id, quantity: 1 }],
      };
      const bad = { ...good, lines: [{ productId: product.id, quantity: 500 }] };
      const responses = await Promise.all([
        ...Array.from({ length: 6 }, () => checkout(good, till)),
        ...Array.from({ length: 3 }, () => checkout(bad, till)),
      ]);
      const numbers = responses
        .filter((r) => r.status === 201)
        .map((r) => Number((r.body as RedemptionBody).receiptNo.slice(-6)))
        .sort((a, b) => a - b);
      expect(numbers).toEqual([1, 2, 3, 4, 5, 6]);
    });

    it('replays a retried request and refuses a key reused for another cart', async () => {
      const household = await t.given.household({ homeStoreId: store.id, points: 50 });
      const { product } = await stocked(10);
      const body = {
        storeId: store.id,
        cardNo: household.cardNo,
        lines: [{ productId: product.id, quantity: 1 }],
      };
      const key = randomUUID();
      const first = await checkout(body, clerk, key);
      expect(first.status).toBe(201);
      const again = await checkout(body, clerk, key);
      expect(again.status).toBe(200);
      expect(again.headers['idempotent-replayed']).toBe('true');
      expect(again.body.id).toBe(first.body.id);
      expectError(
        await checkout({ ...body, lines: [{ productId: product.id, quantity: 2 }] }, clerk, key),
        422,
        'IDEMPOTENCY_KEY_REUSED',
      );
      expectError(await checkout(body, clerk, null), 400, 'IDEMPOTENCY_KEY_REQUIRED');
      expectError(await checkout(body, clerk, 'short'), 400, 'VALIDATION_FAILED');
      expect(await balanceOf(household.id)).toBe(40);
    });

    it('refuses with the code and facts of each problem', async () => {
      const household = await t.given.household({ homeStoreId: store.id, points: 15 });
      const { product } = await stocked(3);
      const cart = (lines: object[], cardNo = household.cardNo) => ({
        storeId: store.id,
        cardNo,
        lines,
      });

      const short = await checkout(cart([{ productId: product.id, quantity: 4 }]));
      expectError(short, 409, 'INSUFFICIENT_STOCK');
      expect(short.body.details).toEqual(
        expect.objectContaining({ productId: product.id, requested: 4, available: 3 }),
      );
      const poor = await checkout(cart([{ productId: product.id, quantity: 2 }]));
      expectError(poor, 409, 'INSUFFICIENT_POINTS');
      expect(poor.body.details).toEqual(expect.objectContaining({ balance: 15, needed: 20 }));
      expectError(
        await checkout(cart([{ barcode: '6900000000017', quantity: 1 }])),
        404,
        'UNKNOWN_BARCODE',
      );
      expectError(
        await checkout(cart([{ productId: product.id, quantity: 1 }], 'H0000000000')),
        404,
        'CARD_NOT_FOUND',
      );
      const exited = await t.given.household({ homeStoreId: store.id, points: 50 });
      await t.http
        .patch(`/api/v1/households/${exited.id}`)
        .set('Authorization', admin.auth)
        .send({ status: 'exited' });
      expectError(
        await checkout(cart([{ productId: product.id, quantity: 1 }], exited.cardNo)),
        409,
        'HOUSEHOLD_INACTIVE',
      );
      for (const lines of [[], [{ productId: product.id, quantity: 0 }], [{ quantity: 1 }]]) {
        expectError(await checkout(cart(lines)), 400, 'VALIDATION_FAILED');
      }
      expect(await balanceOf(household.id)).toBe(15);
      expect(
        await lotQuantity(
          (
            await t.dataSource.query<{ id: number }[]>(
              'SELECT id FROM stock_lots WHERE product_id = ?',
              [product.id],
            )
          )[0].id,
        ),
      ).toBe(3);
    });

    it('refuses a line worth more than its value column holds, writing nothing, receipt number included', async () => {
      // 43 units of a ¥1,000,000 lot: ¥43,000,000 overflowed redemption_lines.value_fen (a 500)
      const household = await t.given.household({ homeStoreId: store.id, points: 100 });
      const product = await t.given.product({ pointPrice: 1, unitValueFen: 100_000_000 });
      const lot = await t.given.lot(store.id, product.id, 50, null, 100_000_000);
      const cart = (quantity: number) => ({
        storeId: store.id,
        cardNo: household.cardNo,
        lines: [{ productId: product.id, quantity }],
      });
      const before = await databaseSnapshot(t.dataSource, { except: ['rendered_documents'] });

      const refused = await checkout(cart(43));

      expectError(refused, 400, 'VALIDATION_FAILED');
      expect(refused.body.message).toContain('超过单行上限');
      expect(refused.body.details).toMatchObject({
        productId: product.id,
        quantity: 43,
        valueFen: 4_300_000_000,
        fields: [expect.objectContaining({ field: 'lines.0.quantity', constraints: ['max'] })],
      });
      expect(await databaseSnapshot(t.dataSource, { except: ['rendered_documents'] })).toEqual(
        before,
      );

      const largest = await checkout(cart(42));
      expect(largest.status).toBe(201);
      expect((largest.body as RedemptionBody).goodsValueFen).toBe(4_200_000_000);
      expect(await lotQuantity(lot.id)).toBe(8);
      expect(await balanceOf(household.id)).toBe(58);
      await expectLedgersExact();
    });

    it('refuses a checkout at a closed store with STORE_INACTIVE, writing nothing', async () => {
      const closed = await t.given.store();
      const closedClerk = await t.given.signedIn('clerk', closed.id);
      const household = await t.given.household({ homeStoreId: closed.id, points: 100 });
      const product = await t.given.product({ pointPrice: 10 });
      await t.given.lot(closed.id, product.id, 5, null, 1250);
      const cart = {
        storeId: closed.id,
        cardNo: household.cardNo,
        lines: [{ productId: product.id, quantity: 1 }],
      };
      await t.dataSource.query('UPDATE stores SET active = 0 WHERE id = ?', [closed.id]);

      const before = await databaseSnapshot(t.dataSource, { except: ['rendered_documents'] });
      const refused = await checkout(cart, closedClerk);
      expectError(refused, 409, 'STORE_INACTIVE');
      expect(refused.body.message).toContain('已停用，不能兑换');
      expect(refused.body.details).toEqual({ storeId: closed.id });
      expect(await databaseSnapshot(t.dataSource, { except: ['rendered_documents'] })).toEqual(
        before,
      );
    });

    it('lets an exited household spend what it holds when the policy allows it', async () => {
      const household = await t.given.household({ homeStoreId: store.id, points: 20 });
      const { product } = await stocked(5);
      await t.http
        .patch(`/api/v1/households/${household.id}`)
        .set('Authorization', admin.auth)
        .send({ status: 'exited' });
      const policy = (on: boolean) =>
        t.http
          .put('/api/v1/points/policy')
          .set('Authorization', admin.auth)
          .send({ exitedMaySpend: on });
      // the till hears the refusal at the card scan, by the same rule as the checkout
      const refusal = async () =>
        (await get(`/households/card/${household.cardNo}/allowance`, clerk)).body.refusal;
      expect(await refusal()).toEqual(
        expect.objectContaining({
          code: 'HOUSEHOLD_INACTIVE',
          message: '该户状态为“已脱贫”，不能获得或使用积分',
        }),
      );
      await policy(true);
      try {
        expect(await refusal()).toBeNull();
        const response = await checkout({
          storeId: store.id,
          cardNo: household.cardNo,
          lines: [{ productId: product.id, quantity: 1 }],
        });
        expect(response.status).toBe(201);
      } finally {
        await policy(false);
      }
    });
  });

  describe('limits', () => {
    it('counts a product limit across every store in the county, and a manager may override it', async () => {
      const household = await t.given.household({ homeStoreId: store.id, points: 500 });
      const elsewhere = await t.given.store();
      const otherTill = await t.given.signedIn('clerk', elsewhere.id);
      const { product } = await stocked(10, { monthlyLimitPerHousehold: 2 });
      await t.given.lot(elsewhere.id, product.id, 10);
      const cart = (storeId: number, quantity: number, extra: object = {}) => ({
        storeId,
        cardNo: household.cardNo,
        lines: [{ productId: product.id, quantity }],
        ...extra,
      });
      expect((await checkout(cart(elsewhere.id, 1), otherTill)).status).toBe(201);
      const over = await checkout(cart(store.id, 2));
      expectError(over, 409, 'LIMIT_EXCEEDED');
      expect(over.body.details).toEqual(
        expect.objectContaining({ limit: 'product', used: 1, requested: 2, allowed: 2 }),
      );
      expectError(
        await checkout(cart(store.id, 2, { limitOverrideReason: '家中有病人' })),
        403,
        'FORBIDDEN',
      );
      const allowed = await checkout(
        cart(store.id, 2, { limitOverrideReason: '家中有病人' }),
        manager,
      );
      expect(allowed.status).toBe(201);
      expect(allowed.body.limitOverrideReason).toBe('家中有病人');
    });

    it('applies a category limit and a monthly visits limit', async () => {
      const household = await t.given.household({ homeStoreId: store.id, points: 500 });
      const category = await t.given.category();
      const limited = await t.http
        .patch(`/api/v1/product-categories/${category.id}`)
        .set('Authorization', admin.auth)
        .send({ monthlyLimitPerHousehold: 3 });
      expect(limited.body.monthlyLimitPerHousehold).toBe(3);
      const a = await stocked(10, { categoryId: category.id });
      const b = await stocked(10, { categoryId: category.id });
      const over = await checkout({
        storeId: store.id,
        cardNo: household.cardNo,
        lines: [
          { productId: a.product.id, quantity: 2 },
          { productId: b.product.id, quantity: 2 },
        ],
      });
      expectError(over, 409, 'LIMIT_EXCEEDED');
      expect(over.body.details).toEqual(
        expect.objectContaining({
          limit: 'category',
          categoryId: category.id,
          requested: 4,
          allowed: 3,
        }),
      );

      const policy = (limit: number | null) =>
        t.http
          .put('/api/v1/points/policy')
          .set('Authorization', admin.auth)
          .send({ monthlyVisitLimit: limit });
      await policy(2);
      try {
        const one = {
          storeId: store.id,
          cardNo: household.cardNo,
          lines: [{ productId: a.product.id, quantity: 1 }],
        };
        expect((await checkout(one)).status).toBe(201);
        expect((await checkout(one)).status).toBe(201);
        const third = await checkout(one);
        expectError(third, 409, 'LIMIT_EXCEEDED');
        expect(third.body.details).toEqual(
          expect.objectContaining({ limit: 'visits', used: 2, allowed: 2 }),
        );
      } finally {
        await policy(null);
      }
    });

    it("shows the till a card's balance, points about to lapse and this month's limits used", async () => {
      const household = await t.given.household({ homeStoreId: store.id, points: 100 });
      const category = await t.given.category();
      await t.http
        .patch(`/api/v1/product-categories/${category.id}`)
        .set('Authorization', admin.auth)
        .send({ monthlyLimitPerHousehold: 5 });
      const oil = await stocked(10, { categoryId: category.id, monthlyLimitPerHousehold: 2 });
      const soap = await stocked(10, { pointPrice: 5 });
      const allowance = (cardNo: string, as: SignedIn = clerk) =>
        get(`/households/card/${cardNo}/allowance`, as);

      const before = await allowance(household.cardNo.toLowerCase());
      expect(before.status).toBe(200);
      expect(before.body).toEqual(
        expect.objectContaining({
          household: expect.objectContaining({ id: household.id, balance: 100, spendable: 100 }),
          visits: { used: 0, allowed: null },
          limits: [],
          refusal: null,
        }),
      );
      expect(before.body.household.name).toMatch(/^测\*+$/);
      expect(before.body.expiringSoon).toEqual(
        expect.objectContaining({ points: 0, withinDays: expect.any(Number) }),
      );

      const done = await checkout({
        storeId: store.id,
        cardNo: household.cardNo,
        lines: [
          { productId: oil.product.id, quantity: 1 },
          { productId: soap.product.id, quantity: 3 },
        ],
      });
      expect(done.status).toBe(201);
      await t.http
        .put('/api/v1/points/policy')
        .set('Authorization', admin.auth)
        .send({ monthlyVisitLimit: 4 });
      try {
        const after = await allowance(household.cardNo);
        expect(after.body.household.balance).toBe(100 - 10 - 15);
        expect(after.body.visits).toEqual({ used: 1, allowed: 4 });
        expect(after.body.limits).toEqual([
          { limit: 'product', id: oil.product.id, name: oil.product.name, used: 1, allowed: 2 },
          { limit: 'category', id: category.id, name: category.name, used: 1, allowed: 5 },
        ]);
      } finally {
        await t.http
          .put('/api/v1/points/policy')
          .set('Authorization', admin.auth)
          .send({ monthlyVisitLimit: null });
      }
      expectError(await allowance('H0000000000'), 404, 'CARD_NOT_FOUND');
      const auditor = await t.given.signedIn('auditor');
      expect((await allowance(household.cardNo, auditor)).status).toBe(403);
    });
  });

  describe('void', () => {
    it('gives the points back to the same grants and the goods to the same lots, once', async () => {
      const household = await t.given.household({ homeStoreId: store.id, points: 40 });
      const { product, lot } = await stocked(5);
      const sold = (
        await checkout({
          storeId: store.id,
          cardNo: household.cardNo,
          lines: [{ productId: product.id, quantity: 3 }],
        })
      ).body as RedemptionBody;
      expect(await balanceOf(household.id)).toBe(10);
      expectError(
        await post(`/redemptions/${sold.id}/void`, { reason: 'x' }, clerk),
        403,
        'FORBIDDEN',
      );
      const voided = await post(`/redemptions/${sold.id}/void`, { reason: '扫错商品' });
      expect(voided.status).toBe(200);
      expect(voided.body).toEqual(
        expect.objectContaining({ status: 'voided', voidReason: '扫错商品' }),
      );
      expect(await balanceOf(household.id)).toBe(40);
      expect(await lotQuantity(lot.id)).toBe(5);
      const grants = await t.dataSource.query<{ remaining: number; points: number }[]>(
        'SELECT remaining, points FROM points_grants WHERE household_id = ?',
        [household.id],
      );
      expect(grants.map((g) => [Number(g.points), Number(g.remaining)])).toEqual([[40, 40]]);
      expectError(
        await post(`/redemptions/${sold.id}/void`, { reason: '再次' }),
        409,
        'REDEMPTION_NOT_VOIDABLE',
      );
      await expectLedgersExact();
    });

    it('only within the window', async () => {
      const household = await t.given.household({ homeStoreId: store.id, points: 40 });
      const { product } = await stocked(5);
      const sold = (
        await checkout({
          storeId: store.id,
          cardNo: household.cardNo,
          lines: [{ productId: product.id, quantity: 1 }],
        })
      ).body as RedemptionBody;
      await t.dataSource.query('UPDATE redemptions SET business_date = ? WHERE id = ?', [
        t.given.date(-1),
        sold.id,
      ]);
      const late = await post(`/redemptions/${sold.id}/void`, { reason: '太晚' });
      expectError(late, 409, 'REDEMPTION_NOT_VOIDABLE');
      expect(late.body.message).toContain('当天');
    });
  });

  describe('delivery', () => {
    it('commits at once, then is delivered or cancelled (which reverses like a void)', async () => {
      const household = await t.given.household({ homeStoreId: store.id, points: 100 });
      const { product, lot } = await stocked(10);
      const order = (
        await checkout({
          storeId: store.id,
          cardNo: household.cardNo,
          lines: [{ productId: product.id, quantity: 2 }],
          fulfilment: 'delivery',
          deliveryAddress: '幸福村3组12号',
          deliveryNote: '下午送',
        })
      ).body as RedemptionBody & { delivery: { address: string } };
      expect(order.status).toBe('awaiting_delivery');
      expect(order.delivery.address).toBe('幸福村3组12号');
      expect(await balanceOf(household.id)).toBe(80);
      expect(await lotQuantity(lot.id)).toBe(8);

      const list = (await get(`/deliveries?storeId=${store.id}`, clerk)).body
        .items as RedemptionBody[];
      expect(list.map((r) => r.id)).toContain(order.id);
      const done = await post(`/deliveries/${order.id}/delivered`, { receivedBy: '王秀英' }, clerk);
      expect(done.body).toEqual(expect.objectContaining({ status: 'delivered' }));
      expectError(
        await post(`/deliveries/${order.id}/delivered`, { receivedBy: '王' }, clerk),
        409,
        'DELIVERY_NOT_PENDING',
      );

      const second = (
        await checkout({
          storeId: store.id,
          cardNo: household.cardNo,
          lines: [{ productId: product.id, quantity: 3 }],
          fulfilment: 'delivery',
          deliveryAddress: '幸福村3组12号',
        })
      ).body as RedemptionBody;
      expect(await balanceOf(household.id)).toBe(50);
      const cancelled = await post(`/deliveries/${second.id}/cancel`, { reason: '联系不上' });
      expect(cancelled.body.status).toBe('cancelled');
      expect(await balanceOf(household.id)).toBe(80);
      expect(await lotQuantity(lot.id)).toBe(8);
      await expectLedgersExact();
    });

    it('needs an address: the quote names it and the checkout refuses it, writing nothing', async () => {
      const household = await t.given.household({ homeStoreId: store.id, points: 100 });
      const { product } = await stocked(10);
      const cart = {
        storeId: store.id,
        cardNo: household.cardNo,
        lines: [{ productId: product.id, quantity: 1 }],
        fulfilment: 'delivery',
      };
      const addressField = [expect.objectContaining({ field: 'deliveryAddress' })];

      const quoted = (await quote(cart)).body;
      expect(quoted.ok).toBe(false);
      expect(quoted.problems).toEqual([
        expect.objectContaining({ code: 'VALIDATION_FAILED', details: { fields: addressField } }),
      ]);
      const before = await databaseSnapshot(t.dataSource, { except: ['rendered_documents'] });
      const refused = await checkout(cart);
      expectError(refused, 400, 'VALIDATION_FAILED');
      expect(refused.body.message).toContain('送货地址');
      expect(refused.body.details.fields).toEqual(addressField);
      expect(await databaseSnapshot(t.dataSource, { except: ['rendered_documents'] })).toEqual(
        before,
      );

      const registered = await t.given.household({
        homeStoreId: store.id,
        points: 100,
        address: '幸福村5组1号',
      });
      expect((await quote({ ...cart, cardNo: registered.cardNo })).body.ok).toBe(true);
      const sent = await checkout({ ...cart, cardNo: registered.cardNo });
      expect(sent.status).toBe(201);
      expect(sent.body.delivery.address).toBe('幸福村5组1号');
    });

    it("is marked delivered by the delivering store's staff or a county admin only", async () => {
      const household = await t.given.household({ homeStoreId: store.id, points: 100 });
      const { product } = await stocked(10);
      const order = async () =>
        (
          await checkout({
            storeId: store.id,
            cardNo: household.cardNo,
            lines: [{ productId: product.id, quantity: 1 }],
            fulfilment: 'delivery',
            deliveryAddress: '幸福村3组12号',
          })
        ).body as RedemptionBody;
      const statusOf = async (id: number) => (await get(`/redemptions/${id}`)).body.status;
      const elsewhere = (await t.given.store()).id;

      const refused = await order();
      for (const as of [
        otherClerk,
        await t.given.signedIn('store_manager', elsewhere),
        await t.given.signedIn('auditor'),
      ]) {
        const response = await post(
          `/deliveries/${refused.id}/delivered`,
          { receivedBy: '王' },
          as,
        );
        expectError(response, 403, 'FORBIDDEN');
      }
      expect(await statusOf(refused.id)).toBe('awaiting_delivery');

      for (const as of [clerk, manager, admin]) {
        const delivered = await order();
        await post(`/deliveries/${delivered.id}/delivered`, { receivedBy: '王' }, as).expect(200);
        expect(await statusOf(delivered.id)).toBe('delivered');
      }
    });
  });

  describe('receipt', () => {
    it('prints the 80 mm and 58 mm receipt with the masked name, and 作废 once voided', async () => {
      const household = await t.given.household({
        homeStoreId: store.id,
        points: 60,
        headName: '欧阳翠花',
      });
      const { product } = await stocked(5, { name: '挂面 1kg 测试' });
      const sold = (
        await checkout({
          storeId: store.id,
          cardNo: household.cardNo,
          lines: [{ productId: product.id, quantity: 2 }],
        })
      ).body as RedemptionBody;
      const wide = pdfOf(await getBytes(t.http, `/api/v1${sold.receiptUrl.slice(7)}`, clerk.auth));
      const text = pdfText(wide);
      for (const expected of [
        sold.receiptNo,
        household.cardNo,
        '欧***',
        '挂面 1kg 测试',
        '60',
        '40',
      ]) {
        expect(text).toContain(expected);
      }
      expect(text).not.toContain('欧阳翠花');
      // the page is 80 mm wide (226.77 pt)
      expect(wide.toString('latin1')).toMatch(/\/MediaBox \[0 0 226\.7\d*/);
      const narrow = pdfOf(
        await getBytes(t.http, `/api/v1/redemptions/${sold.id}/receipt.pdf?width=58`, clerk.auth),
      );
      expect(narrow.toString('latin1')).toMatch(/\/MediaBox \[0 0 164\.4\d*/);
      expectError(
        await getBytes(t.http, `/api/v1/redemptions/${sold.id}/receipt.pdf?width=70`, clerk.auth),
        400,
        'VALIDATION_FAILED',
      );
      expectError(
        await getBytes(t.http, `/api/v1/redemptions/${sold.id}/receipt.pdf`, otherClerk.auth),
        403,
        'FORBIDDEN',
      );

      await post(`/redemptions/${sold.id}/void`, { reason: '扫错' });
      const voided = pdfText(
        pdfOf(await getBytes(t.http, `/api/v1/redemptions/${sold.id}/receipt.pdf`, clerk.auth)),
      );
      expect(voided).toContain('作废');
    });

    it('is rendered and stored by the worker job after commit', async () => {
      const household = await t.given.household({ homeStoreId: store.id, points: 20 });
      const { product } = await stocked(5);
      const sold = (
        await checkout({
          storeId: store.id,
          cardNo: household.cardNo,
          lines: [{ productId: product.id, quantity: 1 }],
        })
      ).body as RedemptionBody;
      // what the documents processor runs for the queued job
      await t.app.get(RedemptionReceiptsService).render(sold.id);
      const stored = await t.dataSource
        .getRepository(RenderedDocument)
        .findOneBy({ kind: 'redemption_receipt_80', refId: String(sold.id) });
      expect(stored?.version).toBe('completed');
      expect(pdfText(stored!.content)).toContain(sold.receiptNo);
    });

    it('queues the renders of checkouts that finish together, and sends what waits at shutdown', async () => {
      const documents = t.app.get<Queue>(getQueueToken(QUEUES.documents));
      const { product } = await stocked(5);
      const sold = await Promise.all(
        [1, 2, 3].map(async () => {
          const household = await t.given.household({ homeStoreId: store.id, points: 20 });
          const response = await checkout({
            storeId: store.id,
            cardNo: household.cardNo,
            lines: [{ productId: product.id, quantity: 1 }],
          });
          expect(response.status).toBe(201);
          return response.body as RedemptionBody;
        }),
      );
      // the answers do not wait for Redis; the jobs follow within RENDER_BATCH_MS
      const jobIds = sold.map((one) => redemptionReceiptJobId(one.id, 'completed'));
      const queued = async () =>
        (await Promise.all(jobIds.map((id) => documents.getJob(id)))).filter(Boolean).length;
      await eventually(async () => ((await queued()) === jobIds.length ? true : undefined));

      // a render asked for just before the api stops is in Redis before the queue closes
      const receipts = t.app.get(RedemptionReceiptsService);
      const asked = receipts.enqueue(sold[0].id, 'voided');
      await receipts.beforeApplicationShutdown();
      expect(await documents.getJob(redemptionReceiptJobId(sold[0].id, 'voided'))).not.toBeNull();
      await asked;
    });
  });

  describe('history', () => {
    it('lists by store, household, month and status, store staff seeing their store only', async () => {
      const household = await t.given.household({ homeStoreId: store.id, points: 100 });
      const { product } = await stocked(10);
      const sold = (
        await checkout({
          storeId: store.id,
          cardNo: household.cardNo,
          lines: [{ productId: product.id, quantity: 1 }],
        })
      ).body as RedemptionBody;
      const month = new Date().toISOString().slice(0, 7);
      const mine = (await get(`/households/${household.id}/redemptions`, clerk)).body;
      expect(mine.items.map((r: RedemptionBody) => r.id)).toEqual([sold.id]);
      const listed = (await get(`/redemptions?storeId=${store.id}&status=completed&pageSize=200`))
        .body.items as RedemptionBody[];
      expect(listed.map((r) => r.id)).toContain(sold.id);
      const elsewhere = (await get('/redemptions?pageSize=200', otherClerk)).body
        .items as RedemptionBody[];
      expect(elsewhere.map((r) => r.id)).not.toContain(sold.id);
      expectError(await get(`/redemptions/${sold.id}`, otherClerk), 403, 'FORBIDDEN');
      expect((await get(`/redemptions?month=${month}`)).status).toBe(200);
      expectError(await get('/redemptions?month=2026-13'), 400, 'VALIDATION_FAILED');
    });
  });

  describe('round trips', () => {
    /**
     * Round trips `work` makes to the database: its units of work's, counted by the unit of work,
     * and for a request the auth guard's own read of the user (authenticate() is one query) when
     * the user is not checked in the checkout's first round trip.
     */
    const statementsOf = async <T>(
      work: () => Promise<T>,
    ): Promise<{ result: T; statements: number }> => {
      // the policy is cached for a few seconds: read it now, so a cache that happens to run out
      // during `work` (the machine is slow, an earlier step took long) does not count
      const ledger = t.app.get(PointsLedger);
      ledger.forgetPolicy();
      await ledger.currentPolicy(t.dataSource.manager);
      const runs: UnitOfWorkStats[] = [];
      const stop = UnitOfWork.observe((stats) => runs.push(stats));
      const guard = jest.spyOn(t.app.get(AuthService), 'authenticate');
      try {
        const result = await work();
        const inUnits = runs.reduce((sum, run) => sum + run.roundTrips, 0);
        return { result, statements: inUnits + guard.mock.calls.length };
      } finally {
        stop();
        guard.mockRestore();
      }
    };

    it('are the same for a one-line and an eight-line cart', async () => {
      const household = await t.given.household({ homeStoreId: store.id, points: 10_000 });
      const goods = await Promise.all(Array.from({ length: 8 }, () => stocked(50)));
      // a second lot per product, so the eight-line cart also draws on more lots
      for (const { product } of goods) await t.given.lot(store.id, product.id, 1, t.given.date(30));
      const service = t.app.get(RedemptionsService);
      const statements = async (lines: { productId: number; quantity: number }[]) =>
        (
          await statementsOf(() =>
            service.checkout(
              SYSTEM_ACTOR,
              { storeId: store.id, cardNo: household.cardNo, lines },
              randomUUID(),
              USER_ALREADY_CHECKED,
            ),
          )
        ).statements;
      const one = await statements([{ productId: goods[0].product.id, quantity: 2 }]);
      const eight = await statements(
        goods.map(({ product }) => ({ productId: product.id, quantity: 2 })),
      );
      // START with the store, the household's lock, the goods and the grants; the receipt number
      // and the lots' locks; every write; COMMIT
      expect(one).toBe(4);
      expect(eight).toBe(one);
    });

    it("read the till's user with the checkout's first reads: four for the whole request", async () => {
      const household = await t.given.household({ homeStoreId: store.id, points: 100 });
      const { product } = await stocked(10);
      const { result: sold, statements } = await statementsOf(() =>
        checkout({
          storeId: store.id,
          cardNo: household.cardNo,
          lines: [{ productId: product.id, quantity: 1 }],
        }),
      );
      expect(sold.status).toBe(201);
      expect(statements).toBe(4);
    });

    it('refuse a disabled account or an outdated token in that first round trip, changing nothing', async () => {
      const household = await t.given.household({ homeStoreId: store.id, points: 100 });
      const { product, lot } = await stocked(10);
      const till = await t.given.signedIn('clerk', store.id);
      const sale = (as: SignedIn) =>
        checkout(
          {
            storeId: store.id,
            cardNo: household.cardNo,
            lines: [{ productId: product.id, quantity: 1 }],
          },
          as,
        );
      const redemptionsOf = async () =>
        Number(
          (
            await t.dataSource.query<{ n: string }[]>(
              'SELECT COUNT(*) AS n FROM redemptions WHERE household_id = ?',
              [household.id],
            )
          )[0]?.n,
        );

      // switched off behind the api's back (the users screen also retires the tokens)
      await t.dataSource.query('UPDATE users SET active = 0 WHERE id = ?', [till.user.id]);
      expectError(await sale(till), 401, 'ACCOUNT_DISABLED');
      // moved to another role: the token's version is no longer the user's
      await t.dataSource.query(
        'UPDATE users SET active = 1, token_version = token_version + 1 WHERE id = ?',
        [till.user.id],
      );
      expectError(await sale(till), 401, 'UNAUTHENTICATED');
      expect(await redemptionsOf()).toBe(0);
      expect(await balanceOf(household.id)).toBe(100);
      expect(await lotQuantity(lot.id)).toBe(10);

      // a token from before tokens named the user's role and store is checked the usual way
      const again = await t.given.signIn(till.user);
      const claims = t.app.get(JwtService).decode<{ sub: number; ver: number }>(again.token);
      const bare = await t.app.get(JwtService).signAsync({ sub: claims.sub, ver: claims.ver });
      const { result: old, statements } = await statementsOf(() =>
        sale({ ...again, auth: `Bearer ${bare}` }),
      );
      expect(old.status).toBe(201);
      expect(statements).toBe(5);
      expect(await redemptionsOf()).toBe(1);
      await expectLedgersExact();
    });
  });

  describe('under load', () => {
    const statuses = (responses: Response[]) => {
      const count = new Map<number, number>();
      for (const r of responses) count.set(r.status, (count.get(r.status) ?? 0) + 1);
      return count;
    };

    it('200 checkouts at once for one household: exactly the affordable ones succeed', async () => {
      const household = await t.given.household({ homeStoreId: store.id, points: 75 });
      const { product } = await stocked(1000, { pointPrice: 5 });
      const responses = await Promise.all(
        Array.from({ length: 200 }, () =>
          checkout({
            storeId: store.id,
            cardNo: household.cardNo,
            lines: [{ productId: product.id, quantity: 1 }],
          }),
        ),
      );
      const count = statuses(responses);
      expect(count.get(201)).toBe(15);
      expect(count.get(409)).toBe(185);
      for (const r of responses.filter((r) => r.status === 409)) {
        expect(r.body.code).toBe('INSUFFICIENT_POINTS');
      }
      expect(await balanceOf(household.id)).toBe(0);
      await expectLedgersExact();
    });

    it('200 checkouts at once for one product: exactly the stocked ones succeed', async () => {
      const households = await Promise.all(
        Array.from({ length: 20 }, () => t.given.household({ homeStoreId: store.id, points: 200 })),
      );
      const { product, lot } = await stocked(37, { pointPrice: 1 });
      const responses = await Promise.all(
        Array.from({ length: 200 }, (_, i) =>
          checkout({
            storeId: store.id,
            cardNo: households[i % 20].cardNo,
            lines: [{ productId: product.id, quantity: 1 }],
          }),
        ),
      );
      const count = statuses(responses);
      expect(count.get(201)).toBe(37);
      expect(count.get(409)).toBe(163);
      for (const r of responses.filter((r) => r.status === 409)) {
        expect(r.body.code).toBe('INSUFFICIENT_STOCK');
      }
      expect(await lotQuantity(lot.id)).toBe(0);
      await expectLedgersExact();
    });

    it('a retried request fired with the original makes one redemption', async () => {
      const household = await t.given.household({ homeStoreId: store.id, points: 100 });
      const { product } = await stocked(10);
      const key = randomUUID();
      const body = {
        storeId: store.id,
        cardNo: household.cardNo,
        lines: [{ productId: product.id, quantity: 1 }],
      };
      const responses = await Promise.all(
        Array.from({ length: 6 }, () => checkout(body, clerk, key)),
      );
      expect(responses.map((r) => r.status).sort()).toEqual([200, 200, 200, 200, 200, 201]);
      expect(new Set(responses.map((r) => r.body.id)).size).toBe(1);
      expect(await balanceOf(household.id)).toBe(90);
    });
  });
});
