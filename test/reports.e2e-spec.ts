import { MonthClosedError, SYSTEM_ACTOR, type Page } from '@charity/common';
import { PointsLedger } from '@charity/households';
import { StockService } from '@charity/inventory';
import type { Region, Store } from '@charity/organisation';
import {
  findReportTotalsMismatches,
  rebuildReportTotals,
  ReportExportsService,
  type AidRegisterRow,
  type DonationRegisterRow,
  type DonorImpact,
  type MonthlyReport,
} from '@charity/reports';
import { JwtService } from '@nestjs/jwt';
import ExcelJS from 'exceljs';
import { randomUUID } from 'node:crypto';
import { expectError } from './support/errors';
import type { SignedIn } from './support/given';
import { getBytes, pdfOf, pdfText } from './support/pdf';
import { createTestApp, type TestApp } from './support/test-app';

/**
 * A small county's October and November 2026, built through the real api at controlled local
 * (Asia/Shanghai) times, and every figure of its monthly report asserted exactly.
 *
 * County: township T1 with store A; township T2 with village V2 and store B.
 * Households: H1 低保 (home A, shops at A and B), H2 五保 (home A), H3 特困 (home B).
 */
describe('monthly reports', () => {
  let t: TestApp;
  let county: Region;
  let t1: Region;
  let t2: Region;
  let storeA: Store;
  let storeB: Store;
  let admin: SignedIn;
  let managerA: SignedIn;
  let managerB: SignedIn;
  let clerkA: SignedIn;
  let clerkB: SignedIn;
  let auditor: SignedIn;
  let cards: { h1: string; h2: string; h3: string };
  let ids: { h1: number; h2: number; h3: number };
  let rice: number;
  let oil: number;
  let soap: number;
  let company: number;
  let person: number;
  const receipts: Record<string, { id: number; receiptNo: string }> = {};

  /** Moves the clock (Date only) to a Shanghai wall time such as `2026-10-31 23:59`. */
  const at = (local: string) => {
    jest.setSystemTime(new Date(`${local.replace(' ', 'T')}:00+08:00`));
  };

  const api = (as: SignedIn) => ({
    get: (url: string) => t.http.get(url).set('Authorization', as.auth),
    post: (url: string, body: object = {}, key?: string) => {
      const request = t.http.post(url).set('Authorization', as.auth);
      return (key ? request.set('Idempotency-Key', key) : request).send(body);
    },
  });

  const checkout = async (
    name: string,
    as: SignedIn,
    store: Store,
    cardNo: string,
    lines: { productId: number; quantity: number }[],
    delivery = false,
  ) => {
    const response = await api(as).post(
      '/api/v1/redemptions',
      {
        storeId: store.id,
        cardNo,
        lines,
        ...(delivery ? { fulfilment: 'delivery', deliveryAddress: '幸福村3组12号' } : {}),
      },
      randomUUID(),
    );
    if (response.status !== 201) throw new Error(`${name}: ${JSON.stringify(response.body)}`);
    receipts[name] = response.body as { id: number; receiptNo: string };
  };

  const donate = async (as: SignedIn, body: object) => {
    const response = await api(as).post('/api/v1/donations', body, randomUUID());
    expect(response.status).toBe(201);
    return response.body as { id: number; receiptNo: string };
  };

  const report = async (query: string, as: SignedIn = admin): Promise<MonthlyReport> => {
    const response = await api(as).get(`/api/v1/reports/monthly?${query}`);
    expect(response.status).toBe(200);
    return response.body as MonthlyReport;
  };

  /** A token that outlives every jump of the clock in this suite. */
  const longLived = async (signedIn: SignedIn): Promise<SignedIn> => {
    const token = await t.app
      .get(JwtService)
      .signAsync(
        { sub: signedIn.user.id, ver: signedIn.user.tokenVersion },
        { expiresIn: '3650d' },
      );
    return { ...signedIn, token, auth: `Bearer ${token}` };
  };

  beforeAll(async () => {
    t = await createTestApp();
    await t.reset();
    jest.useFakeTimers({
      doNotFake: [
        'hrtime',
        'nextTick',
        'performance',
        'queueMicrotask',
        'requestAnimationFrame',
        'cancelAnimationFrame',
        'requestIdleCallback',
        'cancelIdleCallback',
        'setImmediate',
        'clearImmediate',
        'setInterval',
        'clearInterval',
        'setTimeout',
        'clearTimeout',
      ],
    });
    at('2025-09-15 10:00');
    const given = t.given;
    county = await given.region('county');
    t1 = await given.region('township', county.id);
    t2 = await given.region('township', county.id);
    const v1 = await given.region('village', t1.id);
    const v2 = await given.region('village', t2.id);
    storeA = await given.store({ regionId: t1.id, code: 'RA' });
    storeB = await given.store({ regionId: v2.id, code: 'RB' });
    admin = await longLived(await given.signedIn('county_admin'));
    auditor = await longLived(await given.signedIn('auditor'));
    managerA = await longLived(await given.signedIn('store_manager', storeA.id));
    managerB = await longLived(await given.signedIn('store_manager', storeB.id));
    clerkA = await longLived(await given.signedIn('clerk', storeA.id));
    clerkB = await longLived(await given.signedIn('clerk', storeB.id));
    const grain = await given.category('粮油', 1);
    const daily = await given.category('日用品', 2);
    rice = (await given.product({ categoryId: grain.id, pointPrice: 20, unitValueFen: 2500 })).id;
    oil = (await given.product({ categoryId: grain.id, pointPrice: 30, unitValueFen: 4000 })).id;
    soap = (await given.product({ categoryId: daily.id, pointPrice: 5, unitValueFen: 500 })).id;
    company = (await given.donor({ kind: 'company', name: '城关爱心企业' })).id;
    person = (await given.donor({ kind: 'individual', name: '张爱心' })).id;

    // points expire after 12 months: H2's grant of September 2025 runs out in October 2026
    await t.http
      .put('/api/v1/points/policy')
      .set('Authorization', admin.auth)
      .send({ expiryMonths: 12 })
      .expect(200);
    const h1 = await given.household({
      category: 'dibao',
      homeStoreId: storeA.id,
      regionId: v1.id,
    });
    const h2 = await given.household({
      category: 'wubao',
      homeStoreId: storeA.id,
      regionId: v1.id,
      points: 15,
    });
    const h3 = await given.household({
      category: 'tekun',
      homeStoreId: storeB.id,
      regionId: v2.id,
    });
    cards = { h1: h1.cardNo, h2: h2.cardNo, h3: h3.cardNo };
    ids = { h1: h1.id, h2: h2.id, h3: h3.id };

    // a year earlier: one cash gift, so October has a "same month last year"
    at('2025-10-20 10:00');
    await donate(clerkA, { storeId: storeA.id, donorId: person, cashFen: 30000 });

    // 1 October: goods in at both stores, opening points, a rule award
    at('2026-10-01 09:00');
    await donate(clerkA, {
      storeId: storeA.id,
      donorId: company,
      cashFen: 10000,
      lines: [
        { productId: rice, quantity: 10, unitValueFen: 2500, expiryDate: '2027-06-30' },
        { productId: oil, quantity: 5, unitValueFen: 4000, expiryDate: '2027-06-30' },
      ],
    });
    await donate(clerkB, {
      storeId: storeB.id,
      donorId: person,
      lines: [{ productId: soap, quantity: 20, unitValueFen: 500, expiryDate: '2027-06-30' }],
    });
    await donate(clerkB, {
      storeId: storeB.id,
      donorId: company,
      lines: [{ productId: rice, quantity: 5, unitValueFen: 2500, expiryDate: '2027-06-30' }],
    });
    const voidedGift = await donate(clerkA, { storeId: storeA.id, donorId: person, cashFen: 5000 });
    await api(managerA)
      .post(`/api/v1/donations/${voidedGift.id}/void`, { reason: '登记错误' })
      .expect(200);
    // soap at A that runs out of date on 20 October and is written off
    await given.lot(storeA.id, soap, 3, '2026-10-20', 500);
    for (const [id, points] of [
      [h1.id, 100],
      [h2.id, 50],
      [h3.id, 80],
    ] as const) {
      await api(admin)
        .post(`/api/v1/households/${id}/points`, { points, reason: '十月初始积分' })
        .expect(201);
    }
    const rule = await given.pointRule({ points: 10 });
    await api(admin)
      .post(`/api/v1/households/${h1.id}/points`, { ruleCode: rule.code })
      .expect(201);

    at('2026-10-05 00:30');
    await t.app.get(PointsLedger).expireDue('2026-10-05');

    at('2026-10-10 10:00');
    await checkout('h1AtA', clerkA, storeA, cards.h1, [{ productId: rice, quantity: 2 }]);
    at('2026-10-12 10:00');
    await checkout('h1AtB', clerkB, storeB, cards.h1, [{ productId: rice, quantity: 1 }]);
    at('2026-10-15 10:00');
    await checkout('voided', clerkA, storeA, cards.h2, [{ productId: oil, quantity: 1 }]);
    await api(managerA)
      .post(`/api/v1/redemptions/${receipts.voided?.id}/void`, { reason: '拿错商品' })
      .expect(200);
    at('2026-10-20 10:00');
    await checkout('delivered', clerkB, storeB, cards.h3, [{ productId: soap, quantity: 4 }], true);
    at('2026-10-21 00:05');
    await t.app.get(StockService).writeOffExpired('2026-10-21');
    at('2026-10-21 09:00');
    await api(clerkB)
      .post(`/api/v1/deliveries/${receipts.delivered?.id}/delivered`, { receivedBy: '本人' })
      .expect(200);
    at('2026-10-25 10:00');
    await checkout(
      'cancelledLate',
      clerkA,
      storeA,
      cards.h2,
      [{ productId: rice, quantity: 1 }],
      true,
    );
    at('2026-10-28 10:00');
    const lateGift = await donate(clerkB, { storeId: storeB.id, donorId: person, cashFen: 8000 });
    receipts.lateGift = lateGift;
    // still awaiting delivery when October ends; cancelled after October is closed
    at('2026-10-30 15:00');
    await checkout('pending', clerkB, storeB, cards.h3, [{ productId: soap, quantity: 1 }], true);
    // the month boundary: one minute either side of midnight
    at('2026-10-31 23:59');
    await checkout('lastMinute', clerkB, storeB, cards.h3, [{ productId: rice, quantity: 1 }]);
    at('2026-11-01 00:01');
    await checkout('firstMinute', clerkA, storeA, cards.h1, [{ productId: oil, quantity: 1 }]);
    // November: October's delivery is cancelled and a gift of October voided
    at('2026-11-02 10:00');
    await api(managerA)
      .post(`/api/v1/deliveries/${receipts.cancelledLate?.id}/cancel`, { reason: '户主外出' })
      .expect(200);
    at('2026-11-03 10:00');
    await api(managerB)
      .post(`/api/v1/donations/${lateGift.id}/void`, { reason: '重复登记' })
      .expect(200);
    at('2026-11-05 10:00');
  });

  afterAll(async () => {
    jest.useRealTimers();
    await t.close();
  });

  it('counts October for the county exactly', async () => {
    const october = await report(`month=2026-10&regionId=${county.id}`);
    expect(october.region).toEqual({ id: county.id, level: 'county', name: county.name });
    expect(october.source).toBe('live');
    expect(october.stores.active).toBe(2);
    expect(october.donations).toMatchObject({
      count: 4,
      donors: 2,
      goodsValueFen: 67500,
      cashFen: 18000,
      totalValueFen: 85500,
      corrections: { count: 0, totalValueFen: 0 },
    });
    expect(october.donations.byDonorKind.filter((k) => k.count > 0)).toEqual([
      { kind: 'individual', label: '个人', count: 2, donors: 1, totalValueFen: 18000 },
      { kind: 'company', label: '企业', count: 2, donors: 1, totalValueFen: 67500 },
    ]);
    expect(october.donations.byCategory.map((c) => [c.name, c.quantity, c.valueFen])).toEqual([
      ['粮油', 20, 57500],
      ['日用品', 20, 10000],
    ]);
    expect(october.donations.topDonors.map((d) => [d.name, d.count, d.totalValueFen])).toEqual([
      ['城关爱心企业', 2, 67500],
      ['张爱心', 2, 18000],
    ]);
    // H1 shopped at A and at B: one household, two visits
    expect(october.aid).toMatchObject({
      households: 3,
      visits: 6,
      pointsRedeemed: 125,
      goodsValueFen: 15000,
      corrections: { visits: 0, pointsRedeemed: 0, goodsValueFen: 0 },
    });
    expect(
      october.aid.byCategory.map((c) => [
        c.category,
        c.households,
        c.visits,
        c.pointsRedeemed,
        c.goodsValueFen,
      ]),
    ).toEqual([
      ['wubao', 1, 1, 20, 2500],
      ['dibao', 1, 2, 60, 7500],
      ['tekun', 1, 3, 45, 5000],
      ['other', 0, 0, 0, 0],
    ]);
    expect(october.points).toEqual({
      issued: 10,
      redeemed: 125,
      expired: 15,
      adjusted: 230,
      outstanding: 115,
    });
    expect(october.stock).toEqual({ onHandValueFen: 52500, expiredWriteOffValueFen: 1500 });
    expect(october.headline).toBe(
      '本月全县共有2个爱心超市开展服务，收到社会各界捐赠物资价值675元、现金180元，救助兜底户3户6人次',
    );
    expect(october.lastYear?.donations).toMatchObject({ count: 1, cashFen: 30000 });
    expect(october.lastYear?.aid.visits).toBe(0);
    expect(october.trend).toHaveLength(12);
    expect(october.trend.at(-1)).toEqual({
      month: '2026-10',
      donationValueFen: 85500,
      visits: 6,
      households: 3,
    });
    expect(october.trend[0]?.month).toBe('2025-11');
  });

  it('breaks October down by township and store, counting a household once per township', async () => {
    const october = await report(`month=2026-10&regionId=${county.id}`);
    const row = (name: string, rows: MonthlyReport['townships']) => {
      const found = rows.find((r) => r.name === name);
      if (!found) throw new Error(`no row ${name}`);
      const { regionId: _r, storeId: _s, code: _c, name: _n, ...figures } = found;
      return figures;
    };
    expect(row(t1.name, october.townships)).toEqual({
      activeStores: 1,
      donationCount: 1,
      donationValueFen: 55000,
      households: 2,
      visits: 2,
      pointsRedeemed: 60,
      goodsValueFen: 7500,
    });
    expect(row(t2.name, october.townships)).toEqual({
      activeStores: 1,
      donationCount: 3,
      donationValueFen: 30500,
      households: 2,
      visits: 4,
      pointsRedeemed: 65,
      goodsValueFen: 7500,
    });
    expect(row(storeB.name, october.storesBreakdown)).toMatchObject({ households: 2, visits: 4 });
    const township = await report(`month=2026-10&regionId=${t2.id}`);
    expect(township.aid).toMatchObject({ households: 2, visits: 4, pointsRedeemed: 65 });
    expect(township.headline).toBe(
      `本月${t2.name}共有1个爱心超市开展服务，收到社会各界捐赠物资价值225元、现金80元，救助兜底户2户4人次`,
    );
  });

  it('puts 23:59 on the 31st in October and 00:01 on the 1st in November', async () => {
    const aidOf = async (month: string) =>
      (await api(admin).get(`/api/v1/reports/monthly-aid?month=${month}&pageSize=200`))
        .body as Page<AidRegisterRow>;
    const october = await aidOf('2026-10');
    const november = await aidOf('2026-11');
    expect(october.items.map((r) => r.receiptNo)).toContain(receipts.lastMinute?.receiptNo);
    expect(october.items.map((r) => r.receiptNo)).not.toContain(receipts.firstMinute?.receiptNo);
    expect(november.items.map((r) => r.receiptNo)).toEqual([receipts.firstMinute?.receiptNo]);
    expect(october.total).toBe(7);
    const last = october.items.find((r) => r.receiptNo === receipts.lastMinute?.receiptNo);
    expect(last).toMatchObject({
      businessDate: '2026-10-31',
      cardNo: cards.h3,
      householdCategory: 'tekun',
      householdCategoryLabel: '特困',
      pointsTotal: 20,
      goodsValueFen: 2500,
      lines: 1,
      townshipName: t2.name,
    });
    expect(JSON.stringify(october)).not.toMatch(/测试户/);
  });

  it('shows November with the late cancellation and void as corrections', async () => {
    const november = await report(`month=2026-11&regionId=${county.id}`);
    expect(november.aid).toMatchObject({
      households: 1,
      visits: 1,
      pointsRedeemed: 30,
      goodsValueFen: 4000,
      corrections: { visits: -1, pointsRedeemed: -20, goodsValueFen: -2500 },
    });
    expect(november.donations).toMatchObject({
      count: 0,
      totalValueFen: 0,
      corrections: { count: -1, totalValueFen: -8000 },
    });
    // the ledger's net redemption is the visits' points plus the corrections
    expect(november.points).toEqual({
      issued: 0,
      redeemed: 10,
      expired: 0,
      adjusted: 0,
      outstanding: 105,
    });
    expect(november.stock).toEqual({ onHandValueFen: 51000, expiredWriteOffValueFen: 0 });
    expect(november.yearToDate.aid).toMatchObject({
      households: 3,
      visits: 7,
      pointsRedeemed: 155,
      corrections: { visits: -1, pointsRedeemed: -20 },
    });
    expect(november.yearToDate.donations).toMatchObject({
      count: 4,
      totalValueFen: 85500,
      corrections: { count: -1, totalValueFen: -8000 },
    });
    expect(november.yearToDate.points).toEqual({
      issued: 10,
      redeemed: 135,
      expired: 15,
      adjusted: 230,
      outstanding: 105,
    });
    expect(november.lastYear).toBeNull();
  });

  it('equals a recomputation from the raw ledgers', async () => {
    const november = await report(`month=2026-11`);
    // one county in the deployment: "everything" is that county, in its words (全县)
    expect(november.region).toEqual({ id: county.id, level: 'county', name: county.name });
    const [points] = await t.dataSource.query<{ balance: string }[]>(
      'SELECT SUM(balance) AS balance FROM households',
    );
    expect(november.points.outstanding).toBe(Number(points?.balance));
    const [stock] = await t.dataSource.query<{ value: string }[]>(
      'SELECT SUM(quantity * unit_value_fen) AS value FROM stock_lots',
    );
    expect(november.stock.onHandValueFen).toBe(Number(stock?.value));
    const [expired] = await t.dataSource.query<{ points: string }[]>(
      `SELECT -SUM(points) AS points FROM points_entries
        WHERE kind = 'expiry' AND business_date BETWEEN '2026-10-01' AND '2026-10-31'`,
    );
    expect((await report('month=2026-10')).points.expired).toBe(Number(expired?.points));
    expect(await findReportTotalsMismatches(t.dataSource.manager)).toEqual([]);
    // goods given out net of those a void or cancelled delivery put back: October's aid value
    const [given] = await t.dataSource.query<{ value: string }[]>(
      `SELECT SUM(value_fen) AS value FROM stock_month_totals
        WHERE business_month = '2026-10' AND kind = 'given'`,
    );
    expect(-Number(given?.value)).toBe(15000);
    // rebuilding the totals from the ledgers changes no figure
    const before = await report('month=2026-10');
    await rebuildReportTotals(t.dataSource.manager);
    const after = await report('month=2026-10');
    expect({ ...after, generatedAt: null }).toEqual({ ...before, generatedAt: null });
  });

  it('gives a store manager their own store only, and the same numbers', async () => {
    const own = await report('month=2026-10', managerB);
    expect(own.region).toMatchObject({ level: 'store', id: storeB.id });
    expect(own.aid).toMatchObject({ households: 2, visits: 4 });
    const sameAsAdmin = await report(`month=2026-10&storeId=${storeB.id}`, admin);
    expect({ ...sameAsAdmin, generatedAt: null }).toEqual({ ...own, generatedAt: null });
    expectError(
      await api(managerB).get(`/api/v1/reports/monthly?month=2026-10&regionId=${county.id}`),
      403,
      'FORBIDDEN',
    );
    expectError(
      await api(managerB).get(`/api/v1/reports/monthly?month=2026-10&storeId=${storeA.id}`),
      403,
      'FORBIDDEN',
    );
    const auditorView = await report(`month=2026-10&regionId=${county.id}`, auditor);
    expect(auditorView.aid.visits).toBe(6);
  });

  it('lists every donation line of the month in the register', async () => {
    const page = (
      await api(admin).get(`/api/v1/reports/monthly-donations?month=2026-10&pageSize=2&page=1`)
    ).body as Page<DonationRegisterRow>;
    expect(page.total).toBe(6);
    expect(page.items).toHaveLength(2);
    const all = (
      await api(admin).get(`/api/v1/reports/monthly-donations?month=2026-10&pageSize=200`)
    ).body as Page<DonationRegisterRow>;
    const goods = all.items.filter((r) => r.lineNo !== null);
    expect(goods.reduce((sum, r) => sum + r.amountFen, 0)).toBe(67500);
    expect(all.items.filter((r) => r.status === 'voided').map((r) => r.cashFen)).toEqual([
      5000, 8000,
    ]);
    // voided within October it does not count in October; voided on 3 November it still does
    expect(all.items.filter((r) => r.status === 'voided').map((r) => r.countsInMonth)).toEqual([
      false,
      true,
    ]);
    expect(all.items.find((r) => r.productName !== null)).toMatchObject({
      categoryName: '粮油',
      donorName: '城关爱心企业',
      donorKind: 'company',
    });
  });

  it('refuses bad months and scopes', async () => {
    expectError(
      await api(admin).get('/api/v1/reports/monthly?month=2026-13'),
      400,
      'VALIDATION_FAILED',
    );
    expectError(await api(admin).get('/api/v1/reports/monthly'), 400, 'VALIDATION_FAILED');
    expectError(
      await api(admin).get('/api/v1/reports/monthly?month=2027-01'),
      400,
      'VALIDATION_FAILED',
    );
    expectError(
      await api(admin).get('/api/v1/reports/monthly?month=2026-10&regionId=999999'),
      404,
      'NOT_FOUND',
    );
    expectError(
      await api(admin).get('/api/v1/reports/monthly?month=2026-10&regionId=abc'),
      400,
      'VALIDATION_FAILED',
    );
    expectError(await t.http.get('/api/v1/reports/monthly?month=2026-10'), 401, 'UNAUTHENTICATED');
  });

  it('tells a donor what their goods did, naming no household', async () => {
    const response = await api(admin).get(`/api/v1/reports/donors/${company}/impact?year=2026`);
    expect(response.status).toBe(200);
    const impact = response.body as DonorImpact;
    // rice: 2 at A and 1 + 1 at B; oil: 1 at A (the voided oil and the cancelled rice went back)
    expect(impact).toMatchObject({
      donorName: '城关爱心企业',
      donatedValueFen: 57500,
      donatedQuantity: 20,
      givenOutValueFen: 14000,
      givenOutQuantity: 5,
      givenOutPercent: 24.3,
      households: 2,
      visits: 4,
    });
    expect(impact.townships).toEqual([
      { name: t1.name, households: 1, visits: 2, valueFen: 9000 },
      { name: t2.name, households: 2, visits: 2, valueFen: 5000 },
    ]);
    expect(JSON.stringify(impact)).not.toMatch(/测试户/);
    const letter = await getBytes(
      t.http,
      `/api/v1/reports/donors/${company}/impact.pdf?year=2026`,
      admin.auth,
    );
    expect(letter.status).toBe(200);
    const text = pdfText(pdfOf(letter));
    expect(text).toContain('城关爱心企业');
    expect(text).toContain('感谢');
    expectError(
      await api(managerA).get(`/api/v1/reports/donors/${company}/impact?year=2026`),
      403,
      'FORBIDDEN',
    );
  });

  it('exports October as PDF and XLSX with the same figures', async () => {
    const exports = t.app.get(ReportExportsService);
    const asked = await api(admin).post('/api/v1/reports/exports', {
      kind: 'monthly',
      month: '2026-10',
      regionId: county.id,
      format: 'pdf',
    });
    expect(asked.status).toBe(202);
    const pdfExport = asked.body as { id: number; status: string };
    expect(pdfExport.status).toBe('queued');
    expectError(
      await api(admin).get(`/api/v1/reports/exports/${pdfExport.id}/file`),
      409,
      'EXPORT_NOT_READY',
    );
    // the worker's part, run here: no worker is listening in this suite
    const steps: number[] = [];
    await exports.run(pdfExport.id, (p) => {
      steps.push(p);
      return Promise.resolve();
    });
    expect(steps).toEqual([5, 40, 90]);
    const status = (await api(admin).get(`/api/v1/reports/exports/${pdfExport.id}`)).body as {
      status: string;
      progress: number;
      fileUrl: string;
    };
    expect(status).toMatchObject({ status: 'done', progress: 100 });
    const pdf = await getBytes(t.http, status.fileUrl, admin.auth);
    expect(pdf.status).toBe(200);
    const text = pdfText(pdfOf(pdf)).replace(/\s+/g, '');
    expect(text).toContain(
      '本月全县共有2个爱心超市开展服务，收到社会各界捐赠物资价值675元、现金180元，救助兜底户3户6人次',
    );

    const xlsxAsk = (
      await api(admin).post('/api/v1/reports/exports', {
        kind: 'monthly',
        month: '2026-10',
        regionId: county.id,
        format: 'xlsx',
      })
    ).body as { id: number };
    await exports.run(xlsxAsk.id, () => Promise.resolve());
    const file = await getBytes(t.http, `/api/v1/reports/exports/${xlsxAsk.id}/file`, admin.auth);
    expect(file.status).toBe(200);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(file.body as ArrayBuffer);
    const sheets = workbook.worksheets.map((s) => s.name);
    expect(sheets).toEqual(expect.arrayContaining(['汇总', '捐赠明细', '兑换明细']));
    // header, rows, then 合计 and its note
    expect(workbook.getWorksheet('兑换明细')?.actualRowCount).toBe(1 + 7 + 2);
    expect(workbook.getWorksheet('捐赠明细')?.actualRowCount).toBe(1 + 6 + 2);
    // the registers' 合计 agree with the report, although one redemption was cancelled and one
    // gift voided in November: October still counts both
    const october = await report(`month=2026-10&regionId=${county.id}`);
    const totalOf = (name: string) => {
      const found: unknown[][] = [];
      workbook.getWorksheet(name)?.eachRow((row) => {
        const cells = (row.values as unknown[]).slice(1);
        if (String(cells[0]).startsWith('合计：')) found.push(cells);
      });
      expect(found).toHaveLength(1);
      return found[0];
    };
    const aidTotal = totalOf('兑换明细');
    expect([aidTotal[0], aidTotal[9], aidTotal[10]]).toEqual([
      `合计：${october.aid.visits}人次`,
      october.aid.pointsRedeemed,
      october.aid.goodsValueFen / 100,
    ]);
    const donationTotal = totalOf('捐赠明细');
    expect([donationTotal[0], donationTotal[11], donationTotal[12]]).toEqual([
      `合计：${october.donations.count}笔`,
      october.donations.goodsValueFen / 100,
      october.donations.cashFen / 100,
    ]);
    const totals = workbook.getWorksheet('汇总');
    const values: unknown[][] = [];
    totals?.eachRow((row) => values.push((row.values as unknown[]).slice(1)));
    const rowOf = (label: string) => values.find((v) => v[0] === label);
    expect(rowOf('救助人次')?.[1]).toBe(6);
    expect(rowOf('救助户数')?.[1]).toBe(3);
    expect(rowOf('合计(元)')?.[1]).toBe(855);

    expectError(
      await api(clerkA).post('/api/v1/reports/exports', {
        kind: 'monthly',
        month: '2026-10',
        regionId: county.id,
        format: 'pdf',
      }),
      403,
      'FORBIDDEN',
    );
    expectError(
      await api(admin).post('/api/v1/reports/exports', {
        kind: 'monthly',
        month: '2026-10',
        format: 'doc',
      }),
      400,
      'VALIDATION_FAILED',
    );
    expectError(await api(clerkA).get(`/api/v1/reports/exports/${xlsxAsk.id}`), 403, 'FORBIDDEN');
  });

  it('lets an auditor export and download a report (reading), but not close or reopen a month', async () => {
    for (const format of ['pdf', 'xlsx'] as const) {
      const asked = await api(auditor).post('/api/v1/reports/exports', {
        kind: 'monthly',
        month: '2026-10',
        regionId: county.id,
        format,
      });
      expect({ status: asked.status, code: asked.body.code }).toEqual({ status: 202 });
      const id = (asked.body as { id: number }).id;
      await t.app.get(ReportExportsService).run(id, () => Promise.resolve());
      const status = await api(auditor).get(`/api/v1/reports/exports/${id}`).expect(200);
      expect(status.body).toMatchObject({ status: 'done', progress: 100 });
      const file = await getBytes(t.http, status.body.fileUrl, auditor.auth);
      expect(file.status).toBe(200);
    }
    expectError(await api(auditor).post('/api/v1/reports/months/2026-10/close'), 403, 'FORBIDDEN');
    expectError(
      await api(auditor).post('/api/v1/reports/months/2026-10/reopen', { reason: '审计要求' }),
      403,
      'FORBIDDEN',
    );
  });

  describe('month close', () => {
    it('refuses to close a month that has not ended, and lets only a county admin close', async () => {
      expectError(
        await api(admin).post('/api/v1/reports/months/2026-11/close'),
        409,
        'MONTH_NOT_CLOSABLE',
      );
      expectError(
        await api(managerA).post('/api/v1/reports/months/2026-10/close'),
        403,
        'FORBIDDEN',
      );
      expectError(
        await api(admin).post('/api/v1/reports/months/2026-1/close'),
        400,
        'VALIDATION_FAILED',
      );
    });

    it('snapshots October, refuses back-dated writes, and takes late corrections in November', async () => {
      const live = await report(`month=2026-10&regionId=${county.id}`);
      const closed = await api(admin).post('/api/v1/reports/months/2026-10/close');
      expect(closed.status).toBe(200);
      expect(closed.body).toMatchObject({ month: '2026-10', status: 'closed' });
      expectError(
        await api(admin).post('/api/v1/reports/months/2026-10/close'),
        409,
        'MONTH_CLOSED',
      );

      const snapshot = await report(`month=2026-10&regionId=${county.id}`);
      expect(snapshot.source).toBe('snapshot');
      expect(snapshot.closedAt).not.toBeNull();
      const figures = (r: MonthlyReport) => ({
        ...r,
        source: null,
        closedAt: null,
        generatedAt: null,
      });
      expect(figures(snapshot)).toEqual(figures(live));
      expect((await report('month=2026-10', managerB)).source).toBe('snapshot');
      // a month closed while the headline still called cash 物资 reads in today's wording
      await t.dataSource.query(
        `UPDATE report_snapshots SET body = JSON_SET(body, '$.headline', ?) WHERE month = '2026-10'`,
        ['本月全县共有2个爱心超市开展服务，收到社会各界捐赠物资共计0.09万元，救助兜底户3户6人次'],
      );
      expect((await report(`month=2026-10&regionId=${county.id}`)).headline).toBe(live.headline);

      // a gift dated in October is refused; one dated today is fine
      expectError(
        await api(clerkA).post(
          '/api/v1/donations',
          { storeId: storeA.id, donorId: person, cashFen: 100, receivedDate: '2026-10-30' },
          randomUUID(),
        ),
        409,
        'MONTH_CLOSED',
      );
      await donate(clerkA, {
        storeId: storeA.id,
        donorId: person,
        cashFen: 100,
        receivedDate: '2026-11-04',
      });
      // so is a back-dated points entry
      const ledger = t.app.get(PointsLedger);
      await expect(
        t.dataSource.transaction(async (em) =>
          ledger.post(em, SYSTEM_ACTOR, await ledger.lockHousehold(em, ids.h1), {
            kind: 'adjustment',
            points: 5,
            storeId: storeA.id,
            reason: '补录',
            sourceType: 'manual',
            occurredAt: new Date('2026-10-20T02:00:00Z'),
          }),
        ),
      ).rejects.toBeInstanceOf(MonthClosedError);

      // October's last pending delivery is cancelled now: a correction in November only
      await api(managerB)
        .post(`/api/v1/deliveries/${receipts.pending?.id}/cancel`, { reason: '户主住院' })
        .expect(200);
      expect(figures(await report(`month=2026-10&regionId=${county.id}`))).toEqual(figures(live));
      const november = await report(`month=2026-11&regionId=${county.id}`);
      expect(november.aid.corrections).toEqual({
        visits: -2,
        pointsRedeemed: -25,
        goodsValueFen: -3000,
      });
      expect(november.points.redeemed).toBe(5);
      expect(november.stock.onHandValueFen).toBe(51500);
    });

    it('reopens a closed month with an audited reason, answering live again', async () => {
      expectError(
        await api(admin).post('/api/v1/reports/months/2026-10/reopen', {}),
        400,
        'VALIDATION_FAILED',
      );
      const reopened = await api(admin).post('/api/v1/reports/months/2026-10/reopen', {
        reason: '补录漏登的捐赠',
      });
      expect(reopened.status).toBe(200);
      expect(reopened.body).toMatchObject({ status: 'open', reopenReason: '补录漏登的捐赠' });
      expect((await report(`month=2026-10&regionId=${county.id}`)).source).toBe('live');
      expectError(
        await api(admin).post('/api/v1/reports/months/2026-10/reopen', { reason: '再次反结账' }),
        409,
        'MONTH_NOT_CLOSED',
      );
      const audit = await t.dataSource.query<{ action: string; summary: string }[]>(
        `SELECT action, summary FROM audit_entries WHERE action LIKE 'report.month.%' ORDER BY id`,
      );
      expect(audit.map((a) => a.action)).toEqual(['report.month.close', 'report.month.reopen']);
      expect(audit[1]?.summary).toContain('补录漏登的捐赠');
      const months = (await api(auditor).get('/api/v1/reports/months?year=2026')).body as {
        month: string;
        status: string;
      }[];
      expect(months).toEqual([expect.objectContaining({ month: '2026-10', status: 'open' })]);
    });
  });

  it('reports several counties together as the province', async () => {
    const second = await t.given.region('county');
    await t.given.store({ regionId: (await t.given.region('township', second.id)).id });
    const province = await report('month=2026-10');
    expect(province.region).toEqual({ id: null, level: 'province', name: '全部' });
    expect(province.aid).toMatchObject({ households: 3, visits: 6 });
    expect(province.headline).toMatch(/^本月全省共有2个爱心超市开展服务/);
    expect(province.storesBreakdown).toHaveLength(3);
  });
});
