import { businessDate } from '@charity/common';
import { Donation, type Donor, type DonationStatus, type NewDonor } from '@charity/donations';
import type { Region, Store } from '@charity/organisation';
import { createTestApp, type TestApp } from './support/test-app';
import { expectError } from './support/errors';

let serial = 0;
const n = (): number => ++serial;

interface RankedBody {
  rank: number;
  name: string;
  kind: string;
  totalValueFen: number;
  donations: number;
}

interface BoardBody {
  year: number;
  region: { id: number; name: string; level: string } | null;
  ranked: RankedBody[];
  others: { name: string; kind: string }[];
}

describe('honor board (public)', () => {
  let t: TestApp;
  // 测试县 A: township 1 (a store, and a village with a store), township 2 (a store);
  // 测试县 B: one township with a store
  let countyA: Region;
  let township1: Region;
  let village1: Region;
  let township2: Region;
  let countyB: Region;
  let storeT1: Store;
  let storeV1: Store;
  let storeT2: Store;
  let storeB: Store;

  /** Every test uses its own year, so the board shows only that test's donations. */
  let nextYear = 2000;
  const freshYear = (): number => ++nextYear;

  const board = async (query: string): Promise<BoardBody> => {
    const response = await t.http.get(`/api/v1/public/honor-board?${query}`);
    expect(response.status).toBe(200);
    return response.body as BoardBody;
  };

  const donor = (overrides: Partial<NewDonor> = {}): Promise<Donor> =>
    t.given.donor({ honorConsent: true, ...overrides });

  /** A donation row as intake would leave it; the board needs no lines or stock. */
  const donate = async (
    who: Donor,
    store: Store,
    receivedDate: string,
    totalValueFen: number,
    status: DonationStatus = 'active',
  ): Promise<void> => {
    const cashFen = totalValueFen % 2; // some of it cash, so goods + cash are both counted
    await t.dataSource.getRepository(Donation).insert({
      storeId: store.id,
      donorId: who.id,
      receiptNo: `HB-${store.id}-${n()}`,
      receivedDate,
      goodsValueFen: totalValueFen - cashFen,
      cashFen,
      totalValueFen,
      note: null,
      status,
      voidReason: status === 'voided' ? '录入错误' : null,
      voidedBy: null,
      voidedAt: status === 'voided' ? new Date() : null,
      createdBy: 1,
      createdAt: new Date(),
      idempotencyKey: null,
      requestHash: null,
    });
  };

  beforeAll(async () => {
    t = await createTestApp();
    await t.reset();
    countyA = await t.given.region('county');
    township1 = await t.given.region('township', countyA.id);
    village1 = await t.given.region('village', township1.id);
    township2 = await t.given.region('township', countyA.id);
    countyB = await t.given.region('county');
    const townshipB = await t.given.region('township', countyB.id);
    [storeT1, storeV1, storeT2, storeB] = await Promise.all([
      t.given.store({ regionId: township1.id }),
      t.given.store({ regionId: village1.id }),
      t.given.store({ regionId: township2.id }),
      t.given.store({ regionId: townshipB.id }),
    ]);
  });
  afterAll(() => t.close());

  it('needs no login and shows consenting donors only, people masked, no contact data', async () => {
    const year = freshYear();
    const person = await donor({
      kind: 'individual',
      name: '张三',
      phone: '13812345678',
      email: 'zhangsan@example.com',
      address: '青山县城关镇幸福路8号',
    });
    const member = await donor({ kind: 'union_member', name: '欧阳小明', phone: '13900001111' });
    const company = await donor({
      kind: 'company',
      name: '青山粮油有限公司',
      phone: '0379-66123456',
      email: 'office@qingshan.example.com',
      address: '青山县工业路1号',
      creditCode: '91350100M000100Y43',
    });
    const shy = await donor({ kind: 'company', name: '不愿具名公司', honorConsent: false });
    await donate(person, storeT1, `${year}-03-01`, 30_000);
    await donate(member, storeT1, `${year}-03-02`, 20_000);
    await donate(company, storeT2, `${year}-03-03`, 10_000);
    await donate(shy, storeT1, `${year}-03-04`, 99_999_999);

    const response = await t.http.get(`/api/v1/public/honor-board?year=${year}`).expect(200);
    const body = response.body as BoardBody;
    expect(body).toEqual({
      year,
      region: null,
      ranked: [
        { rank: 1, name: '张*', kind: 'individual', totalValueFen: 30_000, donations: 1 },
        { rank: 2, name: '欧***', kind: 'union_member', totalValueFen: 20_000, donations: 1 },
        { rank: 3, name: '青山粮油有限公司', kind: 'company', totalValueFen: 10_000, donations: 1 },
      ],
      others: [],
    });
    const text = JSON.stringify(body);
    for (const secret of [
      '张三',
      '欧阳',
      '13812345678',
      '13900001111',
      '0379-66123456',
      'example.com',
      '幸福路',
      '工业路',
      '91350100M000100Y43',
      '不愿具名',
      String(shy.id),
    ]) {
      expect(text).not.toContain(secret);
    }
  });

  it('drops a donor at once when consent is withdrawn', async () => {
    const year = freshYear();
    const company = await donor({ name: `撤回同意公司${n()}` });
    await donate(company, storeT1, `${year}-05-01`, 5_000);
    expect((await board(`year=${year}`)).ranked.map((entry) => entry.name)).toEqual([company.name]);

    const admin = await t.given.signedIn('county_admin');
    await t.http
      .patch(`/api/v1/donors/${company.id}`)
      .set('Authorization', admin.auth)
      .send({ honorConsent: false })
      .expect(200);
    expect(await board(`year=${year}`)).toMatchObject({ ranked: [], others: [] });
  });

  it('adds up a donor’s active donations of the year and leaves voided ones out', async () => {
    const year = freshYear();
    const steady = await donor({ name: `常捐公司${n()}` });
    const voidedOnly = await donor({ name: `全作废公司${n()}` });
    await donate(steady, storeT1, `${year}-01-10`, 1_000);
    await donate(steady, storeV1, `${year}-06-10`, 2_501);
    await donate(steady, storeT1, `${year}-07-10`, 1_000_000, 'voided');
    await donate(voidedOnly, storeT1, `${year}-07-11`, 50_000, 'voided');

    expect(await board(`year=${year}`)).toEqual({
      year,
      region: null,
      ranked: [{ rank: 1, name: steady.name, kind: 'company', totalValueFen: 3_501, donations: 2 }],
      others: [],
    });
  });

  it('counts a donation in the calendar year of its received date (12-31 vs 01-01)', async () => {
    // this test owns three years: the one before, the one it looks at and the one after
    freshYear();
    const year = freshYear();
    freshYear();
    const december = await donor({ name: `岁末公司${n()}` });
    const january = await donor({ name: `岁首公司${n()}` });
    await donate(december, storeT1, `${year}-12-31`, 700);
    await donate(january, storeT1, `${year + 1}-01-01`, 900);
    await donate(january, storeT1, `${year - 1}-12-31`, 800);

    const names = (body: BoardBody) => body.ranked.map((entry) => entry.name);
    expect(names(await board(`year=${year}`))).toEqual([december.name]);
    expect(await board(`year=${year + 1}`)).toMatchObject({
      ranked: [{ rank: 1, name: january.name, totalValueFen: 900, donations: 1 }],
    });
  });

  it('limits the board to the stores of a county, a township with its villages, or a village', async () => {
    const year = freshYear();
    const atT1 = await donor({ name: `镇一公司${n()}` });
    const atV1 = await donor({ name: `村一公司${n()}` });
    const atT2 = await donor({ name: `镇二公司${n()}` });
    const elsewhere = await donor({ name: `外县公司${n()}` });
    await donate(atT1, storeT1, `${year}-04-01`, 4_000);
    await donate(atV1, storeV1, `${year}-04-02`, 3_000);
    await donate(atT2, storeT2, `${year}-04-03`, 2_000);
    await donate(elsewhere, storeB, `${year}-04-04`, 1_000);
    // a donor who gave in both counties shows only what the region's stores took in
    await donate(atT2, storeB, `${year}-04-05`, 100_000);

    const ranking = async (query: string) =>
      (await board(`year=${year}${query}`)).ranked.map((entry) => [
        entry.name,
        entry.totalValueFen,
      ]);
    expect(await ranking('')).toEqual([
      [atT2.name, 102_000],
      [atT1.name, 4_000],
      [atV1.name, 3_000],
      [elsewhere.name, 1_000],
    ]);
    expect(await ranking(`&regionId=${countyA.id}`)).toEqual([
      [atT1.name, 4_000],
      [atV1.name, 3_000],
      [atT2.name, 2_000],
    ]);
    expect(await ranking(`&regionId=${township1.id}`)).toEqual([
      [atT1.name, 4_000],
      [atV1.name, 3_000],
    ]);
    expect(await ranking(`&regionId=${village1.id}`)).toEqual([[atV1.name, 3_000]]);
    expect(await ranking(`&regionId=${township2.id}`)).toEqual([[atT2.name, 2_000]]);
    expect(await ranking(`&regionId=${countyB.id}`)).toEqual([
      [atT2.name, 100_000],
      [elsewhere.name, 1_000],
    ]);
    expect((await board(`year=${year}&regionId=${township1.id}`)).region).toEqual({
      id: township1.id,
      name: township1.name,
      level: 'township',
    });
  });

  it('gives tied donors one rank, skips the next, and orders the tie by pinyin', async () => {
    const year = freshYear();
    // code points: 张 U+5F20 < 白 U+767D < 阿 U+963F; pinyin: a < bai < zhang
    const zhang = await donor({ kind: 'company', name: '张记粮店' });
    const a = await donor({ kind: 'individual', name: '阿强' });
    const bai = await donor({ kind: 'company', name: '白云商行' });
    const top = await donor({ kind: 'company', name: '最多公司' });
    const last = await donor({ kind: 'company', name: '爱心小店' });
    await donate(top, storeT1, `${year}-02-01`, 9_000);
    await donate(zhang, storeT1, `${year}-02-02`, 5_000);
    await donate(a, storeT1, `${year}-02-03`, 2_000);
    await donate(a, storeT2, `${year}-02-04`, 3_000);
    await donate(bai, storeV1, `${year}-02-05`, 5_000);
    await donate(last, storeT1, `${year}-02-06`, 100);

    expect((await board(`year=${year}`)).ranked).toEqual([
      { rank: 1, name: '最多公司', kind: 'company', totalValueFen: 9_000, donations: 1 },
      { rank: 2, name: '阿*', kind: 'individual', totalValueFen: 5_000, donations: 2 },
      { rank: 2, name: '白云商行', kind: 'company', totalValueFen: 5_000, donations: 1 },
      { rank: 2, name: '张记粮店', kind: 'company', totalValueFen: 5_000, donations: 1 },
      { rank: 5, name: '爱心小店', kind: 'company', totalValueFen: 100, donations: 1 },
    ]);
  });

  it('ranks the top 50 (a tie for 50th stays on) and lists the rest by pinyin, not code point', async () => {
    const year = freshYear();
    for (let i = 1; i <= 49; i++) {
      await donate(await donor({ name: `前列公司${n()}` }), storeT1, `${year}-08-01`, 100_000 + i);
    }
    const tiedA = await donor({ name: `并列甲公司${n()}` });
    const tiedB = await donor({ name: `并列乙公司${n()}` });
    await donate(tiedA, storeT1, `${year}-08-02`, 50_000);
    await donate(tiedB, storeT1, `${year}-08-02`, 50_000);
    // the rest, given so that value order (张 > 陈 > 白 > 阿) and code-point order
    // (张 U+5F20 < 白 U+767D < 阿 U+963F < 陈 U+9648) both differ from pinyin order
    const rest: [NewDonor['kind'], string, number][] = [
      ['company', '张记粮店', 400],
      ['company', '陈氏商行', 300],
      ['union_member', '白雪', 200],
      ['individual', '阿强', 100],
    ];
    for (const [kind, name, value] of rest) {
      await donate(await donor({ kind, name }), storeT1, `${year}-09-01`, value);
    }
    const shy = await donor({ name: '低调公司', honorConsent: false });
    await donate(shy, storeT1, `${year}-09-02`, 50);

    const body = await board(`year=${year}`);
    expect(body.ranked).toHaveLength(51);
    expect(body.ranked[0]).toMatchObject({ rank: 1, totalValueFen: 100_049 });
    expect(body.ranked[48]).toMatchObject({ rank: 49, totalValueFen: 100_001 });
    expect(body.ranked.slice(49)).toEqual([
      expect.objectContaining({ rank: 50, name: tiedA.name, totalValueFen: 50_000 }),
      expect.objectContaining({ rank: 50, name: tiedB.name, totalValueFen: 50_000 }),
    ]);
    expect(body.others).toEqual([
      { name: '阿*', kind: 'individual' },
      { name: '白*', kind: 'union_member' },
      { name: '陈氏商行', kind: 'company' },
      { name: '张记粮店', kind: 'company' },
    ]);
    expect(JSON.stringify(body)).not.toContain('低调公司');
  });

  it('validates the year and the region', async () => {
    for (const year of ['1999', '2101', 'abc', '2026.5']) {
      const response = await t.http.get(`/api/v1/public/honor-board?year=${year}`);
      expectError(response, 400, 'VALIDATION_FAILED');
      expect(response.body.message).toContain('year');
    }
    expectError(
      await t.http.get('/api/v1/public/honor-board?regionId=0'),
      400,
      'VALIDATION_FAILED',
    );
    const unknown = await t.http.get('/api/v1/public/honor-board?year=2026&regionId=999999');
    expectError(unknown, 404, 'NOT_FOUND');
    expect(unknown.body.message).toContain('区域');
    // without a year: the county's current calendar year
    const current = Number(businessDate(new Date(), t.config.timeZone).slice(0, 4));
    expect((await board('')).year).toBe(current);
  });
});
