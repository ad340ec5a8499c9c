import { AppConfig, loadConfig } from '@charity/config';
import { findPointsLedgerMismatches } from '@charity/households';
import { findStockLedgerMismatches } from '@charity/inventory';
import type { Store } from '@charity/organisation';
import type { ReportExportJob } from '@charity/queue';
import { Test } from '@nestjs/testing';
import type { Job } from 'bull';
import { createConnection, type Connection } from 'mysql2/promise';
import { randomUUID } from 'node:crypto';
import type { Response } from 'supertest';
import { ReportsProcessor } from '../apps/worker/src/processors/reports.processor';
import { WorkerModule } from '../apps/worker/src/worker.module';
import { eventually } from './support/eventually';
import { expectError } from './support/errors';
import { FaultProxy } from './support/fault-proxy';
import type { SignedIn } from './support/given';
import { createTestApp, type TestApp } from './support/test-app';

// The api talks to the real MariaDB through a proxy this file cuts (a killed server) or stops
// forwarding (a frozen one, as SIGSTOP); the server itself, which other tests share, is untouched.

/** A COM_QUERY packet carrying exactly `COMMIT` (length 7, sequence 0, command 0x03). */
const COMMIT_PACKET = Buffer.from([7, 0, 0, 0, 0x03, ...Buffer.from('COMMIT')]);
const isCommit = (chunk: Buffer) => chunk.includes(COMMIT_PACKET);

const UNAVAILABLE = '数据库暂时不可用，请稍后重试';

function expectUnavailable(response: Response): void {
  expectError(response, 503, 'SERVICE_UNAVAILABLE');
  expect(response.body.message).toBe(UNAVAILABLE);
  expect(response.body.details).toEqual(expect.objectContaining({ service: 'database' }));
}

/** Sends the request and notes how long the answer took (printed, never asserted). */
async function timed(label: string, request: PromiseLike<Response>): Promise<Response> {
  const started = Date.now();
  const response = await request;
  console.log(`${label}: ${response.status} after ${Date.now() - started} ms`);
  return response;
}

describe('database outages', () => {
  let proxy: FaultProxy;
  let t: TestApp;
  let direct: Connection;
  let store: Store;
  let clerk: SignedIn;
  let admin: SignedIn;

  // the production limits (the test environment raises the till's for the other suites)
  const tillLimitMs = loadConfig({}).databaseTimeouts.tillMs;

  const get = (path: string, as: SignedIn = clerk) =>
    t.http.get(`/api/v1${path}`).set('Authorization', as.auth);
  const quote = (body: object) =>
    t.http.post('/api/v1/redemptions/quote').set('Authorization', clerk.auth).send(body);
  const checkout = (body: object, key: string) =>
    t.http
      .post('/api/v1/redemptions')
      .set('Authorization', clerk.auth)
      .set('Idempotency-Key', key)
      .send(body);

  /** A household with 100 points and a cart of 3 units at 10 points from a lot of 20. */
  async function till() {
    const household = await t.given.household({ homeStoreId: store.id, points: 100 });
    const product = await t.given.product({ pointPrice: 10 });
    const lot = await t.given.lot(store.id, product.id, 20);
    const cart = {
      storeId: store.id,
      cardNo: household.cardNo,
      lines: [{ productId: product.id, quantity: 3 }],
    };
    return { household, lot, cart };
  }

  /** Rows read on the real server, not through the proxy. */
  async function rows<T>(sql: string, params: unknown[]): Promise<T[]> {
    const [result] = await direct.query(sql, params);
    return result as T[];
  }

  /** Balance, lot and the key's redemptions, read in one snapshot (a COMMIT may land meanwhile). */
  async function stateOf(householdId: number, lotId: number, key: string) {
    await direct.query('START TRANSACTION WITH CONSISTENT SNAPSHOT, READ ONLY');
    try {
      const [household] = await rows<{ balance: string }>(
        'SELECT balance FROM households WHERE id = ?',
        [householdId],
      );
      const [lot] = await rows<{ quantity: string }>(
        'SELECT quantity FROM stock_lots WHERE id = ?',
        [lotId],
      );
      const redemptions = await rows<{ receiptNo: string }>(
        'SELECT receipt_no AS receiptNo FROM redemptions WHERE idempotency_key = ?',
        [key],
      );
      return {
        balance: Number(household?.balance),
        lotQuantity: Number(lot?.quantity),
        redemptions,
      };
    } finally {
      await direct.query('COMMIT');
    }
  }

  /** Waits until no transaction holds the household's row (a cut connection's is rolled back). */
  async function unlocked(householdId: number): Promise<void> {
    await direct.beginTransaction();
    await direct.query('SELECT id FROM households WHERE id = ? FOR UPDATE', [householdId]);
    await direct.commit();
  }

  const expectLedgersExact = async () => {
    expect(await findPointsLedgerMismatches(t.dataSource.manager)).toEqual([]);
    expect(await findStockLedgerMismatches(t.dataSource.manager)).toEqual([]);
  };

  beforeAll(async () => {
    const { database } = loadConfig(process.env);
    proxy = await FaultProxy.start({ host: database.host, port: database.port });
    t = await createTestApp({
      DATABASE_URL: proxy.route(process.env.DATABASE_URL as string),
      DATABASE_TILL_TIMEOUT_MS: String(tillLimitMs),
    });
    direct = await createConnection({
      host: database.host,
      port: database.port,
      user: database.username,
      password: database.password,
      database: database.database,
    });
    // stateOf's snapshot
    await direct.query('SET SESSION TRANSACTION ISOLATION LEVEL REPEATABLE READ');
    store = await t.given.store();
    [clerk, admin] = await Promise.all([
      t.given.signedIn('clerk', store.id),
      t.given.signedIn('county_admin'),
    ]);
  });

  // a test that failed half-way must not leave the next one without a database
  afterEach(() => proxy.resume());

  afterAll(async () => {
    await t?.close();
    await proxy?.close();
    await direct?.end();
  });

  it('answers 503 with a message while the database is down, and serves again once it is back', async () => {
    const { household, lot, cart } = await till();
    const key = randomUUID();
    await proxy.kill();

    for (const response of [
      await get(`/households/card/${household.cardNo}`),
      await get(`/households/card/${household.cardNo}/allowance`),
      await quote(cart),
      await checkout(cart, key),
      await get('/redemptions'),
    ]) {
      expectUnavailable(response);
    }

    await proxy.resume();
    expect((await get(`/households/card/${household.cardNo}`)).status).toBe(200);
    const retried = await checkout(cart, key);
    expect(retried.status).toBe(201);
    expect(await stateOf(household.id, lot.id, key)).toEqual({
      balance: 70,
      lotQuantity: 17,
      redemptions: [expect.objectContaining({ receiptNo: retried.body.receiptNo })],
    });
    await expectLedgersExact();
  });

  it('gives every till route its 503 within the limit while the database is frozen, with the pool full', async () => {
    const { household, lot, cart } = await till();
    const key = randomUUID();
    proxy.freeze();

    // more requests than the pool has connections: those waiting for one are bounded too
    const lookups = Array.from({ length: 12 }, (_, i) =>
      timed(`card lookup ${i + 1}`, get(`/households/card/${household.cardNo}`)),
    );
    const [allowance, quoted, checkedOut, ...looked] = await Promise.all([
      timed('allowance', get(`/households/card/${household.cardNo}/allowance`)),
      timed('quote', quote(cart)),
      timed('checkout', checkout(cart, key)),
      ...lookups,
    ]);
    for (const response of [allowance, quoted, checkedOut, ...looked]) {
      expectUnavailable(response);
    }
    console.log(`till limit: DATABASE_TILL_TIMEOUT_MS = ${tillLimitMs}`);

    await proxy.resume();
    expect((await get(`/households/card/${household.cardNo}/allowance`)).status).toBe(200);
    expect((await quote(cart)).body.ok).toBe(true);
    // the frozen checkout never reached COMMIT: the same key does it now, once
    const retried = await checkout(cart, key);
    expect(retried.status).toBe(201);
    expect(await stateOf(household.id, lot.id, key)).toEqual({
      balance: 70,
      lotQuantity: 17,
      redemptions: [expect.objectContaining({ receiptNo: retried.body.receiptNo })],
    });
    await expectLedgersExact();
  }, 60_000);

  it('lets a report run past the till limit while the till hears 503 at once', async () => {
    const { household } = await till();
    proxy.freeze();
    const month = new Date().toISOString().slice(0, 7);
    const report = timed('monthly report', get(`/reports/monthly?month=${month}`, admin));
    expectUnavailable(await timed('card lookup', get(`/households/card/${household.cardNo}`)));
    // frozen for longer than the till's limit: the report is still waiting, within its own
    await new Promise((resolve) => setTimeout(resolve, 1000));
    await proxy.resume();
    expect((await report).status).toBe(200);
  }, 60_000);

  it('fails an export job after the report limit while the database is frozen, instead of holding it', async () => {
    const worker = await Test.createTestingModule({ imports: [WorkerModule] })
      .overrideProvider(AppConfig)
      .useValue(
        loadConfig({
          ...process.env,
          DATABASE_URL: proxy.route(process.env.DATABASE_URL as string),
          DATABASE_TILL_TIMEOUT_MS: '500',
          DATABASE_TIMEOUT_MS: '500',
          DATABASE_REPORT_TIMEOUT_MS: '1500',
        }),
      )
      .compile();
    await worker.init();
    try {
      proxy.freeze();
      const job = { data: { exportId: 1 }, progress: () => Promise.resolve() };
      const started = Date.now();
      await expect(
        worker.get(ReportsProcessor).export(job as unknown as Job<ReportExportJob>),
      ).rejects.toMatchObject({ code: 'DATABASE_TIMEOUT' });
      console.log(`export job frozen: failed after ${Date.now() - started} ms (limit 1500 ms)`);
      await proxy.resume();
    } finally {
      await worker.close();
    }
  });

  it('answers a checkout whose COMMIT reached the database after the till gave up with that result on retry', async () => {
    const { household, lot, cart } = await till();
    const key = randomUUID();
    proxy.freezeOn(isCommit);
    expectUnavailable(await timed('checkout frozen at COMMIT', checkout(cart, key)));

    // the COMMIT was on its way: delivered now, the transaction is applied whole
    await proxy.resume();
    const committed = await eventually(async () => {
      const state = await stateOf(household.id, lot.id, key);
      return state.redemptions.length > 0 ? state : undefined;
    });
    expect(committed).toEqual({ balance: 70, lotQuantity: 17, redemptions: [expect.anything()] });

    const retried = await checkout(cart, key);
    expect(retried.status).toBe(200);
    expect(retried.headers['idempotent-replayed']).toBe('true');
    expect(retried.body.receiptNo).toBe(committed.redemptions[0].receiptNo);
    expect(await stateOf(household.id, lot.id, key)).toEqual(committed);
    await expectLedgersExact();
  }, 60_000);

  it('leaves nothing of a checkout whose COMMIT never reached the database, and the retry does it once', async () => {
    const { household, lot, cart } = await till();
    const key = randomUUID();
    proxy.freezeOn(isCommit);
    expectUnavailable(await timed('checkout cut at COMMIT', checkout(cart, key)));

    // the server dies with the COMMIT still on the wire: it rolls the whole checkout back
    await proxy.kill();
    await proxy.resume();
    await unlocked(household.id);
    expect(await stateOf(household.id, lot.id, key)).toEqual({
      balance: 100,
      lotQuantity: 20,
      redemptions: [],
    });

    const retried = await checkout(cart, key);
    expect(retried.status).toBe(201);
    expect(await stateOf(household.id, lot.id, key)).toEqual({
      balance: 70,
      lotQuantity: 17,
      redemptions: [expect.objectContaining({ receiptNo: retried.body.receiptNo })],
    });
    await expectLedgersExact();
  }, 60_000);
});
