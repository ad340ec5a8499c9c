import type { Household } from '@charity/households';
import type { Store } from '@charity/organisation';
import { Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { expectError } from './support/errors';
import type { SignedIn } from './support/given';
import { TcpProxy } from './support/tcp-proxy';
import { createTestApp, type TestApp } from './support/test-app';

/**
 * The card lookup answers another store's staff only what a till needs, and every household
 * lookup (card, allowance, household, search) counts against a per-user limit kept in Redis.
 */
describe('household lookups', () => {
  let t: TestApp;
  let storeA: Store;
  let storeB: Store;
  /** A household of store A, with a phone and an address. */
  let household: Household;

  const get = (path: string, as: SignedIn, app: TestApp = t) =>
    app.http.get(`/api/v1${path}`).set('Authorization', as.auth);

  /** The four lookups in turn, each of them counted. */
  const lookup = (n: number, as: SignedIn, app: TestApp = t) => {
    const paths = [
      `/households/card/${household.cardNo}`,
      `/households/card/${household.cardNo}/allowance`,
      `/households/${household.id}`,
      `/households?search=${household.cardNo}`,
    ];
    return get(paths[n % paths.length], as, app);
  };

  /** Uses up the user's lookups for this minute, each answered 200. */
  const useUp = async (as: SignedIn, app: TestApp = t) => {
    for (let n = 0; n < t.config.lookupRateLimit; n++) {
      const response = await lookup(n, as, app);
      expect({ n, status: response.status }).toEqual({ n, status: 200 });
    }
  };

  beforeEach(async () => {
    await t.reset();
    storeA = await t.given.store();
    storeB = await t.given.store();
    household = await t.given.household({
      homeStoreId: storeA.id,
      headName: '王秀英',
      phone: '13912345678',
      address: '幸福村3组12号',
      points: 80,
    });
  });
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  describe('a card scanned at another store', () => {
    it.each(['clerk', 'store_manager'] as const)(
      "answers another store's %s only the masked name, category, status and balance",
      async (role) => {
        const other = await t.given.signedIn(role, storeB.id);
        const response = await get(`/households/card/${household.cardNo}`, other).expect(200);
        expect(response.body).toEqual({
          id: household.id,
          cardNo: household.cardNo,
          name: '王**',
          category: 'dibao',
          status: 'active',
          balance: 80,
        });
        expect(response.text).not.toMatch(/王秀英|幸福村|5678|idNumber|regionId|homeStore/);
      },
    );

    it.each(['clerk', 'store_manager', 'county_admin', 'auditor'] as const)(
      'answers in full to a %s of its own store or the county',
      async (role) => {
        const storeRole = role === 'clerk' || role === 'store_manager';
        const own = await t.given.signedIn(role, storeRole ? storeA.id : undefined);
        const response = await get(`/households/card/${household.cardNo}`, own).expect(200);
        expect(response.body).toMatchObject({
          id: household.id,
          headName: '王秀英',
          address: '幸福村3组12号',
          phoneMasked: '139****5678',
          homeStoreId: storeA.id,
          balance: 80,
        });
      },
    );

    it("still serves the household at the other store's till", async () => {
      const clerkB = await t.given.signedIn('clerk', storeB.id);
      const allowance = await get(`/households/card/${household.cardNo}/allowance`, clerkB);
      expect(allowance.status).toBe(200);
      expect(allowance.body.household).toMatchObject({ id: household.id, name: '王**' });
    });
  });

  describe('the lookup limit', () => {
    it('refuses the lookup after the limit with 429 RATE_LIMITED, other users unaffected', async () => {
      const clerk = await t.given.signedIn('clerk', storeA.id);
      const colleague = await t.given.signedIn('clerk', storeA.id);
      await useUp(clerk);

      for (let n = 0; n < 4; n++) {
        const refused = await lookup(n, clerk);
        expectError(refused, 429, 'RATE_LIMITED');
        expect(refused.body.message).toMatch(/^查询困难户过于频繁，请 \d+ 秒后再试$/);
        expect(refused.body.details.retryAfterSeconds).toBeGreaterThan(0);
        expect(refused.body.details.retryAfterSeconds).toBeLessThanOrEqual(60);
        expect(refused.headers['retry-after']).toBe(String(refused.body.details.retryAfterSeconds));
      }
      // a colleague at the same store, and the same clerk's other work, go on
      await get(`/households/card/${household.cardNo}`, colleague).expect(200);
      await get('/stores', clerk).expect(200);
    });

    it('does not count the quote and checkout the till sends while ringing up goods', async () => {
      const clerk = await t.given.signedIn('clerk', storeA.id);
      const product = await t.given.product({ pointPrice: 10 });
      await t.given.lot(storeA.id, product.id, 10);
      await useUp(clerk);
      const cart = {
        storeId: storeA.id,
        cardNo: household.cardNo,
        lines: [{ productId: product.id, quantity: 1 }],
      };
      for (let n = 0; n < 5; n++) {
        await t.http
          .post('/api/v1/redemptions/quote')
          .set('Authorization', clerk.auth)
          .send(cart)
          .expect(200);
      }
      await t.http
        .post('/api/v1/redemptions')
        .set('Authorization', clerk.auth)
        .set('Idempotency-Key', randomUUID())
        .send(cart)
        .expect(201);
    });

    it('shares the count between api replicas (it lives in Redis)', async () => {
      const clerk = await t.given.signedIn('clerk', storeA.id);
      const replica = await createTestApp();
      try {
        await useUp(clerk);
        expectError(await lookup(0, clerk, replica), 429, 'RATE_LIMITED');
      } finally {
        await replica.close();
      }
    });

    it('lets lookups through uncounted, with a warning, while Redis is unreachable', async () => {
      const proxy = await TcpProxy.start(t.config.redis);
      const url = new URL(t.config.redis.url);
      url.hostname = '127.0.0.1';
      url.port = String(proxy.port);
      process.env.REDIS_URL = url.toString();
      const cut = await createTestApp().finally(() => delete process.env.REDIS_URL);
      const warn = jest.spyOn(Logger.prototype, 'warn');
      try {
        const clerk = await t.given.signedIn('clerk', storeA.id);
        proxy.cut();
        for (let n = 0; n <= t.config.lookupRateLimit; n++) {
          const response = await lookup(n, clerk, cut);
          expect({ n, status: response.status }).toEqual({ n, status: 200 });
        }
        expect(warn).toHaveBeenCalledWith(
          expect.stringContaining('Redis does not answer the rate limiters'),
        );
      } finally {
        warn.mockRestore();
        proxy.restore();
        await cut.close();
        await proxy.close();
      }
    });
  });
});
