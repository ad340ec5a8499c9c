import { AuditEntry } from '@charity/audit';
import { businessDate, businessMonth, SYSTEM_ACTOR } from '@charity/common';
import {
  AllotmentsService,
  findPointsLedgerMismatches,
  HouseholdsService,
  type HouseholdCategory,
} from '@charity/households';
import type { Region, Store } from '@charity/organisation';
import {
  POINTS_JOBS,
  QUEUES,
  SCHEDULES,
  type PointsAllotmentJob,
  type PointsAllotmentResult,
} from '@charity/queue';
import { getQueueToken } from '@nestjs/bull';
import { Logger } from '@nestjs/common';
import { Test, type TestingModule } from '@nestjs/testing';
import type { Job, Queue } from 'bull';
import { createHash } from 'node:crypto';
import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { allotmentMonthOf, PointsProcessor } from '../apps/worker/src/processors/points.processor';
import { WorkerModule } from '../apps/worker/src/worker.module';
import { expectError } from './support/errors';
import type { SignedIn } from './support/given';
import { createTestApp, type TestApp } from './support/test-app';
import { eventually } from './support/eventually';
import { jobResult } from './support/job-result';

const run = promisify(execFile);

describe('allotments (发放)', () => {
  let t: TestApp;
  let worker: TestingModule;
  let allotments: AllotmentsService;
  let pointsQueue: Queue<PointsAllotmentJob>;
  let admin: SignedIn;
  let store: Store;
  let otherStore: Store;
  let village: Region;
  let thisMonth: string;
  let lastMonth: string;
  let bulkSequence = 0;

  const get = (path: string, as: SignedIn = admin) =>
    t.http.get(`/api/v1${path}`).set('Authorization', as.auth);
  const put = (path: string, body: object, as: SignedIn = admin) =>
    t.http.put(`/api/v1${path}`).set('Authorization', as.auth).send(body);
  const post = (path: string, body: object, as: SignedIn = admin) =>
    t.http.post(`/api/v1${path}`).set('Authorization', as.auth).send(body);

  const setSchedule = async (
    category: HouseholdCategory,
    basePoints: number,
    perExtraMember: number,
    active = true,
  ): Promise<void> => {
    const response = await put(`/allotment-schedules/${category}`, {
      basePoints,
      perExtraMember,
      active,
    });
    expect(response.status).toBe(200);
  };

  const household = async (
    category: HouseholdCategory,
    memberCount: number,
    homeStoreId = store.id,
  ) => t.given.household({ category, memberCount, homeStoreId, regionId: village.id });

  /** Households inserted in one statement, for runs across several chunks. */
  const manyHouseholds = async (
    count: number,
    category: HouseholdCategory = 'wubao',
    memberCount = 1,
  ): Promise<number[]> => {
    const now = new Date();
    const rows = Array.from({ length: count }, () => {
      const n = ++bulkSequence;
      return [
        `B${String(n).padStart(11, '0')}`,
        `批量户${n}`,
        'not-a-real-cipher',
        createHash('sha256').update(`bulk-${n}`).digest('hex'),
        '410423********0000',
        '0000',
        category,
        memberCount,
        village.id,
        store.id,
        'active',
        0,
        now,
        now,
      ];
    });
    await t.dataSource.query(
      `INSERT INTO households (card_no, head_name, id_number_cipher, id_number_hash,
         id_number_masked, id_number_last4, category, member_count, region_id, home_store_id,
         status, balance, created_at, updated_at) VALUES ?`,
      [rows],
    );
    // read back by card number: only the first row's id is answered, and ids may come in steps
    const inserted = await t.dataSource.query<{ id: number }[]>(
      'SELECT id FROM households WHERE card_no IN (?) ORDER BY id',
      [rows.map(([cardNo]) => cardNo)],
    );
    return inserted.map((row) => Number(row.id));
  };

  /** household id → number of allotment entries it holds for `month`. */
  const allotmentCounts = async (month: string): Promise<Map<number, number>> => {
    const rows = await t.dataSource.query<{ householdId: number; entries: string }[]>(
      `SELECT household_id AS householdId, COUNT(*) AS entries FROM points_entries
        WHERE kind = 'allotment' AND allotment_month = ? GROUP BY household_id`,
      [month],
    );
    return new Map(rows.map((row) => [Number(row.householdId), Number(row.entries)]));
  };

  const balances = async (ids: number[]): Promise<number[]> => {
    const rows = await t.dataSource.query<{ id: number; balance: number }[]>(
      'SELECT id, balance FROM households WHERE id IN (?)',
      [ids],
    );
    const byId = new Map(rows.map((row) => [Number(row.id), Number(row.balance)]));
    return ids.map((id) => byId.get(id) ?? NaN);
  };

  const expectLedgerConsistent = async () =>
    expect(await findPointsLedgerMismatches(t.dataSource.manager)).toEqual([]);

  const finished = (queue: Queue, id: Job['id']): Promise<PointsAllotmentResult> =>
    jobResult<PointsAllotmentResult>(queue, id);

  beforeAll(async () => {
    t = await createTestApp();
    allotments = t.app.get(AllotmentsService);
    worker = await Test.createTestingModule({ imports: [WorkerModule] }).compile();
    await worker.init();
    pointsQueue = worker.get<Queue<PointsAllotmentJob>>(getQueueToken(QUEUES.points));
    thisMonth = businessMonth(new Date(), t.config.timeZone);
    lastMonth = businessMonth(
      new Date(Date.parse(`${thisMonth}-01T00:00:00Z`) - 86_400_000),
      t.config.timeZone,
    );
  });

  beforeEach(async () => {
    await t.reset();
    store = await t.given.store();
    otherStore = await t.given.store();
    village = await t.given.region('village');
    admin = await t.given.signedIn('county_admin');
  });

  afterEach(() => jest.restoreAllMocks());

  afterAll(async () => {
    // what a test queued must not run in a later suite sharing this queue prefix
    await pointsQueue.clean(0, 'completed');
    await pointsQueue.clean(0, 'failed');
    await worker.close();
    await t.close();
  });

  describe('schedules', () => {
    it('are set by the county admin, audited, and read by every role', async () => {
      const first = await put('/allotment-schedules/wubao', {
        basePoints: 30,
        perExtraMember: 0,
        active: true,
      });
      expect(first.status).toBe(200);
      expect(first.body).toEqual({
        category: 'wubao',
        categoryLabel: '五保',
        basePoints: 30,
        perExtraMember: 0,
        active: true,
        updatedBy: admin.user.id,
        updatedAt: expect.any(String),
      });
      await setSchedule('dibao', 20, 10);
      // a second PUT of a category replaces its schedule
      await setSchedule('wubao', 35, 5, false);

      const clerk = await t.given.signedIn('clerk', store.id);
      const listed = await get('/allotment-schedules', clerk);
      expect(listed.status).toBe(200);
      expect(
        (
          listed.body as {
            category: string;
            basePoints: number;
            perExtraMember: number;
            active: boolean;
          }[]
        ).map(({ category, basePoints, perExtraMember, active }) => ({
          category,
          basePoints,
          perExtraMember,
          active,
        })),
      ).toEqual([
        { category: 'wubao', basePoints: 35, perExtraMember: 5, active: false },
        { category: 'dibao', basePoints: 20, perExtraMember: 10, active: true },
      ]);

      const audit = await t.dataSource
        .getRepository(AuditEntry)
        .find({ where: { action: 'allotment.schedule' }, order: { id: 'ASC' } });
      expect(audit.map((entry) => [entry.actorId, entry.summary])).toEqual([
        [admin.user.id, '五保户发放标准：每户每月 30 分，每多一人加 0 分，启用（新设）'],
        [admin.user.id, '低保户发放标准：每户每月 20 分，每多一人加 10 分，启用（新设）'],
        [
          admin.user.id,
          '五保户发放标准：每户每月 35 分，每多一人加 5 分，停用（原为 每户每月 30 分，每多一人加 0 分，启用）',
        ],
      ]);
    });

    it('refuse other roles, unknown categories and bad amounts, changing nothing', async () => {
      const manager = await t.given.signedIn('store_manager', store.id);
      const valid = { basePoints: 30, perExtraMember: 0, active: true };
      expectError(await put('/allotment-schedules/wubao', valid, manager), 403, 'FORBIDDEN');
      expectError(await put('/allotment-schedules/rich', valid), 400, 'VALIDATION_FAILED');
      for (const body of [
        { ...valid, basePoints: 0 },
        { ...valid, basePoints: 1.5 },
        { ...valid, perExtraMember: -1 },
        { basePoints: 30, perExtraMember: 0 },
        { ...valid, active: 'yes' },
      ]) {
        const refused = await put('/allotment-schedules/dibao', body);
        expectError(refused, 400, 'VALIDATION_FAILED');
      }
      expect((await get('/allotment-schedules')).body).toEqual([]);
    });
  });

  describe('a run', () => {
    it("pays each active household its category's amount by size, and no one else", async () => {
      await setSchedule('wubao', 30, 0);
      await setSchedule('dibao', 20, 10);
      await setSchedule('tekun', 25, 5, false);
      const single = await household('wubao', 1);
      const wubaoThree = await household('wubao', 3);
      const dibaoOne = await household('dibao', 1);
      const dibaoFour = await household('dibao', 4, otherStore.id);
      const tekun = await household('tekun', 2);
      const other = await household('other', 2);
      const suspended = await household('dibao', 2);
      const exited = await household('wubao', 1);
      const households = t.app.get(HouseholdsService);
      await households.update(SYSTEM_ACTOR, suspended.id, {
        status: 'suspended',
        statusReason: '外出务工',
      });
      await households.update(SYSTEM_ACTOR, exited.id, {
        status: 'exited',
        statusReason: '已脱贫',
      });

      const result = await allotments.run(thisMonth);

      expect(result).toEqual({
        month: thisMonth,
        households: 4,
        points: 30 + 30 + 20 + 50,
        skipped: 0,
      });
      const everyone = [single, wubaoThree, dibaoOne, dibaoFour, tekun, other, suspended, exited];
      expect(await balances(everyone.map((h) => h.id))).toEqual([30, 30, 20, 50, 0, 0, 0, 0]);
      const [entry] = await t.dataSource.query<Record<string, unknown>[]>(
        `SELECT kind, points, store_id AS storeId, actor_id AS actorId, reason,
                source_type AS sourceType, allotment_month AS allotmentMonth,
                DATE_FORMAT(business_date, '%Y-%m-%d') AS businessDate
           FROM points_entries WHERE household_id = ?`,
        [dibaoFour.id],
      );
      const [year, month] = thisMonth.split('-');
      expect(entry).toEqual({
        kind: 'allotment',
        points: 50,
        storeId: otherStore.id,
        actorId: null,
        reason: `${year}年${Number(month)}月低保户积分发放`,
        sourceType: 'allotment',
        allotmentMonth: thisMonth,
        businessDate: businessDate(new Date(), t.config.timeZone),
      });
      const statement = await get(`/households/${single.id}/points`);
      expect(statement.body.entries.items[0]).toMatchObject({
        kind: 'allotment',
        points: 30,
        actorName: '系统',
        reason: `${year}年${Number(month)}月五保户积分发放`,
      });
      await expectLedgerConsistent();
    });

    it('pays nothing more when run again for the month, and pays the next month anew', async () => {
      await setSchedule('wubao', 30, 0);
      const ids = [(await household('wubao', 1)).id, (await household('wubao', 2)).id];

      expect(await allotments.run(lastMonth)).toEqual({
        month: lastMonth,
        households: 2,
        points: 60,
        skipped: 0,
      });
      expect(await allotments.run(lastMonth)).toEqual({
        month: lastMonth,
        households: 0,
        points: 0,
        skipped: 2,
      });
      expect(await balances(ids)).toEqual([30, 30]);
      expect(await allotments.run(thisMonth)).toMatchObject({ households: 2, skipped: 0 });
      expect(await balances(ids)).toEqual([60, 60]);
      await expectLedgerConsistent();
    });

    it('pays each household once when runs race, across many chunks', async () => {
      await setSchedule('dibao', 20, 10);
      const ids = await manyHouseholds(160, 'dibao', 2);

      const results = await Promise.all([
        allotments.run(thisMonth, { chunkSize: 50 }),
        allotments.run(thisMonth, { chunkSize: 50 }),
        allotments.run(thisMonth, { chunkSize: 35 }),
      ]);

      expect(results.reduce((sum, r) => sum + r.households, 0)).toBe(160);
      expect(results.reduce((sum, r) => sum + r.points, 0)).toBe(160 * 30);
      expect(results.reduce((sum, r) => sum + r.skipped, 0)).toBe(2 * 160);
      const counts = await allotmentCounts(thisMonth);
      expect(ids.filter((id) => counts.get(id) !== 1)).toEqual([]);
      expect(new Set(await balances(ids))).toEqual(new Set([30]));
      await expectLedgerConsistent();
    });

    it('pays the rest exactly once after a run stopped between chunks', async () => {
      await setSchedule('wubao', 30, 0);
      const ids = await manyHouseholds(120);

      const crashed = allotments.run(thisMonth, {
        chunkSize: 50,
        onChunk: () => {
          throw new Error('worker killed');
        },
      });
      await expect(crashed).rejects.toThrow('worker killed');
      // the first chunk committed before the crash; nothing after it
      expect((await allotmentCounts(thisMonth)).size).toBe(50);

      const resumed = await allotments.run(thisMonth);

      expect(resumed).toEqual({ month: thisMonth, households: 70, points: 2100, skipped: 50 });
      const counts = await allotmentCounts(thisMonth);
      expect(ids.filter((id) => counts.get(id) !== 1)).toEqual([]);
      await expectLedgerConsistent();
    });

    it('redoes a chunk when the unique index catches a payment the chunk could not see', async () => {
      await setSchedule('wubao', 30, 0);
      const [first, raced, last] = await manyHouseholds(3);
      // a writer that skips the household lock books the month's allotment but has not committed
      const intruder = t.dataSource.createQueryRunner();
      await intruder.connect();
      await intruder.startTransaction();
      const entry: { insertId: number } = await intruder.query(
        `INSERT INTO points_entries (household_id, kind, points, balance_after, store_id,
           occurred_at, business_date, reason, source_type, allotment_month)
         VALUES (?, 'allotment', 30, 30, ?, NOW(3), CURDATE(), '并发发放', 'allotment', ?)`,
        [raced, store.id, thisMonth],
      );
      const grant: { insertId: number } = await intruder.query(
        `INSERT INTO points_grants (household_id, entry_id, points, remaining, granted_on)
         VALUES (?, ?, 30, 30, CURDATE())`,
        [raced, entry.insertId],
      );
      await intruder.query(
        'INSERT INTO points_allocations (entry_id, grant_id, points) VALUES (?, ?, 30)',
        [entry.insertId, grant.insertId],
      );

      const redone = jest.spyOn(Logger.prototype, 'warn');
      const running = allotments.run(thisMonth);
      try {
        // once the run inserts entries it has looked for earlier payments and seen none …
        await eventually(async () => {
          const [row] = await t.dataSource.query<{ inserting: string }[]>(
            `SELECT COUNT(*) AS inserting FROM information_schema.processlist
              WHERE db = DATABASE() AND info LIKE 'INSERT INTO points_entries %'`,
          );
          return Number(row?.inserting) > 0 ? true : undefined;
        });
        // … so the intruder's commit can only be caught by the unique index
        await intruder.commitTransaction();
      } finally {
        if (intruder.isTransactionActive) await intruder.rollbackTransaction();
        await intruder.release();
      }
      const result = await running;

      expect(result).toEqual({ month: thisMonth, households: 2, points: 60, skipped: 1 });
      expect(redone).toHaveBeenCalledWith(expect.stringMatching(/rolled back .*Duplicate entry/));
      const counts = await allotmentCounts(thisMonth);
      expect([first, raced, last].map((id) => counts.get(id ?? 0))).toEqual([1, 1, 1]);
      // the intruder's balance move, so the caches agree again
      await t.dataSource.query('UPDATE households SET balance = balance + 30 WHERE id = ?', [
        raced,
      ]);
      await expectLedgerConsistent();
    });

    it('pays nothing when no schedule is active, and refuses a month still to come', async () => {
      await household('wubao', 1);
      expect(await allotments.run(thisMonth)).toEqual({
        month: thisMonth,
        households: 0,
        points: 0,
        skipped: 0,
      });
      await setSchedule('wubao', 30, 0);
      const next = businessMonth(
        new Date(Date.parse(`${thisMonth}-01T00:00:00Z`) + 40 * 86_400_000),
        t.config.timeZone,
      );
      await expect(allotments.run(next)).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
      await expect(allotments.run('2026-13')).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
      expect((await allotmentCounts(next)).size).toBe(0);
    });
  });

  describe('through the api and the worker', () => {
    it('queues one run per month however often the button is pressed, and reports what was paid', async () => {
      await setSchedule('wubao', 30, 0);
      await household('wubao', 1);
      await household('wubao', 2, otherStore.id);

      // the worker holds off until both presses are in: a run finished before the second press
      // would rightly be queued again, which is not the double click this test is about
      await pointsQueue.pause(true);
      const [first, second] = await Promise.all([
        post('/allotments/run', { month: lastMonth }),
        post('/allotments/run', { month: lastMonth }),
      ]).finally(() => pointsQueue.resume(true));
      const queued = (await get(`/allotments/${lastMonth}`)).body as { run: { state: string } };
      // waiting, or taken up by the worker already
      expect(['waiting', 'active', 'completed']).toContain(queued.run.state);
      expect(first.status).toBe(202);
      expect(second.status).toBe(202);
      expect(first.body).toEqual({
        jobId: `points-allotment:${lastMonth}`,
        month: lastMonth,
        state: expect.any(String),
      });
      expect(second.body.jobId).toBe(first.body.jobId);
      const result = await finished(pointsQueue, first.body.jobId as string);
      expect(result).toEqual({ month: lastMonth, households: 2, points: 60, skipped: 0 });
      const requested = await t.dataSource
        .getRepository(AuditEntry)
        .countBy({ action: 'points.allotment.request', actorId: admin.user.id });
      expect(requested).toBe(2);

      const summary = await get(`/allotments/${lastMonth}`);
      expect(summary.status).toBe(200);
      expect(summary.body).toEqual({
        month: lastMonth,
        storeId: null,
        households: 2,
        points: 60,
        reversed: { households: 0, points: 0 },
        byStore: [
          { storeId: store.id, storeName: store.name, households: 1, points: 30 },
          { storeId: otherStore.id, storeName: otherStore.name, households: 1, points: 30 },
        ],
        firstPaidAt: expect.any(String),
        lastPaidAt: expect.any(String),
        run: {
          jobId: `points-allotment:${lastMonth}`,
          state: 'completed',
          progress: expect.objectContaining({ households: 2, points: 60 }),
          result: { month: lastMonth, households: 2, points: 60, skipped: 0 },
          failedReason: null,
          failedAttempts: 0,
        },
      });
      // a store's clerk sees the store's own share only
      const clerk = await t.given.signedIn('clerk', store.id);
      expect((await get(`/allotments/${lastMonth}`, clerk)).body).toMatchObject({
        storeId: store.id,
        households: 1,
        points: 30,
        byStore: [{ storeId: store.id, households: 1, points: 30 }],
      });

      // asked again once done: a new run, which finds everyone paid
      const again = await post('/allotments/run', { month: lastMonth });
      expect(again.status).toBe(202);
      expect(await finished(pointsQueue, again.body.jobId as string)).toEqual({
        month: lastMonth,
        households: 0,
        points: 0,
        skipped: 2,
      });
      expect((await get(`/allotments/${lastMonth}`)).body).toMatchObject({
        households: 2,
        points: 60,
      });
      await expectLedgerConsistent();
    });

    it('counts reversed allotments in the summary', async () => {
      await setSchedule('wubao', 30, 0);
      const paid = await household('wubao', 1);
      await allotments.run(thisMonth);
      const [entry] = await t.dataSource.query<{ id: string }[]>(
        'SELECT id FROM points_entries WHERE household_id = ?',
        [paid.id],
      );
      const reversed = await post(`/households/${paid.id}/points/entries/${entry?.id}/reverse`, {
        reason: '重复建档，误发',
      });
      expect(reversed.status).toBe(201);

      expect((await get(`/allotments/${thisMonth}`)).body).toMatchObject({
        households: 1,
        points: 30,
        reversed: { households: 1, points: 30 },
      });
      // the month stays paid for that household: a reversal does not invite a second payment
      expect(await allotments.run(thisMonth)).toMatchObject({ households: 0, skipped: 1 });
    });

    it('refuses bad months and roles other than the county admin', async () => {
      const manager = await t.given.signedIn('store_manager', store.id);
      expectError(await post('/allotments/run', { month: thisMonth }, manager), 403, 'FORBIDDEN');
      expectError(await post('/allotments/run', { month: '2026-13' }), 400, 'VALIDATION_FAILED');
      expectError(await post('/allotments/run', {}), 400, 'VALIDATION_FAILED');
      const next = businessMonth(
        new Date(Date.parse(`${thisMonth}-01T00:00:00Z`) + 40 * 86_400_000),
        t.config.timeZone,
      );
      const early = await post('/allotments/run', { month: next });
      expectError(early, 400, 'VALIDATION_FAILED');
      expect(early.body.details.fields[0].field).toBe('month');
      expectError(await get('/allotments/2026-1'), 400, 'VALIDATION_FAILED');
      expect(await pointsQueue.getJob(`points-allotment:${next}`)).toBeNull();
    });

    it('pays once when the same job is queued twice or processed twice', async () => {
      await setSchedule('wubao', 30, 0);
      const ids = await manyHouseholds(5);

      const jobs = await Promise.all([
        pointsQueue.add(POINTS_JOBS.allotment, { month: lastMonth }),
        pointsQueue.add(POINTS_JOBS.allotment, { month: lastMonth }),
      ]);
      const results = await Promise.all(jobs.map((job) => finished(pointsQueue, job.id)));
      expect(results.map((r) => r.households).sort()).toEqual([0, 5]);
      expect(results.map((r) => r.skipped).sort()).toEqual([0, 5]);
      const progress = (await pointsQueue.getJob(jobs[0].id))?.progress() as unknown;
      expect(progress).toMatchObject({ month: lastMonth, lastHouseholdId: ids[4] });

      const processor = worker.get(PointsProcessor);
      const direct = {
        data: { month: lastMonth },
        progress: () => Promise.resolve(),
      } as unknown as Job<PointsAllotmentJob>;
      expect(await processor.allot(direct)).toMatchObject({ households: 0, skipped: 5 });
      expect(await processor.allot(direct)).toMatchObject({ households: 0, skipped: 5 });

      const counts = await allotmentCounts(lastMonth);
      expect(ids.map((id) => counts.get(id))).toEqual([1, 1, 1, 1, 1]);
      await expectLedgerConsistent();
    });

    it('pays the current month when the job names none', async () => {
      await setSchedule('wubao', 30, 0);
      await manyHouseholds(2);
      const job = await pointsQueue.add(POINTS_JOBS.allotment, {});
      expect(await finished(pointsQueue, job.id)).toEqual({
        month: businessMonth(new Date(), t.config.timeZone),
        households: 2,
        points: 60,
        skipped: 0,
      });
    });

    it('schedules 发放 for 00:30 on the 1st, and expiry and batch posting nightly, in the county zone', async () => {
      const repeatable = await pointsQueue.getRepeatableJobs();
      for (const [name, schedule] of [
        [POINTS_JOBS.allotment, SCHEDULES.pointsAllotment],
        [POINTS_JOBS.expiry, SCHEDULES.pointsExpiry],
        [POINTS_JOBS.postAwardBatches, SCHEDULES.postAwardBatches],
      ] as const) {
        expect(repeatable.filter((job) => job.name === name)).toEqual([
          expect.objectContaining({ cron: schedule.cron, tz: 'Asia/Shanghai' }),
        ]);
      }
      const monthly = repeatable.find((job) => job.name === POINTS_JOBS.allotment);
      const fires = new Date(Number(monthly?.next));
      // it fires on the 1st, local time, and the job it starts pays that month
      expect(businessDate(fires, 'Asia/Shanghai')).toMatch(/-01$/);
      expect(allotmentMonthOf({}, fires, 'Asia/Shanghai')).toBe(
        businessDate(fires, 'Asia/Shanghai').slice(0, 7),
      );
    });
  });

  describe('npm run check:ledgers', () => {
    const check = () =>
      run('npm', ['run', '--silent', 'check:ledgers'], {
        cwd: resolve(__dirname, '..'),
        env: { ...process.env, LOG_LEVEL: 'silent' },
      });

    it('passes on consistent points and fails naming a tampered household', async () => {
      await setSchedule('wubao', 30, 0);
      const paid = await household('wubao', 1);
      await allotments.run(thisMonth);

      const clean = await check();
      expect(clean.stdout).toMatch(/points: \d+ households checked, 0 mismatches/);

      await t.dataSource.query('UPDATE households SET balance = balance + 5 WHERE id = ?', [
        paid.id,
      ]);
      try {
        const failure = await check().then(
          () => ({ code: 0, stderr: '', stdout: '' }),
          (error: { code: number; stderr: string; stdout: string }) => error,
        );
        expect(failure.code).toBe(1);
        expect(failure.stderr).toContain(
          `households id=${paid.id}: cached balance 35 but entries sum to 30`,
        );
        expect(failure.stdout).toMatch(/points: \d+ households checked, 1 mismatch\b/);
      } finally {
        // suites after this one share the worker's database and check the ledgers too
        await t.dataSource.query('UPDATE households SET balance = balance - 5 WHERE id = ?', [
          paid.id,
        ]);
      }
      // two runs of the CLI, each starting ts-node: slow on a loaded machine
    }, 90_000);
  });
});
