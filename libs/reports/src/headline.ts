import type { MonthlyReport, ReportRegion } from './monthly-report.types';

const FEN_PER_WAN = 1_000_000; // 1万元 = 10,000 yuan
const FEN_PER_HUNDREDTH_WAN = 10_000; // 0.01万元 = 100 yuan

/** "12.50" → "12.5", "180.00" → "180": the county writes no trailing zeros. */
function withoutTrailingZeros(whole: number, hundredths: number): string {
  const decimals = String(hundredths).padStart(2, '0').replace(/0+$/, '');
  return decimals ? `${whole}.${decimals}` : String(whole);
}

/**
 * An amount as the county union writes it in its reports: from 1万元 up in 万元 to two
 * decimals, rounded half up (2.24万元, 6.1万元, 180万元); below that in yuan to the fen
 * (5400元, 9999.99元, 0元). Never a trailing zero. Integer arithmetic throughout.
 */
export function unionAmount(fen: number): string {
  if (!Number.isSafeInteger(fen)) throw new RangeError(`金额必须是整数（单位：分），收到 ${fen}`);
  if (fen < 0) return `-${unionAmount(-fen)}`;
  if (fen < FEN_PER_WAN) return `${withoutTrailingZeros(Math.floor(fen / 100), fen % 100)}元`;
  const hundredths = Math.floor((fen + FEN_PER_HUNDREDTH_WAN / 2) / FEN_PER_HUNDREDTH_WAN);
  return `${withoutTrailingZeros(Math.floor(hundredths / 100), hundredths % 100)}万元`;
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
 * What came in, goods and cash apart as the union reports them: 捐赠物资价值1.7万元、现金5400元.
 * A kind that did not come in is left out rather than written as 0.
 */
export function donationsPhrase(donations: { goodsValueFen: number; cashFen: number }): string {
  const parts: string[] = [];
  if (donations.goodsValueFen > 0) parts.push(`物资价值${unionAmount(donations.goodsValueFen)}`);
  if (donations.cashFen > 0) parts.push(`现金${unionAmount(donations.cashFen)}`);
  return parts.length > 0 ? `收到社会各界捐赠${parts.join('、')}` : '未收到社会各界捐赠';
}

/**
 * The sentence the county union reports upward, in its own style:
 * 本月全县共有12个爱心超市开展服务，收到社会各界捐赠物资价值3.02万元、现金5000元，救助兜底户215户386人次.
 */
export function headlineOf(report: {
  region: ReportRegion;
  stores: Pick<MonthlyReport['stores'], 'active'>;
  donations: Pick<MonthlyReport['donations'], 'goodsValueFen' | 'cashFen'>;
  aid: Pick<MonthlyReport['aid'], 'households' | 'visits'>;
}): string {
  const served =
    report.region.level === 'store'
      ? `本月${report.region.name}${report.stores.active > 0 ? '开展服务' : '未开展服务'}`
      : `本月${where(report.region)}共有${report.stores.active}个爱心超市开展服务`;
  return `${served}，${donationsPhrase(report.donations)}，救助兜底户${report.aid.households}户${report.aid.visits}人次`;
}
