import { monthlyReport, storesOfTownships } from './fixtures';
import {
  breakdownTotals,
  formatCount,
  periodText,
  reportTitle,
  shanghaiDateTime,
  share,
  signedYuan,
  summaryRows,
} from './report-format';

describe('report-format', () => {
  it('titles a county, and a store without repeating 爱心超市', () => {
    expect(reportTitle(monthlyReport())).toBe('青山县爱心超市2026年3月工作月报');
    expect(
      reportTitle({
        month: '2026-12',
        region: { id: 9, level: 'store', name: '城关镇中心爱心超市' },
      }),
    ).toBe('城关镇中心爱心超市2026年12月工作月报');
    expect(periodText('2024-02')).toBe('2024年2月1日至2月29日');
    expect(() => reportTitle({ ...monthlyReport(), month: '2026-3' })).toThrow(RangeError);
  });

  it('writes amounts, counts, shares and times as the reports print them', () => {
    expect(signedYuan(-12_345)).toBe('-123.45');
    expect(signedYuan(100_000_001)).toBe('1,000,000.01');
    expect(formatCount(-1_234_567)).toBe('-1,234,567');
    expect(share(1, 3)).toBe('33.3%');
    expect(share(5, 0)).toBe('—');
    // 17:05 UTC on the last day of March is already April 1st in Beijing
    expect(shanghaiDateTime('2026-03-31T17:05:00Z')).toBe('2026年4月1日 01:05');
  });

  it('sums a breakdown but takes households from the report, counted once', () => {
    expect(breakdownTotals(storesOfTownships(), 215)).toEqual({
      activeStores: 12,
      donationCount: 48,
      donationValueFen: 3_523_456,
      households: 215,
      visits: 386,
      pointsRedeemed: 57_900,
      goodsValueFen: 2_895_050,
    });
  });

  it('adds correction rows only for a period that has one', () => {
    const labels = (rows: ReturnType<typeof summaryRows>) =>
      rows.flatMap((row) => (row.type === 'line' ? [row.label] : []));
    const report = monthlyReport();
    expect(labels(summaryRows(report)).filter((l) => l.startsWith('以前月份更正'))).toEqual([]);
    report.yearToDate.aid.corrections.visits = -3;
    expect(labels(summaryRows(report)).filter((l) => l.startsWith('以前月份更正'))).toEqual([
      '以前月份更正：救助人次',
    ]);
  });
});
