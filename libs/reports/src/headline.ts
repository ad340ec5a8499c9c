import type { MonthlyReport, ReportRegion } from './monthly-report.types';

/** Fen as 万元 with two decimals, rounded half up in integers: 35_204_999 → "35.20". */
export function tenThousandYuan(fen: number): string {
  const hundredths = Math.floor((fen + 5000) / 10000);
  return `${Math.floor(hundredths / 100)}.${String(hundredths % 100).padStart(2, '0')}`;
}

function where(region: ReportRegion): string {
  switch (region.level) {
    case 'province':
      return '全省';
    case 'county':
      return '全县';
    default:
      return region.name;
  }
}

/**
 * The sentence the county union reports upward, in its own style:
 * 本月全县共有12个爱心超市开展服务，收到社会各界捐赠物资共计3.52万元，救助兜底户215户386人次.
 * Donations count goods and cash together, as the union's reports do.
 */
export function headlineOf(
  report: Pick<MonthlyReport, 'region' | 'stores' | 'donations' | 'aid'>,
): string {
  const value = tenThousandYuan(report.donations.totalValueFen);
  const served =
    report.region.level === 'store'
      ? `本月${report.region.name}${report.stores.active > 0 ? '开展服务' : '未开展服务'}`
      : `本月${where(report.region)}共有${report.stores.active}个爱心超市开展服务`;
  return `${served}，收到社会各界捐赠物资共计${value}万元，救助兜底户${report.aid.households}户${report.aid.visits}人次`;
}
