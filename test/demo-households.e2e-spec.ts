import { businessDate } from '@charity/common';
import {
  DEMO_ALLOTMENT_SCHEDULES,
  DEMO_POINT_RULES,
  DEMO_STAFF_PASSWORD,
  DEMO_VILLAGE_SIZES,
  demoHistoryMonths,
  demoHouseholds,
} from '@charity/demo';
import { allotmentPoints, findPointsLedgerMismatches } from '@charity/households';
import { findStockLedgerMismatches } from '@charity/inventory';
import { findReportTotalsMismatches, type MonthlyReport } from '@charity/reports';
import { createTestApp, type TestApp } from './support/test-app';

interface HouseholdRow {
  id: number;
  headName: string;
  category: string;
  memberCount: number;
  status: string;
  exitedOn: string | null;
  statusReason: string | null;
  idNumberMasked: string;
  balance: number;
  storeCode: string;
  village: string;
}

/**
 * The demo county's households and points, loaded once by the bootstrap on an emptied worker
 * database (the platform suite covers first start with migrations).
 */
describe('demo households and points', () => {
  const saved = process.env.DEMO_DATA;
  let t: TestApp;
  let households: HouseholdRow[];
  const demo = demoHouseholds();

  beforeAll(async () => {
    // the bootstrap loads the demo county only into an empty database
    const previous = await createTestApp();
    await previous.reset();
    await previous.close();
    process.env.DEMO_DATA = 'true';
    const started = Date.now();
    t = await createTestApp();
    process.stdout.write(`api boot with the demo county: ${Date.now() - started} ms\n`);
    households = (
      await t.dataSource.query<HouseholdRow[]>(
        `SELECT h.id, h.head_name AS headName, h.category, h.member_count AS memberCount, h.status,
                DATE_FORMAT(h.exited_on, '%Y-%m-%d') AS exitedOn, h.status_reason AS statusReason,
                h.id_number_masked AS idNumberMasked, h.balance, s.code AS storeCode,
                r.name AS village
           FROM households h JOIN stores s ON s.id = h.home_store_id
           JOIN regions r ON r.id = h.region_id
          ORDER BY h.id`,
      )
    ).map((row) => ({ ...row, balance: Number(row.balance) }));
  }, 120_000);

  afterAll(async () => {
    process.env.DEMO_DATA = saved;
    // leave the worker's database empty, as the suites that follow expect
    if (t) {
      await t.reset();
      await t.close();
    }
  });

  it('registers the 200 households, masked, in their villages and stores', () => {
    expect(households).toHaveLength(demo.length);
    expect(households.map((h) => h.headName)).toEqual(demo.map((d) => d.headName));
    for (const h of households) expect(h.idNumberMasked).toMatch(/^\d{6}\*{8}\d{3}[\dX]$/);
    const inStore = (code: string) => households.filter((h) => h.storeCode === code).length;
    expect(inStore('QS04')).toBe(DEMO_VILLAGE_SIZES.find(([key]) => key === 'wangzhuang')?.[1]);
    expect(households.filter((h) => h.storeCode === 'QS04').map((h) => h.village)).toEqual(
      Array.from({ length: inStore('QS04') }, () => '王庄村'),
    );
    const exited = households.filter((h) => h.status === 'exited');
    expect(exited).toHaveLength(2);
    for (const h of exited) {
      expect(h.exitedOn).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(h.statusReason).toBeTruthy();
    }
    expect(households.filter((h) => h.status === 'suspended').length).toBeGreaterThanOrEqual(3);
  });

  it('loads the rule catalogue and the allotment schedules', async () => {
    const auditor = await signIn('auditor');
    const rules = await t.http.get('/api/v1/point-rules').set('Authorization', auditor).expect(200);
    expect(rules.body).toHaveLength(DEMO_POINT_RULES.length);
    expect(rules.body).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ code: 'TIDY_YARD', name: '庭院整洁', points: 5, monthlyCap: 1 }),
        expect.objectContaining({ code: 'STRAW_BURNING', points: -5 }),
      ]),
    );
    const schedules = await t.dataSource.query<
      { category: string; basePoints: number; perExtraMember: number; active: number }[]
    >(
      `SELECT category, base_points AS basePoints, per_extra_member AS perExtraMember, active
         FROM allotment_schedules ORDER BY id`,
    );
    expect(schedules.map((s) => ({ ...s, active: Boolean(s.active) }))).toEqual(
      DEMO_ALLOTMENT_SCHEDULES,
    );
  });

  it('pays each of the last three months exactly once to every active household with a schedule', async () => {
    const months = demoHistoryMonths(businessDate(new Date(), t.config.timeZone));
    const paid = await t.dataSource.query<
      { householdId: number; month: string; points: number; businessDate: string; at: string }[]
    >(
      `SELECT household_id AS householdId, allotment_month AS month, points,
              DATE_FORMAT(business_date, '%Y-%m-%d') AS businessDate,
              DATE_FORMAT(occurred_at, '%Y-%m-%d %H:%i') AS at
         FROM points_entries WHERE kind = 'allotment' ORDER BY household_id, allotment_month`,
    );
    const expected = households.flatMap((h) => {
      const schedule = DEMO_ALLOTMENT_SCHEDULES.find((s) => s.category === h.category);
      if (h.status !== 'active' || !schedule?.active) return [];
      return months.map((month) => ({
        householdId: h.id,
        month,
        points: allotmentPoints(schedule, h.memberCount),
        businessDate: `${month}-01`,
        // 00:30 in Asia/Shanghai, stored in UTC
        at: `${businessDate(new Date(Date.parse(`${month}-01T00:00:00Z`) - 1), 'UTC')} 16:30`,
      }));
    });
    expect(expected.length).toBeGreaterThan(3 * 100);
    expect(paid).toEqual(expected);
  });

  it('awards a handful per household within the caps, by the home store, and the ledger adds up', async () => {
    const [{ awards }] = await t.dataSource.query<{ awards: string }[]>(
      "SELECT COUNT(*) AS awards FROM points_entries WHERE kind = 'award'",
    );
    const active = households.filter((h) => h.status === 'active').length;
    expect(Number(awards) / active).toBeGreaterThan(3);
    const overCap = await t.dataSource.query<unknown[]>(
      `SELECT e.household_id, e.rule_id, e.period, COUNT(*) AS used, r.monthly_cap
         FROM points_entries e JOIN point_rules r ON r.id = e.rule_id
        WHERE e.kind = 'award' AND r.monthly_cap IS NOT NULL
        GROUP BY e.household_id, e.rule_id, e.period, r.monthly_cap
       HAVING COUNT(*) > r.monthly_cap`,
    );
    expect(overCap).toEqual([]);
    const elsewhere = await t.dataSource.query<unknown[]>(
      `SELECT e.id FROM points_entries e JOIN households h ON h.id = e.household_id
        WHERE e.kind IN ('award', 'allotment')
          AND (e.store_id <> h.home_store_id OR h.status <> 'active')`,
    );
    expect(elsewhere).toEqual([]);
    expect(households.filter((h) => h.status !== 'active').map((h) => h.balance)).toEqual(
      households.filter((h) => h.status !== 'active').map(() => 0),
    );
    expect(households.filter((h) => h.balance > 0).length).toBeGreaterThan(active * 0.9);
    expect(await findPointsLedgerMismatches(t.dataSource.manager)).toEqual([]);
  });

  it('shows a village store manager only their households, with statements naming the judge', async () => {
    const manager = await signIn('qs04_manager');
    const list = await t.http
      .get('/api/v1/households?pageSize=100')
      .set('Authorization', manager)
      .expect(200);
    expect(list.body.total).toBe(households.filter((h) => h.storeCode === 'QS04').length);
    const awarded = households.find(
      (h) => h.storeCode === 'QS04' && h.status === 'active' && h.category !== 'other',
    );
    const statement = await t.http
      .get(`/api/v1/households/${awarded?.id}/points?pageSize=50`)
      .set('Authorization', manager)
      .expect(200);
    expect(statement.body.balance).toBe(awarded?.balance);
    const kinds = new Set(
      (statement.body.entries.items as { kind: string }[]).map((entry) => entry.kind),
    );
    expect(kinds).toContain('allotment');
    // awards by the manager, allotments by the system, checkouts by a clerk of 王庄村 or 柳河镇
    const actors: Record<string, string[]> = {
      award: ['周店长'],
      allotment: ['系统'],
      redemption: ['吴店员', '杨店员'],
    };
    for (const entry of statement.body.entries.items as { kind: string; actorName: string }[]) {
      expect(actors[entry.kind]).toContain(entry.actorName);
    }
  });

  it('rings up this month at the till: checkouts at several stores, deliveries and a void', async () => {
    const month = businessDate(new Date(), t.config.timeZone).slice(0, 7);
    const rows = await t.dataSource.query<
      { storeCode: string; householdId: number; status: string; fulfilment: string }[]
    >(
      `SELECT s.code AS storeCode, r.household_id AS householdId, r.status, r.fulfilment
         FROM redemptions r JOIN stores s ON s.id = r.store_id
        WHERE r.business_month = ? ORDER BY r.id`,
      [month],
    );
    expect(rows.length).toBeGreaterThanOrEqual(60);
    expect(rows.length).toBeLessThanOrEqual(90);
    expect(new Set(rows.map((r) => r.storeCode)).size).toBeGreaterThanOrEqual(2);
    const storesOf = new Map<number, Set<string>>();
    for (const r of rows) {
      storesOf.set(r.householdId, (storesOf.get(r.householdId) ?? new Set()).add(r.storeCode));
    }
    expect([...storesOf.values()].filter((codes) => codes.size > 1).length).toBeGreaterThan(1);
    const deliveries = rows.filter((r) => r.fulfilment === 'delivery').map((r) => r.status);
    expect(deliveries.sort()).toEqual([
      'awaiting_delivery',
      'cancelled',
      'delivered',
      'delivered',
      'delivered',
    ]);
    expect(rows.filter((r) => r.status === 'voided')).toHaveLength(1);
    // only active households spend, and none below zero
    const spenders = new Set(rows.map((r) => r.householdId));
    expect(households.filter((h) => spenders.has(h.id) && h.status !== 'active')).toEqual([]);
    expect(households.filter((h) => h.balance < 0)).toEqual([]);

    const clerk = await signIn('qs04_clerk');
    const till = await t.http
      .get(`/api/v1/redemptions?month=${month}&pageSize=5`)
      .set('Authorization', clerk)
      .expect(200);
    expect(till.body.total).toBe(rows.filter((r) => r.storeCode === 'QS04').length);
    expect(till.body.items[0]).toEqual(
      expect.objectContaining({
        receiptNo: expect.stringMatching(/QS04/),
        createdBy: expect.any(Number),
      }),
    );

    const admin = await signInAsFirstAdmin();
    const report = (
      await t.http
        .get(`/api/v1/reports/monthly?month=${month}`)
        .set('Authorization', admin)
        .expect(200)
    ).body as MonthlyReport;
    expect(report.aid.visits).toBeGreaterThan(0);
    expect(report.aid.households).toBeGreaterThan(0);
    expect(report.aid.households).toBeLessThanOrEqual(report.aid.visits);
    expect(report.aid.pointsRedeemed).toBeGreaterThan(0);
    expect(report.points.redeemed).toBe(report.aid.pointsRedeemed);

    expect(await findStockLedgerMismatches(t.dataSource.manager)).toEqual([]);
    expect(await findPointsLedgerMismatches(t.dataSource.manager)).toEqual([]);
    expect(await findReportTotalsMismatches(t.dataSource.manager)).toEqual([]);
  });

  async function signIn(username: string, password = DEMO_STAFF_PASSWORD): Promise<string> {
    const response = await t.http
      .post('/api/v1/auth/login')
      .send({ username, password })
      .expect(200);
    return `Bearer ${response.body.accessToken}`;
  }

  /** The first admin comes with ADMIN_PASSWORD and sets their own before anything else. */
  async function signInAsFirstAdmin(): Promise<string> {
    const { username, password } = t.config.admin;
    const initial = await signIn(username, password);
    const changed = await t.http
      .post('/api/v1/auth/password')
      .set('Authorization', initial)
      .send({ currentPassword: password, newPassword: 'County-Admin-2027' })
      .expect(200);
    return `Bearer ${changed.body.accessToken}`;
  }
});
