import ExcelJS from 'exceljs';
// the documents library's read-back helpers, kept out of its index (as test/support/pdf.ts does)
import { HAS_POPPLER } from '../../../documents/src/pdf-read-back';
import { HAS_SOFFICE, printedPages, type PrintedPage } from '../../../documents/src/xlsx-read-back';
import type { MonthlyReport } from '../monthly-report.types';
import { aidRegister, donationRegister, monthlyReport } from './fixtures';
import { renderMonthlyReportXlsx } from './monthly-report.xlsx';
import { reportTitle } from './report-format';

const withLibreOffice = HAS_SOFFICE && HAS_POPPLER ? describe : describe.skip;

const DONATION_LINES = 40;
const REDEMPTIONS = 300;

/** What tells a printed page's sheet apart: a header label only that sheet's header has. */
const SHEET_MARKERS: [sheet: string, marker: string][] = [
  ['汇总', '工作月报'],
  ['乡镇', '开展服务超市数'],
  ['超市', '编码'],
  ['捐赠明细', '收据编号'],
  ['兑换明细', '兑换单号'],
];

/** The line of a page that starts with `first`, as it is printed. */
function lineWith(page: PrintedPage, first: string): string {
  return page.text.split('\n').find((line) => line.trim().startsWith(first)) ?? '';
}

function labels(line: string): string[] {
  return line.trim().split(/\s+/);
}

/** The fixture month with as many top donors as the report lists and eight categories. */
function crowdedReport(): MonthlyReport {
  const report = monthlyReport();
  const { donations } = report;
  return {
    ...report,
    donations: {
      ...donations,
      topDonors: Array.from({ length: 10 }, (_, i) => ({
        donorId: 100 + i,
        name: `爱心捐赠单位${i + 1}`,
        kind: 'company',
        count: 10 - i,
        totalValueFen: 100_000 * (10 - i),
      })),
      byCategory: Array.from({ length: 8 }, (_, i) => ({
        categoryId: i + 1,
        name: `物资品类${i + 1}`,
        quantity: 10 * (i + 1),
        valueFen: 10_000 * (i + 1),
      })),
    },
  };
}

/**
 * The monthly report of a county of 12 stores with a month of registers, printed by LibreOffice
 * as a user would print it from Excel (one conversion: a few seconds). It used to print on 33
 * pages, with 上年同月 and 捐赠明细's 状态 each alone on a page.
 */
withLibreOffice('the monthly report XLSX as printed', () => {
  const report = crowdedReport();
  let pages: PrintedPage[];
  let headers: Map<string, string[]>;
  let sheetOf: (page: PrintedPage) => string;

  beforeAll(async () => {
    const xlsx = await renderMonthlyReportXlsx(report, {
      donations: donationRegister(DONATION_LINES),
      aid: aidRegister(REDEMPTIONS),
    });
    const workbook = new ExcelJS.Workbook();
    // exceljs declares the pre-generic Buffer type
    await workbook.xlsx.load(xlsx as unknown as ArrayBuffer);
    headers = new Map(
      workbook.worksheets.map((ws) => [
        ws.name,
        (ws.getRow(ws.name === '汇总' ? 3 : 1).values as unknown[]).slice(1).map(String),
      ]),
    );
    pages = printedPages(xlsx);
    // 编码 heads 乡镇 as well: the first marker found in sheet order wins, so 乡镇 comes first
    sheetOf = (page) =>
      SHEET_MARKERS.find(([, marker]) => page.text.includes(marker))?.[0] ?? 'none';
  }, 120_000);

  it('prints every page on A4 landscape, numbered 第 n 页，共 N 页', () => {
    expect(pages.length).toBeGreaterThan(0);
    pages.forEach((page, i) => {
      expect([i + 1, Math.round(page.width), Math.round(page.height)]).toEqual([i + 1, 842, 595]);
      expect(page.text).toContain(`第 ${i + 1} 页，共 ${pages.length} 页`);
    });
  });

  it('prints each sheet one page wide: every page has all its columns under the header', () => {
    for (const page of pages) {
      const sheet = sheetOf(page);
      expect([sheet, pages.indexOf(page) + 1]).not.toContain('none');
      if (sheet === '汇总') {
        // the title and the period head each of its pages
        expect(page.text).toContain(reportTitle(report));
        expect(page.text).toContain('2026年3月1日至3月31日');
        continue;
      }
      const header = headers.get(sheet) ?? [];
      expect([sheet, labels(lineWith(page, header[0]))]).toEqual([sheet, header]);
    }
    const summary = pages.filter((page) => sheetOf(page) === '汇总');
    const figures = summary.find((page) => page.text.includes('上年同月'));
    expect(labels(lineWith(figures ?? summary[0], '指标'))).toEqual(headers.get('汇总'));
    const byCategory = summary.find((page) => page.text.includes('按困难户类别'));
    expect(labels(lineWith(byCategory ?? summary[0], '困难户类别'))).toEqual([
      '困难户类别',
      '户数',
      '人次',
      '兑换积分',
      '发放物资价值(元)',
    ]);
  });

  it('prints 汇总 on two pages: the figures, then the breakdown tables, none cut in two', () => {
    const summary = pages.filter((page) => sheetOf(page) === '汇总');
    expect(summary).toHaveLength(2);
    expect(summary[0].text).toContain('过期报损');
    expect(summary[0].text).not.toContain('按捐赠方类型');
    for (const title of ['按捐赠方类型', '按物资品类', '主要捐赠方', '按困难户类别']) {
      expect([title, summary[1].text.includes(title)]).toEqual([title, true]);
    }
    // each table's last row: three 合计 rows and the tenth donor
    expect(summary[1].text.match(/^\s*合计\s/gm)).toHaveLength(3);
    expect(summary[1].text).toContain('爱心捐赠单位10');
    expect(summary[1].text).toContain('物资品类8');
  });

  it('prints every register row once, the 合计 at the end, on as few pages as the rows need', () => {
    const text = pages.map((page) => page.text).join('\n');
    expect(text.match(/^\s*JZ-QS01-2026-\d{6}\s/gm)).toHaveLength(DONATION_LINES);
    expect(text.match(/^\s*DH-QS01-2026-\d{7}\s/gm)).toHaveLength(REDEMPTIONS);
    const count = (sheet: string) => pages.filter((page) => sheetOf(page) === sheet).length;
    expect([count('乡镇'), count('超市'), count('捐赠明细')]).toEqual([1, 1, 1]);
    // a landscape page holds 40 register rows at the least
    expect(count('兑换明细')).toBeLessThanOrEqual(Math.ceil(REDEMPTIONS / 40));
    expect(pages.at(-1)?.text).toMatch(/合计：\d+人次/);
    for (const sheet of ['乡镇', '超市']) {
      expect(pages.find((page) => sheetOf(page) === sheet)?.text).toMatch(/^\s*合计\s/m);
    }
  });
});
