import ExcelJS from 'exceljs';
import { aidRegister, donationRegister, emptyReport, monthlyReport } from './fixtures';
import {
  COUNT_FORMAT,
  DATE_FORMAT,
  renderMonthlyReportXlsx,
  YUAN_FORMAT,
} from './monthly-report.xlsx';

async function load(xlsx: Buffer): Promise<ExcelJS.Workbook> {
  const workbook = new ExcelJS.Workbook();
  // exceljs declares the pre-generic Buffer type
  await workbook.xlsx.load(xlsx as unknown as ArrayBuffer);
  return workbook;
}

function sheet(workbook: ExcelJS.Workbook, name: string): ExcelJS.Worksheet {
  const found = workbook.getWorksheet(name);
  if (!found) throw new Error(`no sheet ${name}`);
  return found;
}

/** The row whose first cell reads `label` (second cell for the breakdown sheets' 合计). */
function rowLabelled(ws: ExcelJS.Worksheet, label: string, column = 1): ExcelJS.Row {
  for (let i = 1; i <= ws.rowCount; i++) {
    if (ws.getRow(i).getCell(column).value === label) return ws.getRow(i);
  }
  throw new Error(`no row ${label} in ${ws.name}`);
}

function values(row: ExcelJS.Row): unknown[] {
  return (row.values as unknown[]).slice(1);
}

/** The body and 合计 row of the summary's small table titled `title` (title, header, rows, 合计). */
function smallTable(ws: ExcelJS.Worksheet, title: string): { body: unknown[][]; total: unknown[] } {
  const start = rowLabelled(ws, title).number + 2;
  const body: unknown[][] = [];
  for (let i = start; i <= ws.rowCount; i++) {
    const row = values(ws.getRow(i));
    if (row[0] === '合计') return { body, total: row };
    body.push(row);
  }
  throw new Error(`no 合计 under ${title}`);
}

/** The sum of column `index` (0-based) over rows, to the fen: yuan cells hold fen / 100. */
function columnSum(rows: unknown[][], index: number): number {
  return (
    Math.round(rows.reduce((sum: number, row) => sum + Number(row[index] ?? 0), 0) * 100) / 100
  );
}

describe('renderMonthlyReportXlsx', () => {
  let workbook: ExcelJS.Workbook;

  beforeAll(async () => {
    workbook = await load(
      await renderMonthlyReportXlsx(monthlyReport(), {
        donations: donationRegister(40),
        aid: aidRegister(300),
      }),
    );
  });

  it('has the summary, township, store and register sheets', () => {
    expect(workbook.worksheets.map((ws) => ws.name)).toEqual([
      '汇总',
      '乡镇',
      '超市',
      '捐赠明细',
      '兑换明细',
    ]);
  });

  it('puts the summary figures as yuan and count numbers under a frozen header', () => {
    const summary = sheet(workbook, '汇总');
    expect(summary.getCell('A1').value).toBe('青山县爱心超市2026年3月工作月报');
    expect(summary.getCell('A2').value).toContain('本月已结账，数据为结账快照');
    expect(values(summary.getRow(3))).toEqual(['指标', '本月', '本年累计', '上年同月']);
    expect(summary.getRow(3).font?.bold).toBe(true);
    expect(summary.views[0]).toMatchObject({ state: 'frozen', ySplit: 3 });

    const total = rowLabelled(summary, '合计(元)');
    expect(values(total)).toEqual(['合计(元)', 35_234.56, 100_123.45, 21_000]);
    for (const column of [2, 3, 4]) expect(total.getCell(column).numFmt).toBe(YUAN_FORMAT);
    const visits = rowLabelled(summary, '救助人次');
    expect(values(visits)).toEqual(['救助人次', 386, 1_102, 301]);
    expect(visits.getCell(2).numFmt).toBe(COUNT_FORMAT);
    expect(values(rowLabelled(summary, '积分调整'))).toEqual(['积分调整', -300, -300, -300]);
    expect(values(rowLabelled(summary, '过期报损(元)'))).toEqual([
      '过期报损(元)',
      45.6,
      45.6,
      45.6,
    ]);
    expect(values(rowLabelled(summary, '开展服务超市数'))).toEqual(['开展服务超市数', 12, 12, 9]);
    expect(values(rowLabelled(summary, '五保'))).toEqual(['五保', 40, 70, 10_500, 5_250]);
    expect(values(rowLabelled(summary, '青山县宏达建材有限公司'))).toEqual([
      '青山县宏达建材有限公司',
      '企业',
      4,
      12_000,
    ]);
  });

  it('lists townships and stores with totals whose households are the distinct count', () => {
    const townships = sheet(workbook, '乡镇');
    expect(townships.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    expect(values(townships.getRow(1))).toEqual([
      '编码',
      '乡镇',
      '开展服务超市数',
      '捐赠笔数',
      '捐赠金额(元)',
      '救助户数',
      '救助人次',
      '兑换积分',
      '发放物资价值(元)',
    ]);
    expect(values(townships.getRow(2))).toEqual([
      'T01',
      '城关镇',
      2,
      8,
      5_872.41,
      55,
      96,
      14_400,
      7_200.5,
    ]);
    const total = rowLabelled(townships, '合计', 2);
    expect(values(total)).toEqual([
      undefined,
      '合计',
      12,
      48,
      35_234.56,
      215,
      386,
      57_900,
      28_950.5,
    ]);
    expect(total.getCell(5).numFmt).toBe(YUAN_FORMAT);
    expect(total.getCell(6).numFmt).toBe(COUNT_FORMAT);

    const stores = sheet(workbook, '超市');
    expect(stores.getRow(13).getCell(2).value).toBe('西岭乡便民爱心超市');
    expect(values(rowLabelled(stores, '合计', 2))).toEqual([
      undefined,
      '合计',
      48,
      35_234.56,
      215,
      386,
      57_900,
      28_950.5,
    ]);
  });

  it('writes one donation register row per line, with dates, yuan and a filter', () => {
    const donations = sheet(workbook, '捐赠明细');
    expect(donations.rowCount).toBe(1 + 40 + 3); // header, lines, blank, 合计 and its note
    expect(donations.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    expect(donations.autoFilter).toBe('A1:N1');
    expect(donations.getRow(1).font?.bold).toBe(true);
    expect(donations.getColumn(4).width).toBe(26);
    const first = donations.getRow(2);
    expect(values(first)).toEqual([
      'JZ-QS01-2026-001000',
      new Date('2026-03-01T00:00:00Z'),
      '城关镇第1爱心超市',
      '青山县宏达建材有限公司',
      '企业',
      1,
      '金龙鱼大豆油 5L',
      '粮油',
      10,
      '桶',
      69.9,
      699,
      0,
      '有效',
    ]);
    expect(first.getCell(2).numFmt).toBe(DATE_FORMAT);
    for (const column of [11, 12, 13]) expect(first.getCell(column).numFmt).toBe(YUAN_FORMAT);
    expect(donations.getRow(5).getCell(14).value).toBe('作废');
    // a cash-only donation: no product, the cash in its own column
    const cash = donations.getRow(11);
    expect(cash.getCell(7).value).toBeNull();
    expect(cash.getCell(13).value).toBe(500.01);
  });

  it('writes one aid register row per redemption, by card number only', () => {
    const aid = sheet(workbook, '兑换明细');
    expect(aid.rowCount).toBe(1 + 300 + 3);
    expect(aid.autoFilter).toBe('A1:K1');
    expect(aid.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    expect(values(aid.getRow(1))).not.toContain('姓名');
    const first = aid.getRow(2);
    expect(values(first)).toEqual([
      'DH-QS01-2026-0000001',
      new Date('2026-03-01T00:00:00Z'),
      '城关镇第1爱心超市',
      '城关镇',
      '0330000000',
      '低保',
      '送货上门',
      '已作废',
      1,
      150,
      75.01,
    ]);
    expect(first.getCell(11).numFmt).toBe(YUAN_FORMAT);
    expect(aid.getRow(3).getCell(7).value).toBe('到店兑换');
  });

  it('prints every sheet on A4 landscape, one page wide, its header repeated and frozen', () => {
    const fitToWidth = { fitToPage: true, fitToWidth: 1, fitToHeight: 0 };
    const layouts: Record<string, { frozen: number; repeated: string; fit: object }> = {
      // title and period on both pages; 指标/本月… heads the figures only. Fitting to pages
      // would drop the page break before the breakdown tables, so 汇总 prints at a set scale
      汇总: { frozen: 3, repeated: '1:2', fit: { fitToPage: false, scale: expect.any(Number) } },
      乡镇: { frozen: 1, repeated: '1:1', fit: fitToWidth },
      超市: { frozen: 1, repeated: '1:1', fit: fitToWidth },
      捐赠明细: { frozen: 1, repeated: '1:1', fit: fitToWidth },
      兑换明细: { frozen: 1, repeated: '1:1', fit: fitToWidth },
    };
    for (const ws of workbook.worksheets) {
      const layout = layouts[ws.name];
      expect([ws.name, ws.pageSetup]).toEqual([
        ws.name,
        expect.objectContaining({
          paperSize: 9, // A4
          orientation: 'landscape',
          printTitlesRow: layout.repeated,
          ...layout.fit,
        }),
      ]);
      expect(ws.views[0]).toMatchObject({ state: 'frozen', ySplit: layout.frozen });
      expect(ws.headerFooter.oddFooter).toBe('&C第 &P 页，共 &N 页');
    }
    const { scale } = sheet(workbook, '汇总').pageSetup;
    expect(scale).toBeGreaterThan(50);
    expect(scale).toBeLessThanOrEqual(100);
  });

  it('ends each summary table with a 合计 that adds up its rows and matches the report', () => {
    const report = monthlyReport();
    const summary = sheet(workbook, '汇总');
    const kinds = smallTable(summary, '按捐赠方类型');
    expect(kinds.body).toHaveLength(report.donations.byDonorKind.length);
    expect(kinds.total).toEqual([
      '合计',
      columnSum(kinds.body, 1),
      columnSum(kinds.body, 2),
      columnSum(kinds.body, 3),
    ]);
    expect(kinds.total.slice(1)).toEqual([
      report.donations.count,
      report.donations.donors,
      report.donations.totalValueFen / 100,
    ]);
    const categories = smallTable(summary, '按物资品类');
    // quantities in different units are not added up
    expect(categories.total).toEqual(['合计', undefined, columnSum(categories.body, 2)]);
    expect(categories.total[2]).toBe(report.donations.goodsValueFen / 100);
    const aid = smallTable(summary, '按困难户类别');
    expect(aid.total).toEqual([
      '合计',
      report.aid.households, // distinct: a household is counted once
      columnSum(aid.body, 2),
      columnSum(aid.body, 3),
      columnSum(aid.body, 4),
    ]);
    expect(aid.total.slice(2)).toEqual([
      report.aid.visits,
      report.aid.pointsRedeemed,
      report.aid.goodsValueFen / 100,
    ]);
    expect(rowLabelled(summary, '合计').font?.bold).toBe(true);
  });

  it('totals each register as the month counts it: voids within the month left out', () => {
    const donations = sheet(workbook, '捐赠明细');
    const lines = Array.from({ length: 40 }, (_, i) => values(donations.getRow(2 + i)));
    expect(values(donations.getRow(42))).toEqual([]);
    const donationTotal = donations.getRow(43);
    // line 4 was voided within March, line 8 only afterwards: March still counts line 8
    const counted = lines.filter((_, i) => i !== 3);
    expect(lines[7][13]).toBe('作废');
    expect(values(donationTotal)).toEqual([
      `合计：${new Set(counted.map((row) => row[0])).size}笔`,
      ...Array<undefined>(10).fill(undefined),
      columnSum(counted, 11),
      columnSum(counted, 12),
    ]);
    expect(donationTotal.getCell(1).font?.bold).toBe(true);
    expect(donationTotal.getCell(12).numFmt).toBe(YUAN_FORMAT);
    expect(donations.getCell('A44').value).toContain('月末之后才作废的仍计入当月');

    const aid = sheet(workbook, '兑换明细');
    const redemptions = Array.from({ length: 300 }, (_, i) => values(aid.getRow(2 + i)));
    const visits = redemptions.filter((_, i) => i % 50 !== 0 || i === 100);
    expect(redemptions[100][7]).toBe('已作废');
    expect(redemptions[150][7]).toBe('已取消');
    expect(values(aid.getRow(303))).toEqual([
      `合计：${visits.length}人次`,
      ...Array<undefined>(7).fill(undefined),
      columnSum(visits, 8),
      columnSum(visits, 9),
      columnSum(visits, 10),
    ]);
  });

  it('writes an empty month with 上年同月 as —', async () => {
    const empty = await load(
      await renderMonthlyReportXlsx(emptyReport(), { donations: [], aid: [] }),
    );
    const summary = sheet(empty, '汇总');
    expect(values(rowLabelled(summary, '合计(元)'))).toEqual(['合计(元)', 0, 0, '—']);
    expect(sheet(empty, '超市').rowCount).toBe(1);
    expect(sheet(empty, '兑换明细').rowCount).toBe(1);
  });

  // how fast a province's register renders is measured by `npm run bench:reports`, not here
  it('streams a register of many rows into a readable file', async () => {
    const aid = aidRegister(5_000);
    const xlsx = await renderMonthlyReportXlsx(monthlyReport(), { donations: [], aid });
    expect(xlsx.subarray(0, 2).toString()).toBe('PK');
    expect(sheet(await load(xlsx), '兑换明细').rowCount).toBe(1 + 5_000 + 3);
  });
});
