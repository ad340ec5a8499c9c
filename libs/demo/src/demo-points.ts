import { businessDate, SYSTEM_ACTOR, UnitOfWork, type Actor } from '@charity/common';
import {
  addMonths,
  allotmentPoints,
  allotmentReason,
  Household,
  POINTS_WORK,
  type AllotmentSchedule,
  type AllotmentsService,
  type HouseholdCategory,
  type NewPointRule,
  type PointRule,
  type PointRulesService,
  type PointsLedger,
  type PointsService,
} from '@charity/households';
import { In, type DataSource } from 'typeorm';
import { localInstant, type DemoHousehold, type LoadedDemoHousehold } from './demo-households';
import { DemoRandom } from './demo-random';

/** How many months before the current one the demo history covers. */
export const DEMO_HISTORY_MONTHS = 3;

export type DemoPointRule = NewPointRule & { monthlyCap: number | null };

/** A village 积分评定 catalogue: good conduct earns, a few offences cost. */
export const DEMO_POINT_RULES: DemoPointRule[] = [
  {
    code: 'TIDY_YARD',
    name: '庭院整洁',
    points: 5,
    monthlyCap: 1,
    description: '房前屋后干净整洁、物品摆放有序，每月评比一次',
  },
  {
    code: 'PUBLIC_LABOUR',
    name: '公益劳动',
    points: 10,
    monthlyCap: 4,
    description: '参加村道清扫、植树护绿、防汛值守等义务劳动，每次计分',
  },
  {
    code: 'FILIAL_PIETY',
    name: '孝老爱亲',
    points: 10,
    monthlyCap: null,
    description: '赡养照料老人、关爱家人，经村民代表评议',
  },
  {
    code: 'SORT_WASTE',
    name: '垃圾分类',
    points: 3,
    monthlyCap: 4,
    description: '按要求分类投放生活垃圾，网格员每周抽查',
  },
  {
    code: 'SKILL_TRAINING',
    name: '参加技能培训',
    points: 8,
    monthlyCap: null,
    description: '参加县乡组织的就业技能培训并结业',
  },
  {
    code: 'CIVIL_CUSTOMS',
    name: '移风易俗',
    points: 5,
    monthlyCap: null,
    description: '红白事简办，不大操大办、不要高价彩礼',
  },
  {
    code: 'NEIGHBOURLY',
    name: '邻里互助',
    points: 5,
    monthlyCap: 2,
    description: '帮助邻里、调解纠纷，经村委会核实',
  },
  {
    code: 'BRAVE_DEED',
    name: '见义勇为',
    points: 20,
    monthlyCap: null,
    description: '见义勇为、救助他人，经村委会核实并公示',
  },
  {
    code: 'STRAW_BURNING',
    name: '违规焚烧秸秆',
    points: -5,
    monthlyCap: null,
    description: '在田间地头焚烧秸秆、垃圾，经查实扣分',
  },
  {
    code: 'LITTERING',
    name: '乱堆乱放',
    points: -3,
    monthlyCap: null,
    description: '房前屋后乱堆柴草杂物，经提醒仍未整改扣分',
  },
];

export interface DemoAllotmentSchedule {
  category: HouseholdCategory;
  basePoints: number;
  perExtraMember: number;
  active: boolean;
}

/** 发放 by category and size; 建档立卡 households earn by 评定 only, so theirs is switched off. */
export const DEMO_ALLOTMENT_SCHEDULES: DemoAllotmentSchedule[] = [
  { category: 'wubao', basePoints: 30, perExtraMember: 5, active: true },
  { category: 'tekun', basePoints: 30, perExtraMember: 5, active: true },
  { category: 'dibao', basePoints: 20, perExtraMember: 5, active: true },
  { category: 'other', basePoints: 10, perExtraMember: 0, active: false },
];

/** One allotment or award of the demo history, at a local date and time. */
export interface PlannedPoints {
  kind: 'allotment' | 'award';
  /** `YYYY-MM`: the allotment month, or the award's evaluation period. */
  month: string;
  date: string;
  time: string;
  points: number;
  ruleCode: string | null;
  note: string | null;
}

interface AwardOdds {
  code: string;
  /** Chances a month; never more than the rule's cap. */
  tries: number;
  chance: number;
  days: readonly [number, number];
  notes?: readonly string[];
}

const AWARD_ODDS: readonly AwardOdds[] = [
  { code: 'TIDY_YARD', tries: 1, chance: 0.35, days: [25, 28] },
  {
    code: 'PUBLIC_LABOUR',
    tries: 2,
    chance: 0.25,
    days: [2, 28],
    notes: ['村道清扫', '植树护绿', '防汛值守', '清理沟渠', '文化广场义务保洁'],
  },
  { code: 'SORT_WASTE', tries: 3, chance: 0.2, days: [2, 28] },
  {
    code: 'FILIAL_PIETY',
    tries: 1,
    chance: 0.05,
    days: [20, 28],
    notes: ['长期照料卧病在床的母亲', '悉心照顾年迈公婆'],
  },
  {
    code: 'NEIGHBOURLY',
    tries: 1,
    chance: 0.05,
    days: [2, 28],
    notes: ['帮邻居抢收小麦', '调解邻里宅基地纠纷', '雪后帮独居老人清扫院子'],
  },
  {
    code: 'SKILL_TRAINING',
    tries: 1,
    chance: 0.06,
    days: [10, 20],
    notes: ['电商直播培训结业', '果树修剪培训结业', '家政服务培训结业'],
  },
  {
    code: 'CIVIL_CUSTOMS',
    tries: 1,
    chance: 0.03,
    days: [2, 28],
    notes: ['儿子婚事简办', '老人丧事简办'],
  },
  {
    code: 'STRAW_BURNING',
    tries: 1,
    chance: 0.02,
    days: [2, 28],
    notes: ['网格员巡查发现田间焚烧秸秆'],
  },
  {
    code: 'LITTERING',
    tries: 1,
    chance: 0.02,
    days: [2, 28],
    notes: ['门前乱堆柴草，经提醒未整改'],
  },
];

const BRAVE_DEEDS = ['河边救起落水儿童', '协助扑灭邻居家火情'];

/** The months of the demo history, oldest first: the three before `today`'s. */
export function demoHistoryMonths(today: string): string[] {
  const thisMonth = `${today.slice(0, 7)}-01`;
  return Array.from({ length: DEMO_HISTORY_MONTHS }, (_, i) =>
    addMonths(thisMonth, i - DEMO_HISTORY_MONTHS).slice(0, 7),
  );
}

/**
 * A household's allotments and awards over `months`, in the order they happened, drawn from a
 * seed of its own ID number so one household's history does not depend on another's. Only
 * active households appear; caps are never exceeded; a deduction comes only when the balance
 * by then covers it.
 */
export function planDemoPoints(demo: DemoHousehold, months: readonly string[]): PlannedPoints[] {
  if (demo.status !== 'active') return [];
  const random = new DemoRandom(seedOf(demo.idNumber));
  const rules = new Map(DEMO_POINT_RULES.map((rule) => [rule.code, rule]));
  const schedule = DEMO_ALLOTMENT_SCHEDULES.find((s) => s.category === demo.category && s.active);
  const birthYear = Number(demo.idNumber.slice(6, 10));
  const planned: PlannedPoints[] = [];
  for (const month of months) {
    if (schedule) {
      planned.push({
        kind: 'allotment',
        month,
        date: `${month}-01`,
        time: '00:30',
        points: allotmentPoints(schedule, demo.memberCount),
        ruleCode: null,
        note: null,
      });
    }
    for (const odds of AWARD_ODDS) {
      const rule = rules.get(odds.code);
      if (!rule) continue;
      // training is for people of working age; the oldest do less heavy work
      if (odds.code === 'SKILL_TRAINING' && birthYear < 1965) continue;
      const chance = odds.code === 'PUBLIC_LABOUR' && birthYear < 1950 ? 0.1 : odds.chance;
      const tries = Math.min(odds.tries, rule.monthlyCap ?? odds.tries);
      for (let i = 0; i < tries; i += 1) {
        if (!random.chance(chance)) continue;
        planned.push(award(random, month, rule, odds.days, odds.notes));
      }
    }
  }
  // a couple of households did something the whole village talked about
  const brave = rules.get('BRAVE_DEED');
  const month = months[1];
  if (brave && month && seedOf(demo.idNumber) % 101 === 13) {
    planned.push(award(random, month, brave, [5, 25], BRAVE_DEEDS));
  }
  planned.sort((a, b) => `${a.date}${a.time}`.localeCompare(`${b.date}${b.time}`));
  let balance = 0;
  return planned.filter((entry) => {
    if (balance + entry.points < 0) return false;
    balance += entry.points;
    return true;
  });
}

export interface DemoPointsRun {
  rules: number;
  allotments: number;
  awards: number;
}

export interface DemoPointsServices {
  rules: PointRulesService;
  points: PointsService;
  ledger: PointsLedger;
  allotments: AllotmentsService;
}

/**
 * The rule catalogue, the allotment schedules and three months of history for the demo
 * households. Allotments are booked through the ledger as a monthly run books them, awards
 * through PointsService.awardIn (caps enforced), one transaction per village, so balances,
 * grants and allocations agree exactly. Awards are judged by the home store's manager.
 */
export async function loadDemoPoints(
  dataSource: DataSource,
  services: DemoPointsServices,
  loaded: LoadedDemoHousehold[],
  judges: Map<number, Actor>,
  timeZone: string,
): Promise<DemoPointsRun> {
  const rules = new Map<string, PointRule>();
  await dataSource.transaction(async (em) => {
    for (const rule of DEMO_POINT_RULES) {
      rules.set(rule.code, await services.rules.createIn(em, SYSTEM_ACTOR, rule));
    }
  });
  const schedules = new Map<HouseholdCategory, AllotmentSchedule>();
  for (const { category, ...schedule } of DEMO_ALLOTMENT_SCHEDULES) {
    schedules.set(
      category,
      await services.allotments.updateSchedule(SYSTEM_ACTOR, category, schedule),
    );
  }

  const months = demoHistoryMonths(businessDate(new Date(), timeZone));
  const villages = new Map<string, LoadedDemoHousehold[]>();
  for (const item of loaded) {
    villages.set(item.demo.village, [...(villages.get(item.demo.village) ?? []), item]);
  }
  const run: DemoPointsRun = { rules: rules.size, allotments: 0, awards: 0 };
  for (const group of villages.values()) {
    await UnitOfWork.run(dataSource, POINTS_WORK, async (uow) => {
      const em = uow.manager;
      const locked = await em.find(Household, {
        where: { id: In(group.map((item) => item.household.id)) },
        order: { id: 'ASC' },
        lock: { mode: 'pessimistic_write' },
      });
      const byId = new Map(locked.map((household) => [household.id, household]));
      for (const { demo, household: inserted } of group) {
        const household = byId.get(inserted.id);
        if (!household) continue;
        const judge = judges.get(household.homeStoreId) ?? SYSTEM_ACTOR;
        for (const entry of planDemoPoints(demo, months)) {
          const occurredAt = localInstant(entry.date, entry.time, timeZone);
          const rule = entry.ruleCode === null ? undefined : rules.get(entry.ruleCode);
          const schedule = schedules.get(demo.category);
          if (entry.kind === 'allotment' && schedule) {
            await services.ledger.post(em, SYSTEM_ACTOR, household, {
              kind: 'allotment',
              points: entry.points,
              storeId: household.homeStoreId,
              reason: allotmentReason(entry.month, demo.category),
              sourceType: 'allotment',
              sourceId: schedule.id,
              allotmentMonth: entry.month,
              occurredAt,
            });
            run.allotments += 1;
          } else if (rule) {
            await services.points.awardIn(em, judge, household, rule, {
              period: entry.month,
              note: entry.note,
              sourceType: 'rule',
              occurredAt,
            });
            run.awards += 1;
          }
        }
      }
    });
  }
  return run;
}

function award(
  random: DemoRandom,
  month: string,
  rule: DemoPointRule,
  days: readonly [number, number],
  notes: readonly string[] | undefined,
): PlannedPoints {
  const day = String(random.int(days[0], days[1])).padStart(2, '0');
  const time = `${String(random.int(8, 17)).padStart(2, '0')}:${String(random.int(0, 59)).padStart(2, '0')}`;
  return {
    kind: 'award',
    month,
    date: `${month}-${day}`,
    time,
    points: rule.points,
    ruleCode: rule.code,
    note: notes ? random.pick(notes) : null,
  };
}

/** FNV-1a of a string: a stable seed per household. */
function seedOf(value: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < value.length; i += 1) {
    hash ^= value.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}
