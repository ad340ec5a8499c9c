import { PassThrough } from 'node:stream';
import { FULL_WIDTH_SPACE, printedSheet } from '@charity/documents';
import ExcelJS from 'exceljs';
import type {
  AidRegisterRow,
  BreakdownRow,
  DonationRegisterRow,
  MonthlyReport,
} from '../monthly-report.types';
import {
  breakdownTotals,
  type BreakdownTotals,
  DISTINCT_HOUSEHOLDS_NOTE,
  DONATION_STATUS_LABELS,
  donorKindLabels,
  type FigureKind,
  fenToYuan,
  FULFILMENT_LABELS,
  NO_FIGURE,
  periodText,
  REDEMPTION_STATUS_LABELS,
  reportTitle,
  shanghaiDateTime,
  sourceNote,
  summaryRows,
} from './report-format';

/** Money cells hold yuan numbers, fen / 100 worked out once from whole fen, shown to the fen. */
export const YUAN_FORMAT = '#,##0.00';
export const COUNT_FORMAT = '#,##0';
export const DATE_FORMAT = 'yyyy-mm-dd';

const HEADER_FONT: Partial<ExcelJS.Font> = { bold: true };
const HEADER_FILL: ExcelJS.Fill = {
  type: 'pattern',
  pattern: 'solid',
  fgColor: { argb: 'FFEEEEEE' },
};

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

type Cell = string | number | Date | null;

/** 汇总's columns: the label and at most four figures (按困难户类别 has the most). */
const SUMMARY_COLUMNS = 5;

function numFmt(kind: FigureKind): string {
  return kind === 'fen' ? YUAN_FORMAT : COUNT_FORMAT;
}

function figure(kind: FigureKind, value: number): number {
  return kind === 'fen' ? fenToYuan(value) : value;
}

function headerRow(row: ExcelJS.Row): void {
  row.font = HEADER_FONT;
  row.eachCell((cell) => {
    cell.fill = HEADER_FILL;
  });
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
  // the title and period head every printed page; 指标/本月… heads only the first table
  const sheet = workbook.addWorksheet('汇总', printedSheet({ frozenRows: 3, repeatedRows: 2 }));
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
    addFigures(
      sheet,
      [
        line.label,
        figure(line.kind, line.month),
        figure(line.kind, line.yearToDate),
        line.lastYear === null ? NO_FIGURE : figure(line.kind, line.lastYear),
      ],
      [null, format, format, line.lastYear === null ? null : format],
    );
  }

  const { donations, aid } = report;
  smallTable(
    sheet,
    '按捐赠方类型',
    ['捐赠方类型', '捐赠笔数', '捐赠方数', '金额(元)'],
    [null, COUNT_FORMAT, COUNT_FORMAT, YUAN_FORMAT],
    donations.byDonorKind.map((k) => [k.label, k.count, k.donors, fenToYuan(k.totalValueFen)]),
    // a donor has one kind, so the kinds' donors add up to the month's distinct donors
    [
      '合计',
      sum(donations.byDonorKind, (k) => k.count),
      donations.donors,
      fenToYuan(sum(donations.byDonorKind, (k) => k.totalValueFen)),
    ],
  );
  smallTable(
    sheet,
    '按物资品类',
    ['物资品类', '数量', '价值(元)'],
    [null, COUNT_FORMAT, YUAN_FORMAT],
    donations.byCategory.map((c) => [c.name, c.quantity, fenToYuan(c.valueFen)]),
    // quantities of different units do not add up
    ['合计', null, fenToYuan(sum(donations.byCategory, (c) => c.valueFen))],
  );
  const kinds = donorKindLabels();
  smallTable(
    sheet,
    '主要捐赠方',
    ['捐赠方', '类型', '捐赠笔数', '金额(元)'],
    [null, null, COUNT_FORMAT, YUAN_FORMAT],
    donations.topDonors.map((d) => [
      d.name,
      kinds.get(d.kind) ?? d.kind,
      d.count,
      fenToYuan(d.totalValueFen),
    ]),
    null, // the first few donors only: their sum would pass for the month's
  );
  smallTable(
    sheet,
    '按困难户类别',
    ['困难户类别', '户数', '人次', '兑换积分', '发放物资价值(元)'],
    [null, COUNT_FORMAT, COUNT_FORMAT, COUNT_FORMAT, YUAN_FORMAT],
    aid.byCategory.map((c) => [
      c.label,
      c.households,
      c.visits,
      c.pointsRedeemed,
      fenToYuan(c.goodsValueFen),
    ]),
    [
      '合计',
      aid.households,
      sum(aid.byCategory, (c) => c.visits),
      sum(aid.byCategory, (c) => c.pointsRedeemed),
      fenToYuan(sum(aid.byCategory, (c) => c.goodsValueFen)),
    ],
  );
  sheet.commit();
}

function smallTable(
  sheet: ExcelJS.Worksheet,
  title: string,
  header: string[],
  formats: (string | null)[],
  rows: Cell[][],
  total: Cell[] | null,
): void {
  sheet.addRow([]);
  sheet.addRow([title]).font = { bold: true, size: 12 };
  headerRow(sheet.addRow(header));
  if (rows.length === 0) sheet.addRow(['无']);
  for (const values of rows) addFigures(sheet, values, formats);
  if (total && rows.length > 0) addFigures(sheet, total, formats).font = HEADER_FONT;
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
  const sheet = workbook.addWorksheet(name, printedSheet({ frozenRows: 1, repeatedRows: 1 }));
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

interface RegisterColumn {
  header: string;
  width: number;
  numFmt?: string;
}

/**
 * A register sheet: bold frozen header with a filter and column formats. `add` appends and
 * commits one row; `done` writes the 合计 row and its note under any rows, set apart by a blank
 * row so that sorting or filtering the register leaves them where they are, and commits the sheet.
 */
function registerSheet(
  workbook: ExcelJS.Workbook,
  name: string,
  columns: RegisterColumn[],
): { add: (values: Cell[]) => void; done: (total: Cell[], note: string) => void } {
  const sheet = workbook.addWorksheet(name, printedSheet({ frozenRows: 1, repeatedRows: 1 }));
  sheet.columns = columns.map(({ header, width, numFmt: format }) => ({
    header,
    width,
    ...(format ? { style: { numFmt: format } } : {}),
  }));
  headerRow(sheet.getRow(1));
  sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: columns.length } };
  // exceljs gives every new cell its own copy of the column style and finds a style's id by
  // object identity, so 100 000 rows would mean a million styles serialised to be looked up.
  // Handing each column's cells one shared object halves the time of a large register.
  const styles: Partial<ExcelJS.Style>[] = columns.map(({ numFmt: format }) =>
    format ? { numFmt: format } : {},
  );
  const add = (values: Cell[], rowStyles: Partial<ExcelJS.Style>[]) => {
    const row = sheet.addRow(values);
    rowStyles.forEach((style, i) => {
      row.getCell(i + 1).style = style;
    });
    row.commit();
  };
  let rows = 0;
  return {
    add: (values) => {
      add(values, styles);
      rows += 1;
    },
    done: (total, note) => {
      if (rows > 0) {
        add([], []);
        add(
          total,
          styles.map((style) => ({ ...style, font: HEADER_FONT })),
        );
        add([note], []);
      }
      sheet.commit();
    },
  };
}

/** `YYYY-MM-DD` as a date cell (midnight UTC, which Excel shows as that day). */
function dateCell(date: string): Date | string {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  return match ? new Date(Date.UTC(+match[1], +match[2] - 1, +match[3])) : date;
}

function yuanOrNull(fen: number | null): number | null {
  return fen === null ? null : fenToYuan(fen);
}

function donationSheet(
  workbook: ExcelJS.Workbook,
  rows: DonationRegisterRow[],
  kinds: Map<string, string>,
): void {
  const register = registerSheet(workbook, '捐赠明细', [
    { header: '收据编号', width: 22 },
    { header: '捐赠日期', width: 12, numFmt: DATE_FORMAT },
    { header: '接收超市', width: 24 },
    { header: '捐赠方', width: 26 },
    { header: '捐赠方类型', width: 12 },
    { header: '行号', width: 6, numFmt: COUNT_FORMAT },
    { header: '物资名称', width: 22 },
    { header: '物资品类', width: 14 },
    { header: '数量', width: 10, numFmt: COUNT_FORMAT },
    { header: '单位', width: 6 },
    { header: '单价(元)', width: 12, numFmt: YUAN_FORMAT },
    { header: '金额(元)', width: 14, numFmt: YUAN_FORMAT },
    { header: '现金(元)', width: 14, numFmt: YUAN_FORMAT },
    { header: '状态', width: 8 },
  ]);
  // in fen, summed as the month's figures sum them
  const counted = { donations: new Set<number>(), amountFen: 0, cashFen: 0 };
  for (const row of rows) {
    if (row.countsInMonth) {
      counted.donations.add(row.donationId);
      counted.amountFen += row.amountFen;
      counted.cashFen += row.cashFen;
    }
    register.add([
      row.receiptNo,
      dateCell(row.receivedDate),
      row.storeName,
      row.donorName,
      kinds.get(row.donorKind) ?? row.donorKind,
      row.lineNo,
      row.productName,
      row.categoryName,
      row.quantity,
      row.unit,
      yuanOrNull(row.unitValueFen),
      fenToYuan(row.amountFen),
      fenToYuan(row.cashFen),
      DONATION_STATUS_LABELS[row.status] ?? row.status,
    ]);
  }
  register.done(
    [
      `合计：${counted.donations.size}笔`,
      ...Array<Cell>(10).fill(null),
      fenToYuan(counted.amountFen),
      fenToYuan(counted.cashFen),
    ],
    '注：合计与汇总表同口径：当月作废的不计；月末之后才作废的仍计入当月，在作废的月份作为更正扣减。',
  );
}

function aidSheet(workbook: ExcelJS.Workbook, rows: AidRegisterRow[]): void {
  const register = registerSheet(workbook, '兑换明细', [
    { header: '兑换单号', width: 22 },
    { header: '兑换日期', width: 12, numFmt: DATE_FORMAT },
    { header: '超市', width: 24 },
    { header: '乡镇', width: 14 },
    { header: '积分卡号', width: 18 },
    { header: '困难户类别', width: 12 },
    { header: '兑换方式', width: 10 },
    { header: '状态', width: 8 },
    { header: '品项数', width: 8, numFmt: COUNT_FORMAT },
    { header: '积分', width: 10, numFmt: COUNT_FORMAT },
    { header: '物资价值(元)', width: 14, numFmt: YUAN_FORMAT },
  ]);
  // in fen, summed as the month's figures sum them
  const counted = { visits: 0, lines: 0, points: 0, goodsValueFen: 0 };
  for (const row of rows) {
    if (row.countsInMonth) {
      counted.visits += 1;
      counted.lines += row.lines;
      counted.points += row.pointsTotal;
      counted.goodsValueFen += row.goodsValueFen;
    }
    register.add([
      row.receiptNo,
      dateCell(row.businessDate),
      row.storeName,
      row.townshipName,
      row.cardNo,
      row.householdCategoryLabel,
      FULFILMENT_LABELS[row.fulfilment] ?? row.fulfilment,
      REDEMPTION_STATUS_LABELS[row.status] ?? row.status,
      row.lines,
      row.pointsTotal,
      fenToYuan(row.goodsValueFen),
    ]);
  }
  register.done(
    [
      `合计：${counted.visits}人次`,
      ...Array<Cell>(7).fill(null),
      counted.lines,
      counted.points,
      fenToYuan(counted.goodsValueFen),
    ],
    '注：合计与汇总表同口径：当月作废、取消的不计；月末之后才作废或取消的仍计入当月，在作废或取消的月份作为更正扣减。',
  );
}
