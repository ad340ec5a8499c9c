import { findPointsLedgerMismatches } from '@charity/households';
import type { Store } from '@charity/organisation';
import { expectError } from './support/errors';
import type { SignedIn } from './support/given';
import { createTestApp, type TestApp } from './support/test-app';

interface EntryBody {
  id: string;
  kind: string;
  points: number;
  balanceAfter: number;
  storeId: number;
  actorId: number | null;
  businessDate: string;
  reason: string;
  source: { type: string; id: string | null };
  period: string | null;
  reversesEntryId: string | null;
  reversedByEntryId: string | null;
}

describe('points', () => {
  let t: TestApp;
  let admin: SignedIn;
  let store: Store;
  let manager: SignedIn;
  let clerk: SignedIn;
  let auditor: SignedIn;

  const get = (path: string, as: SignedIn = admin) =>
    t.http.get(`/api/v1${path}`).set('Authorization', as.auth);
  const post = (path: string, body: object, as: SignedIn = admin) =>
    t.http.post(`/api/v1${path}`).set('Authorization', as.auth).send(body);
  const balanceOf = async (householdId: number): Promise<number> =>
    (await get(`/households/${householdId}/points`)).body.balance;
  const ledgerSum = async (householdId: number): Promise<number> => {
    const [row] = await t.dataSource.query<{ total: string | null }[]>(
      'SELECT SUM(points) AS total FROM points_entries WHERE household_id = ?',
      [householdId],
    );
    return Number(row?.total ?? 0);
  };

  beforeAll(async () => {
    t = await createTestApp();
    store = await t.given.store();
    [admin, manager, clerk, auditor] = await Promise.all([
      t.given.signedIn('county_admin'),
      t.given.signedIn('store_manager', store.id),
      t.given.signedIn('clerk', store.id),
      t.given.signedIn('auditor'),
    ]);
  });
  afterAll(() => t.close());

  describe('rule catalogue', () => {
    it('is kept by the county admin and read by everyone', async () => {
      const created = await post('/point-rules', {
        code: 'tidy_yard_x',
        name: '庭院整洁X',
        points: 5,
        monthlyCap: 1,
      });
      expect(created.status).toBe(201);
      expect(created.body).toEqual(
        expect.objectContaining({ code: 'TIDY_YARD_X', points: 5, monthlyCap: 1, active: true }),
      );
      const listed = (await get('/point-rules', clerk)).body as { code: string }[];
      expect(listed.map((r) => r.code)).toContain('TIDY_YARD_X');

      expectError(
        await post('/point-rules', { code: 'TIDY_YARD_X', name: '另一个', points: 1 }),
        409,
        'DUPLICATE',
      );
      expectError(
        await post('/point-rules', { code: 'ZERO', name: '零分', points: 0 }),
        400,
        'VALIDATION_FAILED',
      );
      expectError(
        await post('/point-rules', { code: 'M1', name: '店长规则', points: 1 }, manager),
        403,
        'FORBIDDEN',
      );
      const off = await t.http
        .patch(`/api/v1/point-rules/${created.body.id}`)
        .set('Authorization', admin.auth)
        .send({ active: false, monthlyCap: null });
      expect(off.body).toEqual(expect.objectContaining({ active: false, monthlyCap: null }));
      const active = (await get('/point-rules?active=true')).body as { code: string }[];
      expect(active.map((r) => r.code)).not.toContain('TIDY_YARD_X');
    });

    it('takes codes of 2–20 capital letters, digits and _ and says so in Chinese otherwise', async () => {
      const longest = 'A'.repeat(19) + '1';
      expect(
        (await post('/point-rules', { code: longest, name: '最长代码', points: 1 })).status,
      ).toBe(201);
      for (const code of ['庭院整洁', 'TIDY-YARD', 'X', `${longest}2`, 'TIDY YARD']) {
        const refused = await post('/point-rules', { code, name: `代码 ${code}`, points: 1 });
        expectError(refused, 400, 'VALIDATION_FAILED');
        expect(refused.body.message).toBe(
          '请求参数有误：code 规则代码只能用大写字母、数字和下划线，2–20 个字符',
        );
      }
      const renamed = await t.http
        .patch(`/api/v1/point-rules/${(await get('/point-rules')).body[0].id}`)
        .set('Authorization', admin.auth)
        .send({ code: 'bad-code' });
      expectError(renamed, 400, 'VALIDATION_FAILED');
      expect(renamed.body.message).toContain('规则代码只能用大写字母、数字和下划线，2–20 个字符');
    });
  });

  describe('awards', () => {
    it('books a rule award with who, where, when and why', async () => {
      const household = await t.given.household({ homeStoreId: store.id });
      const rule = await t.given.pointRule({ name: '公益劳动测试', points: 10 });
      const response = await post(
        `/households/${household.id}/points`,
        { ruleCode: rule.code.toLowerCase(), reason: '修村道' },
        manager,
      );
      expect(response.status).toBe(201);
      expect(response.body.balance).toBe(10);
      const entry = response.body.entry as EntryBody;
      expect(entry).toEqual(
        expect.objectContaining({
          kind: 'award',
          points: 10,
          balanceAfter: 10,
          storeId: store.id,
          actorId: manager.user.id,
          reason: '公益劳动测试：修村道',
          source: { type: 'rule', id: rule.code },
          reversesEntryId: null,
        }),
      );
      expect(entry.period).toMatch(/^\d{4}-\d{2}$/);
      expect(entry.businessDate).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    });

    it('honours the monthly cap, per evaluation month, not counting reversed awards', async () => {
      const household = await t.given.household({ homeStoreId: store.id });
      const rule = await t.given.pointRule({ points: 5, monthlyCap: 2 });
      const award = (period: string) =>
        post(`/households/${household.id}/points`, { ruleCode: rule.code, period });
      expect((await award('2026-10')).status).toBe(201);
      const second = await award('2026-10');
      expect(second.status).toBe(201);
      const third = await award('2026-10');
      expectError(third, 409, 'AWARD_CAP_REACHED');
      expect(third.body.details).toEqual(
        expect.objectContaining({ ruleCode: rule.code, month: '2026-10', used: 2, allowed: 2 }),
      );
      expect((await award('2026-11')).status).toBe(201);

      // a reversed award frees its place under the cap
      await post(`/households/${household.id}/points/entries/${second.body.entry.id}/reverse`, {
        reason: '录入重复',
      });
      expect((await award('2026-10')).status).toBe(201);
      expect(await balanceOf(household.id)).toBe(15);
    });

    it('holds the cap when the same award is sent many times at once', async () => {
      const household = await t.given.household({ homeStoreId: store.id });
      const rule = await t.given.pointRule({ points: 3, monthlyCap: 2 });
      const responses = await Promise.all(
        Array.from({ length: 8 }, () =>
          post(`/households/${household.id}/points`, { ruleCode: rule.code, period: '2026-11' }),
        ),
      );
      const statuses = responses.map((r) => r.status).sort();
      expect(statuses).toEqual([201, 201, 409, 409, 409, 409, 409, 409]);
      expect(await balanceOf(household.id)).toBe(6);
    });

    it('takes points away by a negative rule, but never below zero', async () => {
      const household = await t.given.household({ homeStoreId: store.id, points: 3 });
      const penalty = await t.given.pointRule({ name: '违规测试', points: -5 });
      const refused = await post(`/households/${household.id}/points`, {
        ruleCode: penalty.code,
      });
      expectError(refused, 409, 'INSUFFICIENT_POINTS');
      expect(refused.body.details).toEqual(
        expect.objectContaining({ householdId: household.id, balance: 3, needed: 5 }),
      );
      await post(`/households/${household.id}/points`, { points: 7, reason: '补录' });
      const taken = await post(`/households/${household.id}/points`, { ruleCode: penalty.code });
      expect(taken.body.balance).toBe(5);
    });

    it('refuses unknown and inactive rules, and roles that may not award', async () => {
      const household = await t.given.household({ homeStoreId: store.id });
      expectError(
        await post(`/households/${household.id}/points`, { ruleCode: 'NO_SUCH_RULE' }),
        404,
        'NOT_FOUND',
      );
      const retired = await t.given.pointRule({ active: false });
      expectError(
        await post(`/households/${household.id}/points`, { ruleCode: retired.code }),
        409,
        'RULE_INACTIVE',
      );
      const rule = await t.given.pointRule();
      for (const who of [clerk, auditor]) {
        expectError(
          await post(`/households/${household.id}/points`, { ruleCode: rule.code }, who),
          403,
          'FORBIDDEN',
        );
      }
      const elsewhere = await t.given.household();
      expectError(
        await post(`/households/${elsewhere.id}/points`, { ruleCode: rule.code }, manager),
        403,
        'FORBIDDEN',
      );
      expectError(
        await post('/households/999999/points', { ruleCode: rule.code }),
        404,
        'NOT_FOUND',
      );
    });
  });

  describe('adjustments', () => {
    it('need a signed amount and a reason', async () => {
      const household = await t.given.household({ homeStoreId: store.id });
      const bad: object[] = [
        { points: 5 },
        { points: 5, reason: '  ' },
        { points: 0, reason: '零' },
        { points: 2.5, reason: '小数' },
        { points: '5', reason: '字符串' },
        {},
      ];
      for (const body of bad) {
        expectError(
          await post(`/households/${household.id}/points`, body),
          400,
          'VALIDATION_FAILED',
        );
      }
      const added = await post(
        `/households/${household.id}/points`,
        { points: 20, reason: '上月漏发' },
        manager,
      );
      expect(added.body.entry).toEqual(
        expect.objectContaining({ kind: 'adjustment', points: 20, reason: '上月漏发' }),
      );
      const removed = await post(`/households/${household.id}/points`, {
        points: -25,
        reason: '多发收回',
      });
      expectError(removed, 409, 'INSUFFICIENT_POINTS');
      expect(await balanceOf(household.id)).toBe(20);
    });

    it('never take a balance below zero, however many arrive at once', async () => {
      const household = await t.given.household({ homeStoreId: store.id, points: 50 });
      const responses = await Promise.all(
        Array.from({ length: 20 }, () =>
          post(`/households/${household.id}/points`, { points: -5, reason: '并发扣减' }),
        ),
      );
      const statuses = responses.map((r) => r.status);
      expect(statuses.filter((s) => s === 201)).toHaveLength(10);
      expect(statuses.filter((s) => s === 409)).toHaveLength(10);
      for (const refused of responses.filter((r) => r.status === 409)) {
        expect(refused.body.code).toBe('INSUFFICIENT_POINTS');
      }
      expect(await balanceOf(household.id)).toBe(0);
      expect(await ledgerSum(household.id)).toBe(0);
      // every entry's balanceAfter is the running sum, in order
      const entries = (await get(`/households/${household.id}/points?pageSize=200`)).body.entries
        .items as EntryBody[];
      let running = 0;
      for (const entry of [...entries].reverse()) {
        running += entry.points;
        expect(entry.balanceAfter).toBe(running);
      }
    });
  });

  describe('reversals', () => {
    it('undo an entry once, naming it, and cannot themselves be undone', async () => {
      const household = await t.given.household({ homeStoreId: store.id });
      const added = await post(`/households/${household.id}/points`, {
        points: 30,
        reason: '录错',
      });
      const entryId = added.body.entry.id as string;
      const reversal = await post(`/households/${household.id}/points/entries/${entryId}/reverse`, {
        reason: '金额录错',
      });
      expect(reversal.status).toBe(201);
      expect(reversal.body.entry).toEqual(
        expect.objectContaining({
          kind: 'reversal',
          points: -30,
          reversesEntryId: entryId,
          reason: '金额录错',
        }),
      );
      expect(reversal.body.balance).toBe(0);

      const again = await post(`/households/${household.id}/points/entries/${entryId}/reverse`, {
        reason: '再来一次',
      });
      expectError(again, 409, 'ENTRY_ALREADY_REVERSED');
      expect(again.body.details.reversalId).toBe(reversal.body.entry.id);
      expectError(
        await post(`/households/${household.id}/points/entries/${reversal.body.entry.id}/reverse`, {
          reason: '冲正的冲正',
        }),
        409,
        'ENTRY_NOT_REVERSIBLE',
      );
      const statement = (await get(`/households/${household.id}/points`)).body;
      const original = (statement.entries.items as EntryBody[]).find((e) => e.id === entryId);
      expect(original?.reversedByEntryId).toBe(reversal.body.entry.id);
    });

    it('cannot take back an award the household has already spent', async () => {
      const household = await t.given.household({ homeStoreId: store.id });
      const added = await post(`/households/${household.id}/points`, { points: 10, reason: 'a' });
      await post(`/households/${household.id}/points`, { points: -8, reason: '已使用' });
      const refused = await post(
        `/households/${household.id}/points/entries/${added.body.entry.id}/reverse`,
        { reason: '撤销' },
      );
      expectError(refused, 409, 'INSUFFICIENT_POINTS');
      expect(await balanceOf(household.id)).toBe(2);
    });

    it('only once when two reversals of one entry race', async () => {
      const household = await t.given.household({ homeStoreId: store.id, points: 40 });
      const added = await post(`/households/${household.id}/points`, { points: 10, reason: 'x' });
      const responses = await Promise.all(
        Array.from({ length: 4 }, () =>
          post(`/households/${household.id}/points/entries/${added.body.entry.id}/reverse`, {
            reason: '并发冲正',
          }),
        ),
      );
      expect(responses.map((r) => r.status).sort()).toEqual([201, 409, 409, 409]);
      expect(await balanceOf(household.id)).toBe(40);
    });

    it('refuses unknown entries and entries of another household', async () => {
      const a = await t.given.household({ homeStoreId: store.id, points: 5 });
      const b = await t.given.household({ homeStoreId: store.id });
      const entry = (await get(`/households/${a.id}/points`)).body.entries.items[0] as EntryBody;
      expectError(
        await post(`/households/${b.id}/points/entries/${entry.id}/reverse`, { reason: 'x' }),
        404,
        'NOT_FOUND',
      );
      expectError(
        await post(`/households/${a.id}/points/entries/abc/reverse`, { reason: 'x' }),
        400,
        'VALIDATION_FAILED',
      );
      expectError(
        await post(`/households/${a.id}/points/entries/${entry.id}/reverse`, {}),
        400,
        'VALIDATION_FAILED',
      );
    });
  });

  describe('statement', () => {
    it('shows the balance as the sum of the ledger, newest entries first, paged', async () => {
      const household = await t.given.household({ homeStoreId: store.id });
      for (const points of [5, 10, -3, 8]) {
        await post(`/households/${household.id}/points`, { points, reason: `第${points}笔` });
      }
      const first = (await get(`/households/${household.id}/points?page=1&pageSize=3`, clerk)).body;
      expect(first).toEqual(
        expect.objectContaining({
          householdId: household.id,
          cardNo: household.cardNo,
          balance: 20,
          spendable: 20,
          expiringSoon: { points: 0, withinDays: 30, grants: [] },
        }),
      );
      expect(first.entries).toEqual(expect.objectContaining({ total: 4, page: 1, pageSize: 3 }));
      expect((first.entries.items as EntryBody[]).map((e) => e.points)).toEqual([8, -3, 10]);
      const second = (await get(`/households/${household.id}/points?page=2&pageSize=3`)).body;
      expect((second.entries.items as EntryBody[]).map((e) => e.points)).toEqual([5]);
      expect(await ledgerSum(household.id)).toBe(first.balance);
      expectError(await get(`/households/${household.id}/points?page=0`), 400, 'VALIDATION_FAILED');
    });
  });

  describe('policy', () => {
    it('is set by the county admin', async () => {
      const initial = (await get('/points/policy', clerk)).body;
      expect(initial).toEqual(
        expect.objectContaining({
          expiryMonths: 0,
          exitedMaySpend: false,
          cardNameDisplay: 'masked',
        }),
      );
      const changed = await t.http
        .put('/api/v1/points/policy')
        .set('Authorization', admin.auth)
        .send({ expiryMonths: 12 });
      expect(changed.body).toEqual(expect.objectContaining({ expiryMonths: 12 }));
      expectError(
        await t.http
          .put('/api/v1/points/policy')
          .set('Authorization', manager.auth)
          .send({ expiryMonths: 1 }),
        403,
        'FORBIDDEN',
      );
      expectError(
        await t.http
          .put('/api/v1/points/policy')
          .set('Authorization', admin.auth)
          .send({ expiryMonths: -1 }),
        400,
        'VALIDATION_FAILED',
      );
      await t.http
        .put('/api/v1/points/policy')
        .set('Authorization', admin.auth)
        .send({ expiryMonths: 0 });
    });
  });

  it('leaves every cached balance equal to its ledger', async () => {
    expect(await findPointsLedgerMismatches(t.dataSource.manager)).toEqual([]);
  });
});
