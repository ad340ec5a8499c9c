import { PassThrough } from 'node:stream';
import { FULL_WIDTH_SPACE, printedSheet } from '@charity/documents';
import ExcelJS from 'exceljs';
import type {
  AidRegisterRow,
  BreakdownRow,
  DonationRegisterRow,
  MonthlyReport,
} from '../monthly-report.types';
import { aidSheet, donationSheet } from './monthly-registers.xlsx';
import {
  breakdownTotals,
  type BreakdownTotals,
  DISTINCT_HOUSEHOLDS_NOTE,
  donorKindLabels,
  type FigureKind,
  fenToYuan,
  NO_FIGURE,
  periodText,
  reportTitle,
  shanghaiDateTime,
  sourceNote,
  summaryRows,
} from './report-format';
import { type Cell, COUNT_FORMAT, HEADER_FONT, headerRow, YUAN_FORMAT } from './xlsx-cells';

export { COUNT_FORMAT, DATE_FORMAT, YUAN_FORMAT } from './xlsx-cells';

/**
 * The monthly report as a workbook: 汇总 (the summary table and the breakdowns by donor kind,
 * category, top donor and household category), 乡镇 and 超市 (one row each with a 合计 row),
 * then the registers 捐赠明细 (one row per donation line) and 兑换明细 (one row per
 * redemption, households by card number only). Amounts are yuan numbers formatted #,##0.00.
 *
 * Written with exceljs's streaming writer and inline strings: a county's year of registers runs
 * to 100 000 rows, which the in-memory workbook takes several times as long to write.
 */
export async function renderMonthlyReportXlsx(
  report: MonthlyReport,
  registers: { donations: DonationRegisterRow[]; aid: AidRegisterRow[] },
): Promise<Buffer> {
  const stream = new PassThrough();
  const chunks: Buffer[] = [];
  stream.on('data', (chunk: Buffer) => chunks.push(chunk));
  const written = new Promise<Buffer>((resolve, reject) => {
    stream.once('end', () => resolve(Buffer.concat(chunks)));
    stream.once('error', reject);
  });
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({
    stream,
    useStyles: true,
    useSharedStrings: false,
  });
  workbook.creator = '爱心超市';
  workbook.title = reportTitle(report);

  summarySheet(workbook, report);
  breakdownSheet(workbook, '乡镇', report.townships, report, 'township');
  breakdownSheet(workbook, '超市', report.storesBreakdown, report, 'store');
  donationSheet(workbook, registers.donations, donorKindLabels());
  aidSheet(workbook, registers.aid);

  await workbook.commit();
  return written;
}

/** 汇总's columns: the label and at most four figures (按困难户类别 has the most). */
const SUMMARY_COLUMNS = 5;

function numFmt(kind: FigureKind): string {
  return kind === 'fen' ? YUAN_FORMAT : COUNT_FORMAT;
}

function figure(kind: FigureKind, value: number): number {
  return kind === 'fen' ? fenToYuan(value) : value;
}

/** Adds a row and gives its cells their number formats, in order (null: none). */
function addFigures(sheet: ExcelJS.Worksheet, values: Cell[], formats: (string | null)[]) {
  const row = sheet.addRow(values);
  formats.forEach((format, i) => {
    if (format) row.getCell(i + 1).numFmt = format;
  });
  return row;
}

function summarySheet(workbook: ExcelJS.Workbook, report: MonthlyReport): void {
  const tables = summaryTables(report);
  // The title and period head both printed pages; 指标/本月… heads only the figures. The figures
  // print on page 1 and the breakdown tables after a page break, at a scale that keeps them all
  // on page 2 so that none is cut in two (Excel ignores page breaks when fitting to pages).
  const page2Rows = sum(
    tables,
    (table) => 3 + Math.max(table.rows.length, 1) + (table.total ? 1 : 0),
  );
  const sheet = workbook.addWorksheet(
    '汇总',
    printedSheet({
      frozenRows: 3,
      repeatedRows: 2,
      scale: Math.min(100, Math.floor((100 * SUMMARY_PAGE_ROWS) / page2Rows)),
    }),
  );
  sheet.columns = [
    { width: 34 },
    ...Array.from({ length: SUMMARY_COLUMNS - 1 }, () => ({ width: 18 })),
  ];
  sheet.addRow([reportTitle(report)]).font = { bold: true, size: 14 };
  const period = sheet.addRow([
    [
      periodText(report.month),
      sourceNote(report),
      `生成时间：${shanghaiDateTime(report.generatedAt)}`,
    ].join(FULL_WIDTH_SPACE),
  ]);
  // wrapped within the table's width: text running on past it would widen the printed page
  sheet.mergeCells(period.number, 1, period.number, SUMMARY_COLUMNS);
  period.alignment = { wrapText: true, vertical: 'top' };
  period.height = 30;
  headerRow(sheet.addRow(['指标', '本月', '本年累计', '上年同月']));

  for (const line of summaryRows(report)) {
    if (line.type === 'section') {
      sheet.addRow([line.title]).font = HEADER_FONT;
      continue;
    }
    const format = numFmt(line.kind);
    const row = addFigures(
      sheet,
      [
        line.label,
        figure(line.kind, line.month),
        figure(line.kind, line.yearToDate),
        line.lastYear === null ? NO_FIGURE : figure(line.kind, line.lastYear),
      ],
      [null, format, format, line.lastYear === null ? null : format],
    );
    // — stands in a column of figures
    if (line.lastYear === null) row.getCell(4).alignment = { horizontal: 'right' };
  }
  sheet.lastRow?.addPageBreak();
  for (const table of tables) smallTable(sheet, table);
  sheet.commit();
}

/**
 * How many rows below the title and period a landscape page holds at 100 %, with room to spare
 * for taller rows (a CJK font's default row is taller than Calibri's 15 pt).
 */
const SUMMARY_PAGE_ROWS = 26;

/** A breakdown table of 汇总: a title, a header, the rows and, when they add up, a 合计 row. */
interface SmallTable {
  title: string;
  header: string[];
  formats: (string | null)[];
  rows: Cell[][];
  total: Cell[] | null;
}

function summaryTables(report: MonthlyReport): SmallTable[] {
  const { donations, aid } = report;
  const kinds = donorKindLabels();
  const tables: SmallTable[] = [
    {
      title: '按捐赠方类型',
      header: ['捐赠方类型', '捐赠笔数', '捐赠方数', '金额(元)'],
      formats: [null, COUNT_FORMAT, COUNT_FORMAT, YUAN_FORMAT],
      rows: donations.byDonorKind.map((k) => [
        k.label,
        k.count,
        k.donors,
        fenToYuan(k.totalValueFen),
      ]),
      // a donor has one kind, so the kinds' donors add up to the month's distinct donors
      total: [
        '合计',
        sum(donations.byDonorKind, (k) => k.count),
        donations.donors,
        fenToYuan(sum(donations.byDonorKind, (k) => k.totalValueFen)),
      ],
    },
    {
      title: '按物资品类',
      header: ['物资品类', '数量', '价值(元)'],
      formats: [null, COUNT_FORMAT, YUAN_FORMAT],
      rows: donations.byCategory.map((c) => [c.name, c.quantity, fenToYuan(c.valueFen)]),
      // quantities of different units do not add up
      total: ['合计', null, fenToYuan(sum(donations.byCategory, (c) => c.valueFen))],
    },
    {
      title: '主要捐赠方',
      header: ['捐赠方', '类型', '捐赠笔数', '金额(元)'],
      formats: [null, null, COUNT_FORMAT, YUAN_FORMAT],
      rows: donations.topDonors.map((d) => [
        d.name,
        kinds.get(d.kind) ?? d.kind,
        d.count,
        fenToYuan(d.totalValueFen),
      ]),
      total: null, // the first few donors only: their sum would pass for the month's
    },
    {
      title: '按困难户类别',
      header: ['困难户类别', '户数', '人次', '兑换积分', '发放物资价值(元)'],
      formats: [null, COUNT_FORMAT, COUNT_FORMAT, COUNT_FORMAT, YUAN_FORMAT],
      rows: aid.byCategory.map((c) => [
        c.label,
        c.households,
        c.visits,
        c.pointsRedeemed,
        fenToYuan(c.goodsValueFen),
      ]),
      total: [
        '合计',
        aid.households,
        sum(aid.byCategory, (c) => c.visits),
        sum(aid.byCategory, (c) => c.pointsRedeemed),
        fenToYuan(sum(aid.byCategory, (c) => c.goodsValueFen)),
      ],
    },
  ];
  // an empty table reads 无 and has nothing to add up
  return tables.map((table) => (table.rows.length > 0 ? table : { ...table, total: null }));
}

function smallTable(sheet: ExcelJS.Worksheet, table: SmallTable): void {
  sheet.addRow([]);
  sheet.addRow([table.title]).font = { bold: true, size: 12 };
  headerRow(sheet.addRow(table.header));
  if (table.rows.length === 0) sheet.addRow(['无']);
  for (const values of table.rows) addFigures(sheet, values, table.formats);
  if (table.total) addFigures(sheet, table.total, table.formats).font = HEADER_FONT;
}

function sum<T>(items: T[], value: (item: T) => number): number {
  return items.reduce((total, item) => total + value(item), 0);
}

const BREAKDOWN_FIGURES: {
  header: string;
  key: keyof BreakdownTotals;
  format: string;
  width: number;
}[] = [
  { header: '捐赠笔数', key: 'donationCount', format: COUNT_FORMAT, width: 12 },
  { header: '捐赠金额(元)', key: 'donationValueFen', format: YUAN_FORMAT, width: 16 },
  { header: '救助户数', key: 'households', format: COUNT_FORMAT, width: 12 },
  { header: '救助人次', key: 'visits', format: COUNT_FORMAT, width: 12 },
  { header: '兑换积分', key: 'pointsRedeemed', format: COUNT_FORMAT, width: 12 },
  { header: '发放物资价值(元)', key: 'goodsValueFen', format: YUAN_FORMAT, width: 18 },
];

function breakdownSheet(
  workbook: ExcelJS.Workbook,
  name: string,
  rows: BreakdownRow[],
  report: MonthlyReport,
  level: 'township' | 'store',
): void {
  const sheet = workbook.addWorksheet(
    name,
    printedSheet({ frozenRows: 1, repeatedRows: 1, scale: 'fitToWidth' }),
  );
  const figures = level === 'township' ? [ACTIVE_STORES, ...BREAKDOWN_FIGURES] : BREAKDOWN_FIGURES;
  sheet.columns = [
    { header: '编码', width: 12 },
    { header: level === 'township' ? '乡镇' : '超市', width: 28 },
    ...figures.map(({ header, format, width }) => ({ header, width, style: { numFmt: format } })),
  ];
  headerRow(sheet.getRow(1));
  const values = (row: BreakdownTotals) =>
    figures.map(({ key, format }) => (format === YUAN_FORMAT ? fenToYuan(row[key]) : row[key]));
  for (const row of rows) sheet.addRow([row.code, row.name, ...values(row)]);
  if (rows.length > 0) {
    sheet.addRow([null, '合计', ...values(breakdownTotals(rows, report.aid.households))]).font =
      HEADER_FONT;
    sheet.addRow([null, DISTINCT_HOUSEHOLDS_NOTE]);
  }
  sheet.commit();
}

const ACTIVE_STORES = {
  header: '开展服务超市数',
  key: 'activeStores',
  format: COUNT_FORMAT,
  width: 14,
} as const;
