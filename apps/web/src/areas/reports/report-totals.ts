// The 合计 rows under the report's tables, the same as the PDF prints them: the rows' sums,
// except households, which are the report's distinct count (a household served in two places is
// one household), and 捐赠人数, likewise distinct.
import { yuan } from '@/format';
import { count, type BreakdownRow, type MonthlyReport } from './report-types';

/** What el-table's summary-method answers: one text per column, 合计 in the first. */
export type TotalsCells = string[];

export const DISTINCT_HOUSEHOLDS_NOTE = '注：合计户数按户去重，一户在多处兑换只计一次。';

function sum<T>(rows: T[], of: (row: T) => number): number {
  return rows.reduce((total, row) => total + of(row), 0);
}

/** 按捐赠人类型: 类型, 笔数, 捐赠人数, 金额. */
export function donorKindTotals(report: MonthlyReport): TotalsCells {
  const kinds = report.donations.byDonorKind;
  return [
    '合计',
    count(sum(kinds, (k) => k.count)),
    count(report.donations.donors),
    yuan(sum(kinds, (k) => k.totalValueFen)),
  ];
}

/** 按物资类别: 类别, 数量 (left blank: units differ), 价值. */
export function categoryTotals(report: MonthlyReport): TotalsCells {
  return ['合计', '', yuan(sum(report.donations.byCategory, (c) => c.valueFen))];
}

/** 按救助对象类别: 类别, 户数, 人次, 兑换积分, 物资价值. */
export function aidTotals(report: MonthlyReport): TotalsCells {
  const categories = report.aid.byCategory;
  return [
    '合计',
    count(report.aid.households),
    count(sum(categories, (c) => c.visits)),
    count(sum(categories, (c) => c.pointsRedeemed)),
    yuan(sum(categories, (c) => c.goodsValueFen)),
  ];
}

/** 各乡镇 / 各爱心超市: name, 开展服务超市, 捐赠笔数, 捐赠款物, 户数, 人次, 兑换积分, 发放物资价值. */
export function breakdownTotals(rows: BreakdownRow[], distinctHouseholds: number): TotalsCells {
  return [
    '合计',
    count(sum(rows, (r) => r.activeStores)),
    count(sum(rows, (r) => r.donationCount)),
    yuan(sum(rows, (r) => r.donationValueFen)),
    count(distinctHouseholds),
    count(sum(rows, (r) => r.visits)),
    count(sum(rows, (r) => r.pointsRedeemed)),
    yuan(sum(rows, (r) => r.goodsValueFen)),
  ];
}
