import { formatYuan } from '@charity/documents';
import { DONOR_KIND_LABELS } from '@charity/donations';
import type { BreakdownRow, MonthlyReport, PeriodFigures } from '../monthly-report.types';

// What the PDF and the workbook of a monthly report share: the titles, the rows of the summary
// table and the totals of the breakdowns, so the two exports can never disagree.

/** Shown where a figure does not exist, e.g. 上年同月 before the first year of data. */
export const NO_FIGURE = '—';

/** `YYYY-MM` → { year: 2026, month: 3 }. */
export function parseMonth(month: string): { year: number; month: number } {
  const match = /^(\d{4})-(0[1-9]|1[0-2])$/.exec(month);
  if (!match) throw new RangeError(`月份必须写作 YYYY-MM，收到 ${month}`);
  return { year: Number(match[1]), month: Number(match[2]) };
}

/** `2026-03` → 2026年3月 */
export function chineseMonth(month: string): string {
  const { year, month: m } = parseMonth(month);
  return `${year}年${m}月`;
}

/** 青山县爱心超市2026年3月工作月报; a store's own report is not 某某爱心超市爱心超市…. */
export function reportTitle(report: Pick<MonthlyReport, 'region' | 'month'>): string {
  const name = report.region.name.trim();
  const subject = name.endsWith('爱心超市') ? name : `${name}爱心超市`;
  return `${subject}${chineseMonth(report.month)}工作月报`;
}

/** 2026年3月1日至3月31日 */
export function periodText(month: string): string {
  const { year, month: m } = parseMonth(month);
  const lastDay = new Date(Date.UTC(year, m, 0)).getUTCDate();
  return `${year}年${m}月1日至${m}月${lastDay}日`;
}

/** Whether the figures are a closed month's frozen copy or computed just now. */
export function sourceNote(report: Pick<MonthlyReport, 'source' | 'closedAt'>): string {
  if (report.source === 'snapshot') {
    const at = report.closedAt ? `（结账时间：${shanghaiDateTime(report.closedAt)}）` : '';
    return `本月已结账，数据为结账快照${at}`;
  }
  return '本月尚未结账，数据为实时统计，补录或作废后可能变动';
}

/** An ISO instant as a Beijing wall-clock time: 2026年4月1日 08:30. China keeps no summer time. */
export function shanghaiDateTime(iso: string): string {
  const instant = Date.parse(iso);
  if (Number.isNaN(instant)) return iso;
  const t = new Date(instant + 8 * 3_600_000);
  const pad = (n: number) => String(n).padStart(2, '0');
  return (
    `${t.getUTCFullYear()}年${t.getUTCMonth() + 1}月${t.getUTCDate()}日 ` +
    `${pad(t.getUTCHours())}:${pad(t.getUTCMinutes())}`
  );
}

/** Fen as yuan for print, signed: corrections are negative, and formatYuan takes none. */
export function signedYuan(fen: number): string {
  return fen < 0 ? `-${formatYuan(-fen)}` : formatYuan(fen);
}

/** A whole number with thousands separators: 12345 → 12,345; -7 → -7. */
export function formatCount(n: number): string {
  if (!Number.isSafeInteger(n)) throw new RangeError(`计数必须是整数，收到 ${n}`);
  const digits = String(Math.abs(n)).replace(/\B(?=(\d{3})+$)/g, ',');
  return n < 0 ? `-${digits}` : digits;
}

/** Fen as a yuan number for a spreadsheet cell; exact to the fen for any safe integer. */
export function fenToYuan(fen: number): number {
  if (!Number.isSafeInteger(fen)) throw new RangeError(`金额必须是整数（单位：分），收到 ${fen}`);
  return fen / 100;
}

/** `part` as a percentage of `whole` with one decimal, or — when the whole is zero. */
export function share(part: number, whole: number): string {
  if (whole === 0) return NO_FIGURE;
  return `${(Math.round((part * 1000) / whole) / 10).toFixed(1)}%`;
}

/** Money in fen, or a plain count (households, 人次, points). */
export type FigureKind = 'fen' | 'count';

export function formatFigure(kind: FigureKind, value: number): string {
  return kind === 'fen' ? signedYuan(value) : formatCount(value);
}

interface SummaryLineSpec {
  label: string;
  kind: FigureKind;
  value: (period: PeriodFigures) => number;
  /** Corrections appear only when some period has one. */
  onlyWhenNonZero?: boolean;
}

const SUMMARY_SPEC: { section: string; lines: SummaryLineSpec[] }[] = [
  {
    section: '服务',
    lines: [{ label: '开展服务超市数', kind: 'count', value: (p) => p.stores.active }],
  },
  {
    section: '捐赠',
    lines: [
      { label: '捐赠笔数', kind: 'count', value: (p) => p.donations.count },
      { label: '捐赠人数', kind: 'count', value: (p) => p.donations.donors },
      { label: '物资价值(元)', kind: 'fen', value: (p) => p.donations.goodsValueFen },
      { label: '现金(元)', kind: 'fen', value: (p) => p.donations.cashFen },
      { label: '合计(元)', kind: 'fen', value: (p) => p.donations.totalValueFen },
      {
        label: '以前月份更正：捐赠笔数',
        kind: 'count',
        value: (p) => p.donations.corrections.count,
        onlyWhenNonZero: true,
      },
      {
        label: '以前月份更正：捐赠金额(元)',
        kind: 'fen',
        value: (p) => p.donations.corrections.totalValueFen,
        onlyWhenNonZero: true,
      },
    ],
  },
  {
    section: '救助',
    lines: [
      { label: '救助户数', kind: 'count', value: (p) => p.aid.households },
      { label: '救助人次', kind: 'count', value: (p) => p.aid.visits },
      { label: '兑换积分', kind: 'count', value: (p) => p.aid.pointsRedeemed },
      { label: '发放物资价值(元)', kind: 'fen', value: (p) => p.aid.goodsValueFen },
      {
        label: '以前月份更正：救助人次',
        kind: 'count',
        value: (p) => p.aid.corrections.visits,
        onlyWhenNonZero: true,
      },
      {
        label: '以前月份更正：兑换积分',
        kind: 'count',
        value: (p) => p.aid.corrections.pointsRedeemed,
        onlyWhenNonZero: true,
      },
      {
        label: '以前月份更正：发放物资价值(元)',
        kind: 'fen',
        value: (p) => p.aid.corrections.goodsValueFen,
        onlyWhenNonZero: true,
      },
    ],
  },
  {
    section: '积分',
    lines: [
      { label: '积分发放', kind: 'count', value: (p) => p.points.issued },
      { label: '积分兑换', kind: 'count', value: (p) => p.points.redeemed },
      { label: '积分过期', kind: 'count', value: (p) => p.points.expired },
      { label: '积分调整', kind: 'count', value: (p) => p.points.adjusted },
      { label: '积分结余', kind: 'count', value: (p) => p.points.outstanding },
    ],
  },
  {
    section: '库存',
    lines: [
      { label: '库存价值(元)', kind: 'fen', value: (p) => p.stock.onHandValueFen },
      { label: '过期报损(元)', kind: 'fen', value: (p) => p.stock.expiredWriteOffValueFen },
    ],
  },
];

export type SummaryRow =
  | { type: 'section'; title: string }
  | {
      type: 'line';
      label: string;
      kind: FigureKind;
      month: number;
      yearToDate: number;
      /** `null` when there is no 上年同月. */
      lastYear: number | null;
    };

/** The summary table, 本月 vs 本年累计 vs 上年同月, section by section. */
export function summaryRows(report: MonthlyReport): SummaryRow[] {
  const rows: SummaryRow[] = [];
  for (const { section, lines } of SUMMARY_SPEC) {
    rows.push({ type: 'section', title: section });
    for (const { label, kind, value, onlyWhenNonZero } of lines) {
      const month = value(report);
      const yearToDate = value(report.yearToDate);
      const lastYear = report.lastYear ? value(report.lastYear) : null;
      if (onlyWhenNonZero && month === 0 && yearToDate === 0 && !lastYear) continue;
      rows.push({ type: 'line', label, kind, month, yearToDate, lastYear });
    }
  }
  return rows;
}

export type BreakdownTotals = Omit<BreakdownRow, 'regionId' | 'storeId' | 'code' | 'name'>;

/**
 * The 合计 row under a township or store breakdown: the rows' sums, except households, which
 * are the report's distinct count (a household served in two places is one household).
 */
export function breakdownTotals(rows: BreakdownRow[], distinctHouseholds: number): BreakdownTotals {
  const sum = (key: Exclude<keyof BreakdownTotals, 'households'>) =>
    rows.reduce((total, row) => total + row[key], 0);
  return {
    activeStores: sum('activeStores'),
    donationCount: sum('donationCount'),
    donationValueFen: sum('donationValueFen'),
    households: distinctHouseholds,
    visits: sum('visits'),
    pointsRedeemed: sum('pointsRedeemed'),
    goodsValueFen: sum('goodsValueFen'),
  };
}

/** 合计户数 is not the column's sum; both exports say so under the table. */
export const DISTINCT_HOUSEHOLDS_NOTE = '注：合计户数按户去重，一户在多处兑换只计一次。';

/** The label of a donor kind, for register rows that carry codes only. */
export function donorKindLabels(): Map<string, string> {
  return new Map(Object.entries(DONOR_KIND_LABELS));
}

// redemption and donation states, for register rows that carry codes only
export const REDEMPTION_STATUS_LABELS: Record<string, string> = {
  completed: '已完成',
  awaiting_delivery: '待送达',
  delivered: '已送达',
  cancelled: '已取消',
  voided: '已作废',
};

export const FULFILMENT_LABELS: Record<string, string> = {
  pickup: '到店兑换',
  delivery: '送货上门',
};

export const DONATION_STATUS_LABELS: Record<string, string> = {
  active: '有效',
  voided: '作废',
};
