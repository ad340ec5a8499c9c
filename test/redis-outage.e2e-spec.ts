import { loadConfig } from '@charity/config';
import type { Store } from '@charity/organisation';
import { randomUUID } from 'node:crypto';
import type { Response } from 'supertest';
import { expectError } from './support/errors';
import { eventually } from './support/eventually';
import { FaultProxy } from './support/fault-proxy';
import type { SignedIn } from './support/given';
import { getBytes, pdfOf, pdfText } from './support/pdf';
import { createTestApp, type TestApp } from './support/test-app';

// The api talks to the real Redis through a proxy this file kills; Redis itself, which other
// tests share, is untouched. Everyone signs in first: login counts attempts in Redis.

/** Sends the request and notes how long the answer took (printed, never asserted). */
async function timed(label: string, request: PromiseLike<Response>): Promise<Response> {
  const started = Date.now();
  const response = await request;
  console.log(`${label}: ${response.status} after ${Date.now() - started} ms`);
  return response;
}

describe('Redis outages', () => {
  let proxy: FaultProxy;
  let t: TestApp;
  let store: Store;
  let clerk: SignedIn;
  let manager: SignedIn;
  let admin: SignedIn;

  const post = (path: string, body: object, as: SignedIn, key?: string) => {
    const request = t.http.post(`/api/v1${path}`).set('Authorization', as.auth);
    return (key ? request.set('Idempotency-Key', key) : request).send(body);
  };
  const checkout = (cardNo: string, productId: number) =>
    post(
      '/redemptions',
      { storeId: store.id, cardNo, lines: [{ productId, quantity: 2 }] },
      clerk,
      randomUUID(),
    );
  const countExports = async () =>
    Number(
      (await t.dataSource.query<{ n: string }[]>('SELECT COUNT(*) AS n FROM report_exports'))[0]?.n,
    );

  beforeAll(async () => {
    const { redis } = loadConfig(process.env);
    proxy = await FaultProxy.start({ host: redis.host, port: redis.port });
    t = await createTestApp({ REDIS_URL: proxy.route(redis.url) });
    store = await t.given.store();
    [clerk, manager, admin] = await Promise.all([
      t.given.signedIn('clerk', store.id),
      t.given.signedIn('store_manager', store.id),
      t.given.signedIn('county_admin'),
    ]);
  });

  afterEach(() => proxy.resume());

  afterAll(async () => {
    await t?.close();
    await proxy?.close();
  });

  it('keeps checking out with Redis cut: 201, and the receipt renders when downloaded', async () => {
    const household = await t.given.household({ homeStoreId: store.id, points: 50 });
    const product = await t.given.product({ pointPrice: 10 });
    await t.given.lot(store.id, product.id, 5);
    await proxy.kill();

    const sold = await timed('checkout (Redis cut)', checkout(household.cardNo, product.id));
    expect(sold.status).toBe(201);
    expect(sold.body).toMatchObject({ pointsTotal: 20, balanceAfter: 30 });
    // the render job never reached Redis: the download renders it
    const receipt = pdfOf(
      await getBytes(t.http, `/api/v1/redemptions/${sold.body.id}/receipt.pdf`, clerk.auth),
    );
    expect(pdfText(receipt)).toContain(sold.body.receiptNo);
  });

  it('answers the till while Redis is frozen: checkout, void and intake go through', async () => {
    const household = await t.given.household({ homeStoreId: store.id, points: 50 });
    const product = await t.given.product({ pointPrice: 10 });
    await t.given.lot(store.id, product.id, 5);
    const donor = await t.given.donor();
    proxy.freeze();

    const sold = await timed('checkout (Redis frozen)', checkout(household.cardNo, product.id));
    expect(sold.status).toBe(201);
    // a void queues a fresh render, and answers without it
    const voided = await timed(
      'void (Redis frozen)',
      post(`/redemptions/${sold.body.id}/void`, { reason: '顾客退回' }, manager),
    );
    expect(voided.status).toBe(200);
    expect(voided.body).toMatchObject({ status: 'voided' });
    const receipt = pdfOf(
      await getBytes(t.http, `/api/v1/redemptions/${sold.body.id}/receipt.pdf`, clerk.auth),
    );
    expect(pdfText(receipt)).toContain('作废');

    const taken = await timed(
      'donation intake (Redis frozen)',
      post(
        '/donations',
        { storeId: store.id, donorId: donor.id, lines: [{ productId: product.id, quantity: 4 }] },
        clerk,
        randomUUID(),
      ),
    );
    expect(taken.status).toBe(201);
    pdfOf(await getBytes(t.http, `/api/v1/donations/${taken.body.id}/receipt.pdf`, clerk.auth));
  });

  it.each([
    ['cut', () => proxy.kill()],
    ['frozen', () => Promise.resolve(proxy.freeze())],
  ])(
    'refuses what needs the queue with 503 naming it while Redis is %s, leaving nothing behind',
    async (state, breakRedis) => {
      const county = await t.given.region('county');
      const month = t.given.date(0).slice(0, 7);
      const body = { kind: 'monthly', month, regionId: county.id, format: 'pdf' };
      const exportsBefore = await countExports();
      await breakRedis();

      const exported = await timed(
        `report export (Redis ${state})`,
        post('/reports/exports', body, admin),
      );
      expectError(exported, 503, 'SERVICE_UNAVAILABLE');
      expect(exported.body.message).toContain('队列服务（Redis）暂时不可用');
      expect(exported.body.details).toEqual(expect.objectContaining({ service: 'redis' }));
      expect(await countExports()).toBe(exportsBefore);

      const allotment = await timed(
        `发放 run (Redis ${state})`,
        post('/allotments/run', { month }, admin),
      );
      expectError(allotment, 503, 'SERVICE_UNAVAILABLE');
      expect(allotment.body.details).toEqual(expect.objectContaining({ service: 'redis' }));

      // Redis back: the queue takes exports again once its connection is (within ~2 s)
      await proxy.resume();
      const again = await eventually(async () => {
        const response = await post('/reports/exports', body, admin);
        return response.status === 503 ? undefined : response;
      });
      expect(again.status).toBe(202);
      expect(await countExports()).toBe(exportsBefore + 1);
    },
  );
});
