import {
  allotmentPoints,
  HOUSEHOLD_CATEGORIES,
  idNumberProblem,
  type HouseholdCategory,
} from '@charity/households';
import { DEMO_REGIONS, DEMO_STORES } from './demo-county';
import {
  DEMO_VILLAGE_SIZES,
  demoHomeStore,
  demoHouseholds,
  localInstant,
  type DemoHousehold,
} from './demo-households';
import {
  DEMO_ALLOTMENT_SCHEDULES,
  DEMO_POINT_RULES,
  demoHistoryMonths,
  planDemoPoints,
} from './demo-points';

describe('demo households', () => {
  const households = demoHouseholds();

  it('draws the same two hundred households every time', () => {
    expect(households).toHaveLength(200);
    expect(demoHouseholds()).toEqual(households);
    const villages = DEMO_REGIONS.filter((region) => region.level === 'village');
    for (const village of villages) {
      const size = households.filter((h) => h.village === village.key).length;
      expect(size).toBe(DEMO_VILLAGE_SIZES.find(([key]) => key === village.key)?.[1]);
      expect(size).toBeGreaterThan(20);
    }
  });

  it('gives every household a valid, unique ID number born 1935–1995 and a realistic name', () => {
    const ids = households.map((h) => h.idNumber);
    expect(new Set(ids).size).toBe(ids.length);
    for (const h of households) {
      expect(idNumberProblem(h.idNumber, '2026-01-01')).toBeNull();
      const birthYear = Number(h.idNumber.slice(6, 10));
      expect(birthYear).toBeGreaterThanOrEqual(1935);
      expect(birthYear).toBeLessThanOrEqual(1995);
      expect(h.headName).toMatch(/^[\u4e00-\u9fa5]{2,3}$/);
    }
    // mostly the county's own region code
    const local = ids.filter((id) => id.startsWith('410523')).length;
    expect(local).toBeGreaterThan(households.length * 0.75);
    // many surnames, a few common ones dominate, as in a real county
    const surnames = new Set(households.map((h) => h.headName[0]));
    expect(surnames.size).toBeGreaterThanOrEqual(15);
  });

  it('keeps the category mix 五保 15%, 低保 45%, 特困 15%, 建档立卡 25%', () => {
    const count = (category: HouseholdCategory) =>
      households.filter((h) => h.category === category).length;
    expect(Object.fromEntries(HOUSEHOLD_CATEGORIES.map((c) => [c, count(c)]))).toEqual({
      wubao: 30,
      dibao: 90,
      tekun: 30,
      other: 50,
    });
  });

  it('sizes households 1–6, 五保 and 特困 mostly living alone', () => {
    for (const h of households) {
      expect(h.memberCount).toBeGreaterThanOrEqual(1);
      expect(h.memberCount).toBeLessThanOrEqual(6);
    }
    const alone = (category: HouseholdCategory) => {
      const group = households.filter((h) => h.category === category);
      return group.filter((h) => h.memberCount === 1).length / group.length;
    };
    expect(alone('wubao')).toBeGreaterThan(0.7);
    expect(alone('tekun')).toBeGreaterThan(0.6);
    expect(alone('dibao')).toBeLessThan(0.4);
  });

  it('gives most a mobile phone and everyone an address in their village', () => {
    const phones = households.flatMap((h) => (h.phone ? [h.phone] : []));
    expect(phones.length).toBeGreaterThan(households.length * 0.7);
    expect(phones.length).toBeLessThan(households.length);
    for (const phone of phones) expect(phone).toMatch(/^1[3-9]\d{9}$/);
    for (const h of households) {
      const village = DEMO_REGIONS.find((region) => region.key === h.village);
      expect(h.address).toContain(village?.name);
    }
  });

  it('has a few suspended and a couple of exited households, with reasons, before the history', () => {
    const suspended = households.filter((h) => h.status === 'suspended');
    const exited = households.filter((h) => h.status === 'exited');
    expect(suspended.length).toBeGreaterThanOrEqual(3);
    expect(suspended.length).toBeLessThanOrEqual(8);
    expect(exited).toHaveLength(2);
    for (const h of [...suspended, ...exited]) {
      expect(h.statusReason).toBeTruthy();
      expect(h.statusMonthsAgo).toBeGreaterThan(3);
      expect(h.registeredMonthsAgo).toBeGreaterThan(h.statusMonthsAgo ?? 0);
    }
    for (const h of exited) expect(['dibao', 'other']).toContain(h.category);
  });

  it('sends each village to its own store, else to its township’s', () => {
    expect(demoHomeStore('wangzhuang')).toBe('QS04');
    expect(demoHomeStore('hedong')).toBe('QS03');
    expect(demoHomeStore('shangzhuang')).toBe('QS02');
    expect(demoHomeStore('xiguan')).toBe('QS01');
    const served = new Set(DEMO_VILLAGE_SIZES.map(([village]) => demoHomeStore(village)));
    expect(served).toEqual(new Set(DEMO_STORES.map((store) => store.code)));
  });
});

describe('demo points', () => {
  const households = demoHouseholds();
  const months = demoHistoryMonths('2026-03-15');
  const plans = new Map<DemoHousehold, ReturnType<typeof planDemoPoints>>(
    households.map((h) => [h, planDemoPoints(h, months)]),
  );

  it('covers the three months before the current one', () => {
    expect(months).toEqual(['2025-12', '2026-01', '2026-02']);
    expect(demoHistoryMonths('2026-01-01')).toEqual(['2025-10', '2025-11', '2025-12']);
  });

  it('has a catalogue of about ten rules with unique codes, caps where the brief sets them', () => {
    expect(DEMO_POINT_RULES.length).toBeGreaterThanOrEqual(8);
    expect(DEMO_POINT_RULES.length).toBeLessThanOrEqual(12);
    const codes = DEMO_POINT_RULES.map((rule) => rule.code);
    expect(new Set(codes).size).toBe(codes.length);
    for (const code of codes) expect(code).toMatch(/^[A-Z][A-Z_]{2,29}$/);
    const rule = (code: string) => DEMO_POINT_RULES.find((r) => r.code === code);
    expect(rule('TIDY_YARD')).toMatchObject({ name: '庭院整洁', points: 5, monthlyCap: 1 });
    expect(rule('PUBLIC_LABOUR')).toMatchObject({ points: 10, monthlyCap: 4 });
    expect(rule('SORT_WASTE')).toMatchObject({ points: 3, monthlyCap: 4 });
    expect(rule('STRAW_BURNING')).toMatchObject({ name: '违规焚烧秸秆', points: -5 });
  });

  it('pays each active household with an active schedule once a month, on the 1st at 00:30', () => {
    for (const [h, plan] of plans) {
      const allotments = plan.filter((entry) => entry.kind === 'allotment');
      const schedule = DEMO_ALLOTMENT_SCHEDULES.find((s) => s.category === h.category);
      if (h.status !== 'active' || !schedule?.active) {
        expect(allotments).toEqual([]);
        continue;
      }
      expect(allotments.map((entry) => entry.month)).toEqual(months);
      for (const entry of allotments) {
        expect(entry).toMatchObject({ date: `${entry.month}-01`, time: '00:30' });
        expect(entry.points).toBe(allotmentPoints(schedule, h.memberCount));
      }
    }
  });

  it('awards a handful per household within the caps, never overdrawing', () => {
    let awards = 0;
    for (const [h, plan] of plans) {
      if (h.status !== 'active') expect(plan).toEqual([]);
      let balance = 0;
      const used = new Map<string, number>();
      for (const entry of plan) {
        balance += entry.points;
        expect(balance).toBeGreaterThanOrEqual(0);
        expect(entry.date.startsWith(entry.month)).toBe(true);
        if (entry.kind !== 'award') continue;
        awards += 1;
        const key = `${entry.ruleCode}/${entry.month}`;
        used.set(key, (used.get(key) ?? 0) + 1);
        const cap = DEMO_POINT_RULES.find((r) => r.code === entry.ruleCode)?.monthlyCap;
        if (cap != null) expect(used.get(key)).toBeLessThanOrEqual(cap);
      }
      const dates = plan.map((entry) => `${entry.date}T${entry.time}`);
      expect(dates).toEqual([...dates].sort());
    }
    const active = households.filter((h) => h.status === 'active').length;
    expect(awards / active).toBeGreaterThan(3);
    expect(awards / active).toBeLessThan(10);
    const used = new Set([...plans.values()].flat().map((entry) => entry.ruleCode));
    for (const rule of DEMO_POINT_RULES) expect(used).toContain(rule.code);
  });

  it('books the 1st of a month 00:30 in Asia/Shanghai at 16:30Z the day before', () => {
    expect(localInstant('2026-03-01', '00:30', 'Asia/Shanghai').toISOString()).toBe(
      '2026-02-28T16:30:00.000Z',
    );
    expect(localInstant('2026-07-01', '12:00', 'Europe/Berlin').toISOString()).toBe(
      '2026-07-01T10:00:00.000Z',
    );
  });
});
