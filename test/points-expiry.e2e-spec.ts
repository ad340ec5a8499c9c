import { SYSTEM_ACTOR } from '@charity/common';
import {
  addDays,
  addMonths,
  findPointsLedgerMismatches,
  PointsLedger,
  type GrantDraw,
} from '@charity/households';
import type { Store } from '@charity/organisation';
import { POINTS_JOBS, QUEUES, type PointsExpiryJob, type PointsExpiryResult } from '@charity/queue';
import { getQueueToken } from '@nestjs/bull';
import { Test, type TestingModule } from '@nestjs/testing';
import type { Job, Queue } from 'bull';
import { WorkerModule } from '../apps/worker/src/worker.module';
import { expectError } from './support/errors';
import type { SignedIn } from './support/given';
import { createTestApp, type TestApp } from './support/test-app';
import { jobResult } from './support/job-result';

const DAY = 86_400_000;

interface StatementBody {
  balance: number;
  spendable: number;
  expiringSoon: {
    points: number;
    withinDays: number;
    grants: { expiresOn: string; points: number }[];
  };
}

describe('points expiry', () => {
  let t: TestApp;
  let worker: TestingModule;
  let ledger: PointsLedger;
  let pointsQueue: Queue<PointsExpiryJob>;
  let admin: SignedIn;
  let store: Store;
  let today: string;

  const get = (path: string) => t.http.get(`/api/v1${path}`).set('Authorization', admin.auth);
  const post = (path: string, body: object) =>
    t.http.post(`/api/v1${path}`).set('Authorization', admin.auth).send(body);
  const setExpiryMonths = async (expiryMonths: number) => {
    const response = await t.http
      .put('/api/v1/points/policy')
      .set('Authorization', admin.auth)
      .send({ expiryMonths });
    expect(response.status).toBe(200);
  };

  /** Points granted `daysAgo` days back, as the ledger would have booked them then. */
  const grantedDaysAgo = (householdId: number, points: number, daysAgo: number) =>
    t.dataSource.transaction(async (em): Promise<GrantDraw> => {
      const household = await ledger.lockHousehold(em, householdId);
      const posted = await ledger.post(em, SYSTEM_ACTOR, household, {
        kind: 'adjustment',
        points,
        storeId: store.id,
        reason: `补录 ${daysAgo} 天前的积分`,
        sourceType: 'manual',
        occurredAt: new Date(Date.now() - daysAgo * DAY),
      });
      return posted.draws[0];
    });

  const statement = async (householdId: number): Promise<StatementBody> => {
    const response = await get(`/households/${householdId}/points`);
    expect(response.status).toBe(200);
    return response.body as StatementBody;
  };

  /** grant id → remaining */
  const remaining = async (householdId: number): Promise<Record<number, number>> => {
    const rows = await t.dataSource.query<{ id: number; remaining: number }[]>(
      'SELECT id, remaining FROM points_grants WHERE household_id = ?',
      [householdId],
    );
    return Object.fromEntries(rows.map((row) => [Number(row.id), Number(row.remaining)]));
  };

  const allocationsOf = async (entryId: string) =>
    (
      await t.dataSource.query<{ grantId: number; points: number }[]>(
        'SELECT grant_id AS grantId, points FROM points_allocations WHERE entry_id = ? ORDER BY id',
        [entryId],
      )
    ).map((row) => ({ grantId: Number(row.grantId), points: Number(row.points) }));

  const entriesOf = async (householdId: number, kind: string) =>
    t.dataSource.query<{ id: string; points: number }[]>(
      'SELECT id, points FROM points_entries WHERE household_id = ? AND kind = ? ORDER BY id',
      [householdId, kind],
    );

  beforeAll(async () => {
    t = await createTestApp();
    ledger = t.app.get(PointsLedger);
    worker = await Test.createTestingModule({ imports: [WorkerModule] }).compile();
    await worker.init();
    pointsQueue = worker.get<Queue<PointsExpiryJob>>(getQueueToken(QUEUES.points));
  });

  beforeEach(async () => {
    await t.reset();
    store = await t.given.store();
    admin = await t.given.signedIn('county_admin');
    today = t.given.date(0);
  });

  afterEach(async () => {
    await setExpiryMonths(0);
    expect(await findPointsLedgerMismatches(t.dataSource.manager)).toEqual([]);
  });

  afterAll(async () => {
    await pointsQueue.clean(0, 'completed');
    await worker.close();
    await t.close();
  });

  it('spends the soonest-expiring grant first and expires exactly what is left of due grants', async () => {
    // 10 points from before there was an expiry policy: they never expire
    const household = await t.given.household({ homeStoreId: store.id, points: 10 });
    // 5 points granted today under a two-month policy: due beyond the 30 days the statement warns of
    await setExpiryMonths(2);
    const later = await grantedDaysAgo(household.id, 5, 0);
    await setExpiryMonths(1);
    const a = await grantedDaysAgo(household.id, 30, 20);
    const b = await grantedDaysAgo(household.id, 20, 10);
    const c = await grantedDaysAgo(household.id, 25, 5);
    expect([later.expiresOn, a.expiresOn, b.expiresOn, c.expiresOn]).toEqual([
      addMonths(today, 2),
      addMonths(addDays(today, -20), 1),
      addMonths(addDays(today, -10), 1),
      addMonths(addDays(today, -5), 1),
    ]);
    const [neverRow] = await t.dataSource.query<{ id: number }[]>(
      'SELECT id FROM points_grants WHERE household_id = ? AND expires_on IS NULL',
      [household.id],
    );
    const never = Number(neverRow?.id);

    expect(await statement(household.id)).toMatchObject({
      balance: 90,
      spendable: 90,
      expiringSoon: {
        points: 75,
        withinDays: 30,
        grants: [
          { expiresOn: a.expiresOn, points: 30 },
          { expiresOn: b.expiresOn, points: 20 },
          { expiresOn: c.expiresOn, points: 25 },
        ],
      },
    });

    // spending 40 empties A, the soonest to expire, then takes 10 from B
    const spent = await post(`/households/${household.id}/points`, {
      points: -40,
      reason: '兑换抵扣',
    });
    expect(spent.status).toBe(201);
    const spendId = spent.body.entry.id as string;
    expect(await allocationsOf(spendId)).toEqual([
      { grantId: a.grantId, points: -30 },
      { grantId: b.grantId, points: -10 },
    ]);

    // the night B falls due (A with it): only B's unspent 10 go; C, D and the old points stay
    const dueDay = b.expiresOn as string;
    expect(await ledger.expireDue(dueDay)).toEqual({ today: dueDay, households: 1, points: 10 });
    const [expiry] = await entriesOf(household.id, 'expiry');
    expect(expiry?.points).toBe(-10);
    expect(await allocationsOf(expiry?.id ?? '')).toEqual([{ grantId: b.grantId, points: -10 }]);
    expect(await remaining(household.id)).toEqual({
      [never]: 10,
      [later.grantId]: 5,
      [a.grantId]: 0,
      [b.grantId]: 0,
      [c.grantId]: 25,
    });
    expect((await statement(household.id)).balance).toBe(40);

    // a second run that night finds nothing left to expire
    expect(await ledger.expireDue(dueDay)).toEqual({ today: dueDay, households: 0, points: 0 });
    expect(await entriesOf(household.id, 'expiry')).toHaveLength(1);

    // reversing the spend puts the points back on the very grants it drew on …
    const reversal = await post(`/households/${household.id}/points/entries/${spendId}/reverse`, {
      reason: '兑换单录错，冲正',
    });
    expect(reversal.status).toBe(201);
    expect(await allocationsOf(reversal.body.entry.id as string)).toEqual([
      { grantId: a.grantId, points: 30 },
      { grantId: b.grantId, points: 10 },
    ]);
    expect(await statement(household.id)).toMatchObject({
      balance: 80,
      expiringSoon: {
        points: 65,
        grants: [
          { expiresOn: a.expiresOn, points: 30 },
          { expiresOn: b.expiresOn, points: 10 },
          { expiresOn: c.expiresOn, points: 25 },
        ],
      },
    });

    // … with their dates, so the next run on that day removes them
    expect(await ledger.expireDue(dueDay)).toEqual({ today: dueDay, households: 1, points: 40 });
    expect(await remaining(household.id)).toEqual({
      [never]: 10,
      [later.grantId]: 5,
      [a.grantId]: 0,
      [b.grantId]: 0,
      [c.grantId]: 25,
    });
    expect((await statement(household.id)).balance).toBe(40);
  });

  it('lets no one spend points past their date, and the nightly job removes them', async () => {
    await setExpiryMonths(1);
    const lapsed = await t.given.household({ homeStoreId: store.id });
    const old = await grantedDaysAgo(lapsed.id, 40, 45);
    const recent = await grantedDaysAgo(lapsed.id, 15, 3);
    const untouched = await t.given.household({ homeStoreId: store.id });
    await grantedDaysAgo(untouched.id, 12, 2);
    expect((old.expiresOn ?? '') <= today).toBe(true);

    // the old grant still counts in the balance until the job runs, but cannot be spent
    expect(await statement(lapsed.id)).toMatchObject({
      balance: 55,
      spendable: 15,
      expiringSoon: { points: 15, grants: [{ expiresOn: recent.expiresOn, points: 15 }] },
    });
    expectError(
      await post(`/households/${lapsed.id}/points`, { points: -16, reason: '兑换抵扣' }),
      409,
      'INSUFFICIENT_POINTS',
    );

    const runJob = async (): Promise<PointsExpiryResult> => {
      const job: Job<PointsExpiryJob> = await pointsQueue.add(POINTS_JOBS.expiry, {});
      return jobResult<PointsExpiryResult>(pointsQueue, job.id);
    };
    expect(await runJob()).toEqual({ today, households: 1, points: 40 });
    expect(await runJob()).toEqual({ today, households: 0, points: 0 });

    expect(await statement(lapsed.id)).toMatchObject({ balance: 15, spendable: 15 });
    expect(await statement(untouched.id)).toMatchObject({ balance: 12, spendable: 12 });
    const [expiry] = await entriesOf(lapsed.id, 'expiry');
    expect(await allocationsOf(expiry?.id ?? '')).toEqual([{ grantId: old.grantId, points: -40 }]);
  });
});
