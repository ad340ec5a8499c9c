// Hand-built reports for the renderers' specs: a county month with figures that add up.
import type {
  AidRegisterRow,
  BreakdownRow,
  DonationRegisterRow,
  DonorImpact,
  MonthlyReport,
  PeriodFigures,
  TrendPoint,
} from '../monthly-report.types';

export const HEADLINE =
  '本月全县共有12个爱心超市开展服务，收到社会各界捐赠物资价值3.02万元、现金5000元，救助兜底户215户386人次';

export const TOWNSHIP_NAMES = ['城关镇', '青石镇', '柳河乡', '白云乡', '东山镇', '西岭乡'];

export function periodFigures(): PeriodFigures {
  return {
    stores: { active: 12 },
    donations: {
      count: 48,
      donors: 31,
      goodsValueFen: 3_023_456,
      cashFen: 500_000,
      totalValueFen: 3_523_456,
      byDonorKind: [
        { kind: 'company', label: '企业', count: 20, donors: 9, totalValueFen: 2_400_000 },
        { kind: 'individual', label: '个人', count: 25, donors: 20, totalValueFen: 623_456 },
        { kind: 'organization', label: '单位/组织', count: 3, donors: 2, totalValueFen: 500_000 },
      ],
      byCategory: [
        { categoryId: 1, name: '粮油', quantity: 420, valueFen: 1_800_000 },
        { categoryId: 2, name: '日用品', quantity: 310, valueFen: 923_456 },
        { categoryId: 3, name: '衣物被褥', quantity: 60, valueFen: 300_000 },
      ],
      topDonors: [
        {
          donorId: 7,
          name: '青山县宏达建材有限公司',
          kind: 'company',
          count: 4,
          totalValueFen: 1_200_000,
        },
        {
          donorId: 9,
          name: '青山县农村商业银行',
          kind: 'company',
          count: 2,
          totalValueFen: 600_000,
        },
        { donorId: 3, name: '县妇联', kind: 'organization', count: 3, totalValueFen: 500_000 },
      ],
      corrections: { count: 0, totalValueFen: 0 },
    },
    aid: {
      households: 215,
      visits: 386,
      pointsRedeemed: 57_900,
      goodsValueFen: 2_895_050,
      byCategory: [
        {
          category: 'wubao',
          label: '五保',
          households: 40,
          visits: 70,
          pointsRedeemed: 10_500,
          goodsValueFen: 525_000,
        },
        {
          category: 'dibao',
          label: '低保',
          households: 110,
          visits: 200,
          pointsRedeemed: 30_000,
          goodsValueFen: 1_500_050,
        },
        {
          category: 'tekun',
          label: '特困',
          households: 35,
          visits: 66,
          pointsRedeemed: 9_900,
          goodsValueFen: 495_000,
        },
        {
          category: 'other',
          label: '其他',
          households: 30,
          visits: 50,
          pointsRedeemed: 7_500,
          goodsValueFen: 375_000,
        },
      ],
      corrections: { visits: 0, pointsRedeemed: 0, goodsValueFen: 0 },
    },
    points: {
      issued: 80_000,
      redeemed: 57_900,
      expired: 1_200,
      adjusted: -300,
      outstanding: 143_600,
    },
    stock: { onHandValueFen: 12_345_678, expiredWriteOffValueFen: 4_560 },
  };
}

/** Six townships of two stores each; their figures sum to the report's. */
export function townships(): BreakdownRow[] {
  const visits = [96, 70, 60, 60, 50, 50];
  return TOWNSHIP_NAMES.map((name, i) => ({
    regionId: 100 + i,
    storeId: null,
    code: `T${String(i + 1).padStart(2, '0')}`,
    name,
    activeStores: 2,
    donationCount: 8,
    donationValueFen: i === 0 ? 3_523_456 - 5 * 587_243 : 587_243,
    households: i === 0 ? 55 : 32,
    visits: visits[i],
    pointsRedeemed: visits[i] * 150,
    goodsValueFen: visits[i] * 7_500 + (i === 0 ? 50 : 0),
  }));
}

/** Two stores per township, splitting its figures, so they too sum to the report's. */
export function storesOfTownships(): BreakdownRow[] {
  return townships().flatMap((township, t) =>
    [0, 1].map((half) => {
      const split = (n: number) => (half === 0 ? Math.ceil(n / 2) : Math.floor(n / 2));
      return {
        regionId: township.regionId,
        storeId: 2 * t + half + 1,
        code: `QS${String(2 * t + half + 1).padStart(3, '0')}`,
        name: `${township.name}${half === 0 ? '中心' : '便民'}爱心超市`,
        activeStores: 1,
        donationCount: split(township.donationCount),
        donationValueFen: split(township.donationValueFen),
        households: split(township.households),
        visits: split(township.visits),
        pointsRedeemed: split(township.pointsRedeemed),
        goodsValueFen: split(township.goodsValueFen),
      };
    }),
  );
}

/** Any number of identical stores, for long tables. */
export function stores(count: number): BreakdownRow[] {
  return Array.from({ length: count }, (_, i) => ({
    regionId: 100 + (i % TOWNSHIP_NAMES.length),
    storeId: i + 1,
    code: `QS${String(i + 1).padStart(3, '0')}`,
    name: `${TOWNSHIP_NAMES[i % TOWNSHIP_NAMES.length]}第${i + 1}爱心超市`,
    activeStores: 1,
    donationCount: 4,
    donationValueFen: 100_001,
    households: 18,
    visits: 32,
    pointsRedeemed: 4_800,
    goodsValueFen: 240_000,
  }));
}

export function trend(month = '2026-03'): TrendPoint[] {
  const [year, m] = month.split('-').map(Number);
  return Array.from({ length: 12 }, (_, i) => {
    const date = new Date(Date.UTC(year, m - 12 + i, 1));
    return {
      month: `${date.getUTCFullYear()}-${String(date.getUTCMonth() + 1).padStart(2, '0')}`,
      donationValueFen: 1_500_000 + ((i * 7) % 12) * 250_000,
      visits: 250 + ((i * 5) % 12) * 15,
      households: 150 + i * 5,
    };
  });
}

export function monthlyReport(overrides: Partial<MonthlyReport> = {}): MonthlyReport {
  const yearToDate = periodFigures();
  yearToDate.donations.count = 131;
  yearToDate.donations.totalValueFen = 10_012_345;
  yearToDate.donations.goodsValueFen = 8_512_345;
  yearToDate.donations.cashFen = 1_500_000;
  yearToDate.aid.visits = 1_102;
  const lastYear = periodFigures();
  lastYear.stores.active = 9;
  lastYear.donations.totalValueFen = 2_100_000;
  lastYear.aid.visits = 301;
  return {
    ...periodFigures(),
    month: '2026-03',
    region: { id: 1, level: 'county', name: '青山县' },
    yearToDate,
    lastYear,
    townships: townships(),
    storesBreakdown: storesOfTownships(),
    trend: trend(),
    headline: HEADLINE,
    source: 'snapshot',
    closedAt: '2026-04-02T01:30:00.000Z',
    generatedAt: '2026-04-02T01:31:05.000Z',
    ...overrides,
  };
}

/** A month with nothing in it: no donations, no aid, no trend. */
export function emptyReport(): MonthlyReport {
  const zero = (): PeriodFigures => ({
    stores: { active: 0 },
    donations: {
      count: 0,
      donors: 0,
      goodsValueFen: 0,
      cashFen: 0,
      totalValueFen: 0,
      byDonorKind: [],
      byCategory: [],
      topDonors: [],
      corrections: { count: 0, totalValueFen: 0 },
    },
    aid: {
      households: 0,
      visits: 0,
      pointsRedeemed: 0,
      goodsValueFen: 0,
      byCategory: [],
      corrections: { visits: 0, pointsRedeemed: 0, goodsValueFen: 0 },
    },
    points: { issued: 0, redeemed: 0, expired: 0, adjusted: 0, outstanding: 0 },
    stock: { onHandValueFen: 0, expiredWriteOffValueFen: 0 },
  });
  return {
    ...zero(),
    month: '2026-01',
    region: { id: 2, level: 'county', name: '白水县' },
    yearToDate: zero(),
    lastYear: null,
    townships: [
      {
        ...townships()[0],
        donationCount: 0,
        donationValueFen: 0,
        households: 0,
        visits: 0,
        pointsRedeemed: 0,
        goodsValueFen: 0,
      },
    ],
    storesBreakdown: [],
    trend: trend('2026-01').map((point) => ({
      ...point,
      donationValueFen: 0,
      visits: 0,
      households: 0,
    })),
    headline: '本月全县共有0个爱心超市开展服务，未收到社会各界捐赠，救助兜底户0户0人次',
    source: 'live',
    closedAt: null,
    generatedAt: '2026-01-15T02:00:00.000Z',
  };
}

export function donationRegister(count: number): DonationRegisterRow[] {
  return Array.from({ length: count }, (_, i) => {
    const cashOnly = i % 10 === 9;
    return {
      donationId: 1_000 + Math.floor(i / 2),
      receiptNo: `JZ-QS01-2026-${String(1_000 + Math.floor(i / 2)).padStart(6, '0')}`,
      receivedDate: `2026-03-${String((i % 28) + 1).padStart(2, '0')}`,
      storeId: 1,
      storeName: '城关镇第1爱心超市',
      donorId: 7,
      donorName: '青山县宏达建材有限公司',
      donorKind: 'company',
      lineNo: cashOnly ? null : (i % 2) + 1,
      productName: cashOnly ? null : '金龙鱼大豆油 5L',
      categoryName: cashOnly ? null : '粮油',
      quantity: cashOnly ? null : 10,
      unit: cashOnly ? null : '桶',
      unitValueFen: cashOnly ? null : 6_990,
      amountFen: cashOnly ? 0 : 69_900,
      cashFen: cashOnly ? 50_001 : 0,
      // line 4 voided within the month; line 8 voided after it ended, so still counted
      status: i === 3 || i === 7 ? 'voided' : 'active',
      countsInMonth: i !== 3,
    };
  });
}

export function aidRegister(count: number): AidRegisterRow[] {
  return Array.from({ length: count }, (_, i) => ({
    redemptionId: i + 1,
    receiptNo: `DH-QS01-2026-${String(i + 1).padStart(7, '0')}`,
    businessDate: `2026-03-${String((i % 28) + 1).padStart(2, '0')}`,
    storeId: (i % 12) + 1,
    storeName: `${TOWNSHIP_NAMES[i % 6]}第${(i % 12) + 1}爱心超市`,
    townshipName: TOWNSHIP_NAMES[i % 6],
    cardNo: `0${String(330_000_000 + i)}`,
    householdCategory: 'dibao',
    householdCategoryLabel: '低保',
    fulfilment: i % 7 === 0 ? 'delivery' : 'pickup',
    // every 50th undone within the month, except the 101st, voided after it ended
    status: i === 150 ? 'cancelled' : i % 50 === 0 ? 'voided' : 'completed',
    lines: (i % 5) + 1,
    pointsTotal: 150,
    goodsValueFen: 7_501,
    countsInMonth: i % 50 !== 0 || i === 100,
  }));
}

export function donorImpact(overrides: Partial<DonorImpact> = {}): DonorImpact {
  return {
    donorId: 7,
    donorName: '青山县宏达建材有限公司',
    year: 2026,
    donatedValueFen: 1_200_000,
    donatedQuantity: 300,
    givenOutValueFen: 1_024_350,
    givenOutQuantity: 256,
    givenOutPercent: 85.4,
    households: 87,
    visits: 143,
    townships: [
      { name: '城关镇', households: 40, visits: 66, valueFen: 480_000 },
      { name: '青石镇', households: 27, visits: 45, valueFen: 324_350 },
      { name: '柳河乡', households: 20, visits: 32, valueFen: 220_000 },
    ],
    products: [
      { name: '金龙鱼大豆油 5L', unit: '桶', donatedQuantity: 100, givenOutQuantity: 92 },
      { name: '五常大米 10kg', unit: '袋', donatedQuantity: 120, givenOutQuantity: 104 },
      { name: '棉被', unit: '床', donatedQuantity: 80, givenOutQuantity: 60 },
    ],
    ...overrides,
  };
}
