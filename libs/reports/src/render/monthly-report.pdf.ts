import {
  bodyCells,
  centredText,
  createPdfDocument,
  drawRow,
  FULL_WIDTH_SPACE,
  headerCells,
  mm,
  numberPages,
  oneLine,
  pdfToBuffer,
  rowHeight,
  type TableCell,
  type TableColumn,
} from '@charity/documents';
import type { BreakdownRow, MonthlyReport } from '../monthly-report.types';
import { townshipBarChart, trendLineChart } from './monthly-report-charts';
import {
  ACCENT,
  BOTTOM,
  CAPTION_HEIGHT,
  CONTENT_TOP,
  CONTENT_WIDTH,
  EMPHASIS_FILL,
  fitSize,
  MARGIN_X,
  MUTED,
  PAGE_NUMBER_BASELINE,
  PageFlow,
  RIGHT,
  TABLE,
  TABLE_GAP,
} from './monthly-report-page';
import {
  breakdownTotals,
  type BreakdownTotals,
  DISTINCT_HOUSEHOLDS_NOTE,
  donorKindLabels,
  formatCount,
  formatFigure,
  NO_FIGURE,
  periodText,
  reportTitle,
  share,
  shanghaiDateTime,
  signedYuan,
  sourceNote,
  summaryRows,
} from './report-format';

/**
 * The A4 工作月报 of one region and month: a cover with the headline and key figures, the
 * summary against the year to date and the same month last year, donations and aid broken down,
 * two charts, then every township and every store. Long tables continue on further pages under a
 * repeated header row.
 */
export async function renderMonthlyReportPdf(
  report: MonthlyReport,
  options: { unionName: string },
): Promise<Buffer> {
  const title = reportTitle(report);
  const doc = createPdfDocument({
    size: 'A4',
    margin: 0,
    bufferPages: true,
    info: { Title: title, Author: oneLine(options.unionName), Creator: '爱心超市' },
  });
  cover(doc, report, title, oneLine(options.unionName));

  const flow = new PageFlow(doc, title, oneLine(options.unionName));
  flow.newPage();
  section(flow, '一、主要指标');
  summaryTable(flow, report);
  section(flow, '二、捐赠情况');
  donationTables(flow, report);
  section(flow, '三、救助情况');
  aidTable(flow, report);
  flow.newPage(); // the charts get a page of their own
  section(flow, '四、图表');
  townshipBarChart(flow, report.townships);
  trendLineChart(flow, report.trend);
  section(flow, '五、分乡镇情况');
  breakdownTable(flow, '各乡镇情况', TOWNSHIP_COLUMNS, report.townships, report, townshipCells);
  section(flow, '六、分超市情况');
  breakdownTable(flow, '各超市情况', STORE_COLUMNS, report.storesBreakdown, report, storeCells);

  numberPages(doc, PAGE_NUMBER_BASELINE, 8);
  return pdfToBuffer(doc);
}

function cover(doc: PDFKit.PDFDocument, report: MonthlyReport, title: string, union: string) {
  centredText(doc, union, mm(52), 16, { characterSpacing: 2 });
  centredText(doc, title, mm(72), fitSize(doc, title, CONTENT_WIDTH, 24, 14));
  centredText(doc, `（${periodText(report.month)}）`, mm(82), 12);
  doc
    .moveTo(MARGIN_X + mm(20), mm(90))
    .lineTo(RIGHT - mm(20), mm(90))
    .lineWidth(1.2)
    .stroke(ACCENT);

  // The headline is one run of text on one line, so that it reads back (and copies) whole.
  const boxTop = mm(102);
  const inner = CONTENT_WIDTH - mm(8);
  const headline = oneLine(report.headline);
  const size = fitSize(doc, headline, inner, 13, 7);
  doc.fontSize(size);
  const fits = doc.widthOfString(headline) <= inner;
  const textHeight = fits
    ? doc.currentLineHeight()
    : doc.heightOfString(headline, { width: inner });
  const boxHeight = textHeight + mm(14);
  doc.roundedRect(MARGIN_X, boxTop, CONTENT_WIDTH, boxHeight, mm(2)).lineWidth(0.8).stroke(ACCENT);
  doc
    .fontSize(9)
    .fillColor(ACCENT)
    .text('本月概况', MARGIN_X + mm(4), boxTop + mm(3), {
      lineBreak: false,
    });
  doc.fillColor('#000000').fontSize(size);
  if (fits) {
    doc.text(headline, MARGIN_X + mm(4), boxTop + mm(9.5), { lineBreak: false });
  } else {
    doc.text(headline, MARGIN_X + mm(4), boxTop + mm(9.5), { width: inner });
  }

  keyFigures(doc, report, boxTop + boxHeight + mm(10));

  const notes = [
    `数据来源：${sourceNote(report)}`,
    `生成时间：${shanghaiDateTime(report.generatedAt)}`,
    '统计口径：各项数字按当月月末时点统计；以后月份作废的捐赠或兑换仍计入原月份，' +
      '并在作废当月列为“以前月份更正”。金额单位为元。',
  ];
  doc.fontSize(9).fillColor(MUTED);
  let y = mm(236);
  for (const note of notes) {
    doc.text(note, MARGIN_X, y, { width: CONTENT_WIDTH, lineGap: 2 });
    y = doc.y + mm(1.5);
  }
  doc.fillColor('#000000');
}

/** Six tiles of the month's key figures, two rows of three. */
function keyFigures(doc: PDFKit.PDFDocument, report: MonthlyReport, top: number): void {
  const tiles: [string, string][] = [
    ['开展服务超市（个）', formatCount(report.stores.active)],
    ['捐赠笔数（笔）', formatCount(report.donations.count)],
    ['捐赠款物（元）', signedYuan(report.donations.totalValueFen)],
    ['救助户数（户）', formatCount(report.aid.households)],
    ['救助人次（人次）', formatCount(report.aid.visits)],
    ['发放物资价值（元）', signedYuan(report.aid.goodsValueFen)],
  ];
  const gap = mm(5);
  const width = (CONTENT_WIDTH - 2 * gap) / 3;
  const height = mm(24);
  tiles.forEach(([label, value], i) => {
    const x = MARGIN_X + (i % 3) * (width + gap);
    const y = top + Math.floor(i / 3) * (height + gap);
    doc.rect(x, y, width, height).fill(EMPHASIS_FILL);
    doc.rect(x, y, width, mm(1)).fill(ACCENT);
    const size = fitSize(doc, value, width - mm(6), 18, 9);
    doc.fillColor(ACCENT).fontSize(size);
    doc.text(value, x + (width - doc.widthOfString(value)) / 2, y + mm(5), { lineBreak: false });
    doc.fillColor(MUTED).fontSize(9);
    doc.text(label, x + (width - doc.widthOfString(label)) / 2, y + mm(15.5), {
      lineBreak: false,
    });
  });
  doc.fillColor('#000000');
}

/** A heading never sits alone at the foot of a page: it is drawn with what follows it. */
function section(flow: PageFlow, title: string): void {
  flow.headWith(title);
}

interface TableRow {
  cells: TableCell[];
  /** Totals and section rows are shaded. */
  shaded?: boolean;
}

/**
 * A captioned table that continues on the next page under its caption (续) and the header row
 * when it runs out of room. A final totals row is kept with the row above it.
 */
function table(
  flow: PageFlow,
  caption: string,
  columns: TableColumn[],
  rows: TableRow[],
  options: { totalsLast?: boolean; note?: string } = {},
): void {
  const { doc } = flow;
  const header = headerCells(columns);
  const headerHeight = rowHeight(doc, header, TABLE);
  const heights = rows.map((row) => rowHeight(doc, row.cells, TABLE));
  const start = (title: string) => {
    doc.fontSize(10).fillColor('#000000');
    doc.text(title, MARGIN_X, flow.y + mm(1), { lineBreak: false });
    flow.y += CAPTION_HEIGHT;
    drawRow(doc, header, MARGIN_X, flow.y, headerHeight, TABLE, { header: true });
    flow.y += headerHeight;
  };

  // A table that fits on one page is kept whole; a longer one starts where its caption, header
  // row and first two rows still fit.
  const whole = CAPTION_HEIGHT + headerHeight + heights.reduce((sum, h) => sum + h, 0);
  const opening = CAPTION_HEIGHT + headerHeight + heights.slice(0, 2).reduce((a, h) => a + h, 0);
  flow.ensure(whole <= BOTTOM - CONTENT_TOP ? whole : opening);
  start(caption);
  rows.forEach((row, i) => {
    const keepWithNext = options.totalsLast && i === rows.length - 2 ? heights[i + 1] : 0;
    if (flow.y + heights[i] + keepWithNext > BOTTOM) {
      flow.newPage();
      start(`${caption}（续）`);
    }
    if (row.shaded) doc.rect(MARGIN_X, flow.y, CONTENT_WIDTH, heights[i]).fill(EMPHASIS_FILL);
    drawRow(doc, row.cells, MARGIN_X, flow.y, heights[i], TABLE);
    flow.y += heights[i];
  });
  if (options.note) {
    doc.fontSize(8).fillColor(MUTED);
    const height = doc.heightOfString(options.note, { width: CONTENT_WIDTH });
    flow.ensure(height + mm(1.5));
    doc.text(options.note, MARGIN_X, flow.y + mm(1.5), { width: CONTENT_WIDTH });
    doc.fillColor('#000000');
    flow.y += height + mm(1.5);
  }
  flow.y += TABLE_GAP;
}

function row(columns: TableColumn[], texts: string[], shaded = false): TableRow {
  return { cells: bodyCells(columns, texts), shaded };
}

function spanning(text: string, shaded = false): TableRow {
  return { cells: [{ text, width: CONTENT_WIDTH, align: 'left' }], shaded };
}

const NUMBER = { align: 'right', singleLine: true } as const;
const LABEL = { align: 'left' } as const;

const SUMMARY_COLUMNS: TableColumn[] = [
  { header: '指标', width: mm(66), ...LABEL },
  { header: '本月', width: mm(38), ...NUMBER },
  { header: '本年累计', width: mm(38), ...NUMBER },
  { header: '上年同月', width: mm(38), ...NUMBER },
];

function summaryTable(flow: PageFlow, report: MonthlyReport): void {
  const rows = summaryRows(report).map((line) =>
    line.type === 'section'
      ? spanning(line.title, true)
      : row(SUMMARY_COLUMNS, [
          `${FULL_WIDTH_SPACE}${line.label}`,
          formatFigure(line.kind, line.month),
          formatFigure(line.kind, line.yearToDate),
          line.lastYear === null ? NO_FIGURE : formatFigure(line.kind, line.lastYear),
        ]),
  );
  const note = report.lastYear === null ? '注：上年同月无数据，以“—”表示。' : undefined;
  table(flow, '本月与本年累计、上年同月对比', SUMMARY_COLUMNS, rows, { note });
}

function donationTables(flow: PageFlow, report: MonthlyReport): void {
  const { donations } = report;
  const kindColumns: TableColumn[] = [
    { header: '捐赠方类型', width: mm(60), ...LABEL },
    { header: '捐赠笔数', width: mm(28), ...NUMBER },
    { header: '捐赠方数', width: mm(28), ...NUMBER },
    { header: '金额(元)', width: mm(38), ...NUMBER },
    { header: '占比', width: mm(26), ...NUMBER },
  ];
  const kindRows = donations.byDonorKind.map((kind) =>
    row(kindColumns, [
      oneLine(kind.label),
      formatCount(kind.count),
      formatCount(kind.donors),
      signedYuan(kind.totalValueFen),
      share(kind.totalValueFen, donations.totalValueFen),
    ]),
  );
  const kindTotal = donations.byDonorKind.reduce((sum, kind) => sum + kind.totalValueFen, 0);
  if (kindRows.length === 0) kindRows.push(spanning('本月无捐赠'));
  else {
    kindRows.push(
      row(
        kindColumns,
        [
          '合计',
          formatCount(donations.byDonorKind.reduce((sum, kind) => sum + kind.count, 0)),
          formatCount(donations.donors),
          signedYuan(kindTotal),
          share(kindTotal, donations.totalValueFen),
        ],
        true,
      ),
    );
  }
  table(flow, '（一）按捐赠方类型', kindColumns, kindRows, { totalsLast: true });

  const categoryColumns: TableColumn[] = [
    { header: '物资品类', width: mm(70), ...LABEL },
    { header: '数量', width: mm(34), ...NUMBER },
    { header: '价值(元)', width: mm(42), ...NUMBER },
    { header: '占物资价值', width: mm(34), ...NUMBER },
  ];
  const categoryRows = donations.byCategory.map((category) =>
    row(categoryColumns, [
      oneLine(category.name),
      formatCount(category.quantity),
      signedYuan(category.valueFen),
      share(category.valueFen, donations.goodsValueFen),
    ]),
  );
  if (categoryRows.length === 0) categoryRows.push(spanning('本月无物资捐赠'));
  else {
    const total = donations.byCategory.reduce((sum, category) => sum + category.valueFen, 0);
    categoryRows.push(
      row(
        categoryColumns,
        ['合计', '', signedYuan(total), share(total, donations.goodsValueFen)],
        true,
      ),
    );
  }
  table(flow, '（二）按物资品类', categoryColumns, categoryRows, { totalsLast: true });

  const kinds = donorKindLabels();
  const donorColumns: TableColumn[] = [
    { header: '序号', width: mm(12), align: 'center', singleLine: true },
    { header: '捐赠方', width: mm(80), ...LABEL },
    { header: '类型', width: mm(26), align: 'center' },
    { header: '捐赠笔数', width: mm(24), ...NUMBER },
    { header: '金额(元)', width: mm(38), ...NUMBER },
  ];
  const donorRows = donations.topDonors.map((donor, i) =>
    row(donorColumns, [
      String(i + 1),
      oneLine(donor.name),
      kinds.get(donor.kind) ?? donor.kind,
      formatCount(donor.count),
      signedYuan(donor.totalValueFen),
    ]),
  );
  if (donorRows.length === 0) donorRows.push(spanning('本月无捐赠'));
  table(flow, '（三）主要捐赠方', donorColumns, donorRows);
}

function aidTable(flow: PageFlow, report: MonthlyReport): void {
  const { aid } = report;
  const columns: TableColumn[] = [
    { header: '困难户类别', width: mm(44), ...LABEL },
    { header: '户数', width: mm(24), ...NUMBER },
    { header: '人次', width: mm(24), ...NUMBER },
    { header: '人次占比', width: mm(24), ...NUMBER },
    { header: '兑换积分', width: mm(28), ...NUMBER },
    { header: '发放物资价值(元)', width: mm(36), ...NUMBER },
  ];
  const rows = aid.byCategory.map((category) =>
    row(columns, [
      oneLine(category.label),
      formatCount(category.households),
      formatCount(category.visits),
      share(category.visits, aid.visits),
      formatCount(category.pointsRedeemed),
      signedYuan(category.goodsValueFen),
    ]),
  );
  const sum = (key: 'visits' | 'pointsRedeemed' | 'goodsValueFen') =>
    aid.byCategory.reduce((total, category) => total + category[key], 0);
  if (rows.length === 0) rows.push(spanning('本月无兑换'));
  else {
    rows.push(
      row(
        columns,
        [
          '合计',
          formatCount(aid.households),
          formatCount(sum('visits')),
          share(sum('visits'), aid.visits),
          formatCount(sum('pointsRedeemed')),
          signedYuan(sum('goodsValueFen')),
        ],
        true,
      ),
    );
  }
  table(flow, '按困难户类别', columns, rows, { totalsLast: true });
}

const TOWNSHIP_COLUMNS: TableColumn[] = [
  { header: '序号', width: mm(10), align: 'center', singleLine: true },
  { header: '乡镇', width: mm(34), ...LABEL },
  { header: '开展服务超市', width: mm(16), ...NUMBER },
  { header: '捐赠笔数', width: mm(16), ...NUMBER },
  { header: '捐赠金额(元)', width: mm(26), ...NUMBER },
  { header: '救助户数', width: mm(16), ...NUMBER },
  { header: '救助人次', width: mm(16), ...NUMBER },
  { header: '兑换积分', width: mm(20), ...NUMBER },
  { header: '发放物资(元)', width: mm(26), ...NUMBER },
];

const STORE_COLUMNS: TableColumn[] = [
  { header: '序号', width: mm(10), align: 'center', singleLine: true },
  { header: '编码', width: mm(18), align: 'left', singleLine: true },
  { header: '超市', width: mm(42), ...LABEL },
  { header: '捐赠笔数', width: mm(15), ...NUMBER },
  { header: '捐赠金额(元)', width: mm(25), ...NUMBER },
  { header: '救助户数', width: mm(15), ...NUMBER },
  { header: '救助人次', width: mm(15), ...NUMBER },
  { header: '兑换积分', width: mm(18), ...NUMBER },
  { header: '发放物资(元)', width: mm(22), ...NUMBER },
];

/** What a breakdown row is printed under; the 合计 row has no 序号 and no code. */
interface BreakdownLabel {
  no: string;
  code: string;
  name: string;
}

function figureTexts(figures: BreakdownTotals): string[] {
  return [
    formatCount(figures.donationCount),
    signedYuan(figures.donationValueFen),
    formatCount(figures.households),
    formatCount(figures.visits),
    formatCount(figures.pointsRedeemed),
    signedYuan(figures.goodsValueFen),
  ];
}

function townshipCells(label: BreakdownLabel, figures: BreakdownTotals): string[] {
  return [label.no, label.name, formatCount(figures.activeStores), ...figureTexts(figures)];
}

function storeCells(label: BreakdownLabel, figures: BreakdownTotals): string[] {
  return [label.no, label.code, label.name, ...figureTexts(figures)];
}

function breakdownTable(
  flow: PageFlow,
  caption: string,
  columns: TableColumn[],
  breakdown: BreakdownRow[],
  report: MonthlyReport,
  texts: (label: BreakdownLabel, figures: BreakdownTotals) => string[],
): void {
  if (breakdown.length === 0) {
    table(flow, caption, columns, [spanning('无数据')]);
    return;
  }
  const rows = breakdown.map((item, i) =>
    row(
      columns,
      texts({ no: String(i + 1), code: item.code ?? '', name: oneLine(item.name) }, item),
    ),
  );
  const totals = breakdownTotals(breakdown, report.aid.households);
  rows.push(row(columns, texts({ no: '', code: '', name: '合计' }, totals), true));
  table(flow, caption, columns, rows, { totalsLast: true, note: DISTINCT_HOUSEHOLDS_NOTE });
}
