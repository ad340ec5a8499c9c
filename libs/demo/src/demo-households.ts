import type { AuditService } from '@charity/audit';
import { businessDate, SYSTEM_ACTOR } from '@charity/common';
import {
  addMonths,
  Household,
  newCardNumber,
  withCheckCharacter,
  type HouseholdCategory,
  type HouseholdsService,
  type HouseholdStatus,
} from '@charity/households';
import { In, type DataSource } from 'typeorm';
import { DEMO_REGIONS, DEMO_STORES } from './demo-county';
import { DemoRandom } from './demo-random';

/** Every fresh install draws the same households from this seed. */
export const DEMO_HOUSEHOLD_SEED = 0x51a05a11;

/** Households per village (region keys of DEMO_REGIONS); 200 in all. */
export const DEMO_VILLAGE_SIZES: readonly (readonly [string, number])[] = [
  ['dongjie', 30],
  ['xiguan', 32],
  ['shangzhuang', 36],
  ['nanling', 34],
  ['wangzhuang', 38],
  ['hedong', 30],
];

/** Shares of the county's 兜底户 by category: 五保 15%, 低保 45%, 特困 15%, 建档立卡 25%. */
export const DEMO_CATEGORY_SHARES: readonly (readonly [HouseholdCategory, number])[] = [
  ['wubao', 0.15],
  ['dibao', 0.45],
  ['tekun', 0.15],
  ['other', 0.25],
];

const SUSPENDED_COUNT = 5;

/**
 * One demo household. Dates are months before the current one, so the history always ends last
 * month; suspensions and exits happened before the three months of points history.
 */
export interface DemoHousehold {
  /** Region key of the village in DEMO_REGIONS. */
  village: string;
  headName: string;
  idNumber: string;
  category: HouseholdCategory;
  memberCount: number;
  phone: string | null;
  address: string;
  status: HouseholdStatus;
  statusReason: string | null;
  /** Months before the current one in which the household was registered. */
  registeredMonthsAgo: number;
  /** Months before the current one in which it was suspended or exited; null while active. */
  statusMonthsAgo: number | null;
  /** Day of the month (1–28) of those dates. */
  day: number;
}

export interface LoadedDemoHousehold {
  demo: DemoHousehold;
  household: Household;
}

// common surnames of a county in Henan, weighted roughly as they occur
const SURNAMES: readonly (readonly [string, number])[] = [
  ['王', 10],
  ['李', 9],
  ['张', 9],
  ['刘', 7],
  ['陈', 5],
  ['杨', 5],
  ['赵', 4],
  ['郭', 4],
  ['周', 3],
  ['孙', 3],
  ['马', 3],
  ['朱', 3],
  ['高', 3],
  ['吴', 2],
  ['胡', 2],
  ['宋', 2],
  ['郑', 2],
  ['徐', 2],
  ['韩', 2],
  ['冯', 2],
  ['董', 2],
  ['付', 2],
  ['田', 2],
  ['何', 1],
  ['崔', 1],
  ['申', 1],
  ['牛', 1],
  ['史', 1],
  ['岳', 1],
  ['侯', 1],
];

/** Villages named after a clan are mostly that clan. */
const VILLAGE_CLANS: Record<string, string> = {
  wangzhuang: '王',
  shangzhuang: '李',
  nanling: '张',
  hedong: '刘',
};

const GIVEN_NAMES = {
  olderMen: [
    '建国',
    '国强',
    '振华',
    '德福',
    '长顺',
    '保国',
    '福生',
    '根生',
    '金山',
    '铁柱',
    '学文',
    '新民',
    '富贵',
    '满仓',
    '春生',
    '有才',
    '明山',
    '广田',
    '守义',
    '成林',
  ],
  olderWomen: [
    '秀英',
    '桂兰',
    '玉兰',
    '淑芬',
    '凤英',
    '秀兰',
    '桂英',
    '春花',
    '翠花',
    '素梅',
    '玉梅',
    '秀珍',
    '桂芝',
    '凤琴',
    '玉珍',
    '爱莲',
    '金花',
    '兰英',
  ],
  youngerMen: [
    '伟',
    '磊',
    '勇',
    '军',
    '强',
    '涛',
    '鹏',
    '超',
    '建伟',
    '志强',
    '海涛',
    '红军',
    '卫东',
    '建军',
    '国庆',
    '亚飞',
    '俊杰',
    '小龙',
  ],
  youngerWomen: [
    '丽',
    '娜',
    '静',
    '敏',
    '艳',
    '芳',
    '燕',
    '霞',
    '丽娟',
    '红梅',
    '晓燕',
    '春燕',
    '海霞',
    '翠萍',
    '丽华',
    '慧敏',
  ],
} as const;

/** Birth years by category: 五保 and 特困 are mostly old people living alone. */
const BIRTH_YEARS: Record<HouseholdCategory, readonly [number, number]> = {
  wubao: [1935, 1958],
  tekun: [1938, 1975],
  dibao: [1945, 1990],
  other: [1955, 1995],
};

const MEMBER_COUNTS: Record<HouseholdCategory, readonly (readonly [number, number])[]> = {
  wubao: [
    [1, 9],
    [2, 1],
  ],
  tekun: [
    [1, 15],
    [2, 4],
    [3, 1],
  ],
  dibao: [
    [1, 15],
    [2, 25],
    [3, 25],
    [4, 20],
    [5, 10],
    [6, 5],
  ],
  other: [
    [1, 5],
    [2, 15],
    [3, 25],
    [4, 30],
    [5, 15],
    [6, 10],
  ],
};

/** The county's own region code for most; a few were born in neighbouring counties. */
const ID_REGION_CODES: readonly (readonly [string, number])[] = [
  ['410523', 88],
  ['410522', 4],
  ['410526', 3],
  ['410527', 3],
  ['410581', 2],
];

const MOBILE_PREFIXES = [
  '134',
  '135',
  '136',
  '137',
  '138',
  '139',
  '150',
  '151',
  '152',
  '155',
  '158',
  '159',
  '176',
  '182',
  '187',
  '188',
  '189',
];

const COMMUNITY_STREETS = ['东大街', '鼓楼巷', '新华路', '育才街'];

const SUSPENSION_REASONS = [
  '外出务工，暂停发放',
  '家庭收入复核中，暂停发放',
  '迁居外地投靠子女，待核实',
  '年度复核未到场，暂停发放',
  '户主长期住院，待家属办理代领手续',
];

const EXIT_REASONS: Partial<Record<HouseholdCategory, string>> = {
  dibao: '家庭人均收入超过低保标准，经年度复核退出',
  other: '子女就业稳定，经村民代表评议退出',
};

/**
 * The demo county's 200 兜底户, the same on every install. ID numbers carry valid check
 * characters and are unique by construction: each household gets its own sequence number, whose
 * last digit is odd for a man and even for a woman as on a real card.
 */
export function demoHouseholds(): DemoHousehold[] {
  const random = new DemoRandom(DEMO_HOUSEHOLD_SEED);
  const total = DEMO_VILLAGE_SIZES.reduce((sum, [, size]) => sum + size, 0);
  const categories = random.shuffle(exactShares(total));
  // each household a distinct sequence slot 1–499 (sequence = slot * 2 + sex digit)
  const slots = random.shuffle(Array.from({ length: 499 }, (_, i) => i + 1));
  const regions = new Map(DEMO_REGIONS.map((region) => [region.key, region]));
  const phones = new Set<string>();

  const households: DemoHousehold[] = [];
  for (const [village, size] of DEMO_VILLAGE_SIZES) {
    const region = regions.get(village);
    const township = region?.parent ? regions.get(region.parent) : undefined;
    if (!region || !township) throw new Error(`demo village ${village} is not in DEMO_REGIONS`);
    const clan = VILLAGE_CLANS[village];
    const surnames = clan
      ? SURNAMES.map(([name, weight]) => [name, name === clan ? weight + 30 : weight] as const)
      : SURNAMES;
    for (let i = 0; i < size; i += 1) {
      const index = households.length;
      const category = categories[index] ?? 'dibao';
      const [from, to] = BIRTH_YEARS[category];
      const birthYear = random.int(from, to);
      const male = random.chance(0.6);
      const older = birthYear < 1965;
      const given = random.pick(
        male
          ? older
            ? GIVEN_NAMES.olderMen
            : GIVEN_NAMES.youngerMen
          : older
            ? GIVEN_NAMES.olderWomen
            : GIVEN_NAMES.youngerWomen,
      );
      const birth = `${birthYear}${pad(random.int(1, 12))}${pad(random.int(1, 28))}`;
      const sequence = String((slots[index] ?? index) * 2 + (male ? 1 : 0)).padStart(3, '0');
      const address =
        // a town 社区 has streets; a village has 村民小组 (组)
        region.name.endsWith('社区')
          ? `青山县${township.name}${region.name}${random.pick(COMMUNITY_STREETS)}${random.int(1, 120)}号`
          : `青山县${township.name}${region.name}${random.int(1, 8)}组${random.int(1, 60)}号`;
      households.push({
        village,
        headName: random.weighted(surnames) + given,
        idNumber: withCheckCharacter(`${random.weighted(ID_REGION_CODES)}${birth}${sequence}`),
        category,
        memberCount: random.weighted(MEMBER_COUNTS[category]),
        phone: random.chance(older ? 0.7 : 0.95) ? uniquePhone(random, phones) : null,
        address,
        status: 'active',
        statusReason: null,
        registeredMonthsAgo: random.int(8, 30),
        statusMonthsAgo: null,
        day: random.int(1, 28),
      });
    }
  }

  // a few suspended while their allotment is checked; a 低保 and a 建档立卡 household that left
  const order = random.shuffle(households.map((_, i) => i));
  const exited = (['dibao', 'other'] as const).flatMap((category) =>
    order.filter((i) => households[i]?.category === category).slice(0, 1),
  );
  const suspended = order
    .filter((i) => !exited.includes(i) && households[i]?.category !== 'other')
    .slice(0, SUSPENDED_COUNT);
  for (const i of exited) {
    const household = households[i];
    if (!household) continue;
    household.status = 'exited';
    household.statusReason = EXIT_REASONS[household.category] ?? null;
    household.statusMonthsAgo = random.int(4, 6);
  }
  suspended.forEach((i, n) => {
    const household = households[i];
    if (!household) return;
    household.status = 'suspended';
    household.statusReason = SUSPENSION_REASONS[n % SUSPENSION_REASONS.length] ?? null;
    household.statusMonthsAgo = random.int(4, 6);
  });
  return households;
}

/** The store a village's households shop at: its own, else its township's. */
export function demoHomeStore(village: string): string {
  const parent = DEMO_REGIONS.find((region) => region.key === village)?.parent;
  const store =
    DEMO_STORES.find((s) => s.region === village) ?? DEMO_STORES.find((s) => s.region === parent);
  if (!store) throw new Error(`no demo store serves ${village}`);
  return store.code;
}

/**
 * Registers the demo households, one transaction and one multi-row insert per village, each
 * audited as `household.create` like a registration at the counter.
 */
export async function loadDemoHouseholds(
  dataSource: DataSource,
  households: HouseholdsService,
  audit: AuditService,
  regionIds: Map<string, number>,
  storeIds: Map<string, number>,
  timeZone: string,
): Promise<LoadedDemoHousehold[]> {
  const thisMonth = `${businessDate(new Date(), timeZone).slice(0, 7)}-01`;
  const dateAgo = (months: number, day: number): string =>
    `${addMonths(thisMonth, -months).slice(0, 7)}-${pad(day)}`;
  const cards = new Set<string>();
  const loaded: LoadedDemoHousehold[] = [];
  const all = demoHouseholds();
  for (const [village] of DEMO_VILLAGE_SIZES) {
    const regionId = regionIds.get(village);
    const homeStoreId = storeIds.get(demoHomeStore(village));
    if (regionId === undefined || homeStoreId === undefined) continue;
    const group = all.filter((demo) => demo.village === village);
    await dataSource.transaction(async (em) => {
      const rows = group.map((demo, i) => {
        let cardNo = newCardNumber();
        while (cards.has(cardNo)) cardNo = newCardNumber();
        cards.add(cardNo);
        const registered = localInstant(
          dateAgo(demo.registeredMonthsAgo, demo.day),
          `${pad(9 + (i % 8))}:${pad((i * 7) % 60)}`,
          timeZone,
        );
        const changedOn =
          demo.statusMonthsAgo === null ? null : dateAgo(demo.statusMonthsAgo, demo.day);
        return em.create(Household, {
          cardNo,
          headName: demo.headName,
          ...households.seal(demo.idNumber, demo.phone),
          category: demo.category,
          memberCount: demo.memberCount,
          regionId,
          homeStoreId,
          address: demo.address,
          status: demo.status,
          exitedOn: demo.status === 'exited' ? changedOn : null,
          statusReason: demo.statusReason,
          balance: 0,
          createdBy: null,
          createdAt: registered,
          updatedAt: changedOn ? localInstant(changedOn, '15:00', timeZone) : registered,
        });
      });
      await em.insert(Household, rows);
      // read the ids back rather than trust consecutive auto-increment values
      const ids = await em.find(Household, {
        where: { cardNo: In(rows.map((row) => row.cardNo)) },
        select: { id: true, cardNo: true },
      });
      const idByCard = new Map(ids.map((row) => [row.cardNo, row.id]));
      for (const [i, row] of rows.entries()) {
        row.id = idByCard.get(row.cardNo) ?? 0;
        await audit.record(em, SYSTEM_ACTOR, {
          action: 'household.create',
          entityType: 'household',
          entityId: row.id,
          summary: `登记困难户 ${row.cardNo}（身份证 ${row.idNumberMasked}，演示数据）`,
          storeId: homeStoreId,
        });
        const demo = group[i];
        if (demo) loaded.push({ demo, household: row });
      }
    });
  }
  return loaded;
}

/**
 * The instant a local wall-clock time (`YYYY-MM-DD`, `HH:MM`) names in `timeZone`: the 1st of
 * March 00:30 in Asia/Shanghai is 16:30Z on the last day of February.
 */
export function localInstant(date: string, time: string, timeZone: string): Date {
  const wall = Date.parse(`${date}T${time}:00Z`);
  let instant = wall;
  // twice, so a time next to a daylight-saving change settles on the offset in force then
  for (let pass = 0; pass < 2; pass += 1) instant = wall - offsetAt(new Date(instant), timeZone);
  return new Date(instant);
}

/** How far `timeZone`'s wall clock is ahead of UTC at `instant`, in milliseconds. */
function offsetAt(instant: Date, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(instant);
  const part = (type: Intl.DateTimeFormatPartTypes): number =>
    Number(parts.find((p) => p.type === type)?.value ?? 0);
  const wall = Date.UTC(
    part('year'),
    part('month') - 1,
    part('day'),
    part('hour'),
    part('minute'),
    part('second'),
  );
  return wall - Math.floor(instant.getTime() / 1000) * 1000;
}

/** Categories in exact proportion to DEMO_CATEGORY_SHARES, the remainder to the largest. */
function exactShares(total: number): HouseholdCategory[] {
  const counts = DEMO_CATEGORY_SHARES.map(
    ([category, share]) => [category, Math.floor(total * share)] as const,
  );
  const assigned = counts.reduce((sum, [, count]) => sum + count, 0);
  const list = counts.flatMap(([category, count]) => Array.from({ length: count }, () => category));
  for (let i = assigned; i < total; i += 1) list.push('dibao');
  return list;
}

function uniquePhone(random: DemoRandom, taken: Set<string>): string {
  for (;;) {
    const phone = random.pick(MOBILE_PREFIXES) + String(random.int(0, 99_999_999)).padStart(8, '0');
    if (!taken.has(phone)) {
      taken.add(phone);
      return phone;
    }
  }
}

function pad(value: number): string {
  return String(value).padStart(2, '0');
}
