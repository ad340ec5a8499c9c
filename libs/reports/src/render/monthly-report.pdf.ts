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
  type TableStyle,
} from '@charity/documents';
import type { BreakdownRow, MonthlyReport, TrendPoint } from '../monthly-report.types';
import {
  breakdownTotals,
  type BreakdownTotals,
  DISTINCT_HOUSEHOLDS_NOTE,
  donorKindLabels,
  formatCount,
  formatFigure,
  NO_FIGURE,
  parseMonth,
  periodText,
  reportTitle,
  share,
  shanghaiDateTime,
  signedYuan,
  sourceNote,
  summaryRows,
} from './report-format';

// A4 portrait, 210 × 297 mm.
const PAGE_WIDTH = mm(210);
const MARGIN_X = mm(15);
const CONTENT_WIDTH = PAGE_WIDTH - 2 * MARGIN_X;
const RIGHT = MARGIN_X + CONTENT_WIDTH;
const RUNNING_HEADER_BASELINE = mm(13);
const CONTENT_TOP = mm(20);
const BOTTOM = mm(281);
const PAGE_NUMBER_BASELINE = mm(289);

const TABLE: TableStyle = { fontSize: 8.5, minRowHeight: mm(6.2), headerFill: '#eeeeee' };
const EMPHASIS_FILL = '#f5f5f5';
const ACCENT = '#b3261e';
const MUTED = '#555555';
const RULE = '#333333';
const GRID = '#d9d9d9';
const DONATION_COLOUR = '#c0392b';
const VISITS_COLOUR = '#1f5fa8';

const SECTION_HEIGHT = mm(10);
const CAPTION_HEIGHT = mm(6.5);
const TABLE_GAP = mm(4);

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

/** Where the next thing goes, and a fresh page with the running header when it will not fit. */
class PageFlow {
  y = CONTENT_TOP;

  constructor(
    readonly doc: PDFKit.PDFDocument,
    private readonly title: string,
    private readonly unionName: string,
  ) {}

  newPage(): void {
    this.doc.addPage();
    const options = { lineBreak: false, baseline: 'alphabetic' } as const;
    this.doc.fontSize(8).fillColor(MUTED);
    this.doc.text(this.title, MARGIN_X, RUNNING_HEADER_BASELINE, options);
    const union = this.unionName;
    this.doc.text(union, RIGHT - this.doc.widthOfString(union), RUNNING_HEADER_BASELINE, options);
    this.doc
      .moveTo(MARGIN_X, RUNNING_HEADER_BASELINE + mm(2))
      .lineTo(RIGHT, RUNNING_HEADER_BASELINE + mm(2))
      .lineWidth(0.5)
      .stroke(RULE);
    this.doc.fillColor('#000000');
    this.y = CONTENT_TOP;
  }

  /** A section heading not drawn yet: it goes down with the start of what follows it. */
  private heading: string | null = null;

  /** Holds `title` back until the next thing under it is placed, so they share a page. */
  headWith(title: string): void {
    this.heading = title;
  }

  /**
   * Starts a new page unless `height` still fits below, together with a heading waiting to be
   * drawn; a fresh page is never left blank.
   */
  ensure(height: number): void {
    const heading = this.heading === null ? 0 : SECTION_HEIGHT;
    if (this.y + heading + height > BOTTOM && this.y > CONTENT_TOP) this.newPage();
    if (this.heading !== null) {
      const { doc } = this;
      doc.rect(MARGIN_X, this.y + mm(1.5), mm(1.2), mm(5)).fill(ACCENT);
      doc.fillColor('#000000').fontSize(13);
      doc.text(this.heading, MARGIN_X + mm(3), this.y + mm(1.4), { lineBreak: false });
      this.y += SECTION_HEIGHT;
      this.heading = null;
    }
  }
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

/** The largest size from `max` down to `min` at which `text` fits `width` on one line. */
function fitSize(
  doc: PDFKit.PDFDocument,
  text: string,
  width: number,
  max: number,
  min: number,
): number {
  const atOne = doc.fontSize(1).widthOfString(text);
  if (atOne === 0) return max;
  return Math.max(min, Math.min(max, Math.floor((width / atOne) * 2) / 2));
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

/** 0, step, … max: five equal steps of 1, 2, 2.5 or 5 × 10ⁿ, whole numbers when `integer`. */
function niceScale(max: number, integer: boolean): { step: number; max: number; decimals: number } {
  const intervals = 5;
  const raw = max > 0 ? max / intervals : 1;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  // 2.5 would make steps of 3 once rounded up to whole numbers
  const factors = integer && magnitude < 10 ? [1, 2, 5, 10] : [1, 2, 2.5, 5, 10];
  const factor = factors.find((f) => f * magnitude >= raw * (1 - 1e-9)) ?? 10;
  let step = factor * magnitude;
  if (integer) step = Math.max(1, Math.round(step));
  const decimals = Math.max(0, -Math.floor(Math.log10(step) + 1e-9) + (factor === 2.5 ? 1 : 0));
  return { step, max: step * intervals, decimals: integer ? 0 : decimals };
}

function chartTitle(flow: PageFlow, title: string): void {
  flow.doc.fontSize(10).fillColor('#000000');
  flow.doc.text(title, MARGIN_X, flow.y + mm(1), { lineBreak: false });
  flow.y += CAPTION_HEIGHT;
}

/** (一) 各乡镇救助人次: one horizontal bar per township, over as many pages as it takes. */
function townshipBarChart(flow: PageFlow, townships: BreakdownRow[]): void {
  const { doc } = flow;
  const caption = '（一）各乡镇救助人次';
  if (townships.length === 0) {
    flow.ensure(CAPTION_HEIGHT + mm(10));
    chartTitle(flow, caption);
    doc
      .fontSize(9)
      .fillColor(MUTED)
      .text('无乡镇数据', MARGIN_X, flow.y + mm(2));
    doc.fillColor('#000000');
    flow.y += mm(12);
    return;
  }
  const scale = niceScale(Math.max(0, ...townships.map((t) => t.visits)), true);
  const names = townships.map((t) => oneLine(t.name));
  doc.fontSize(8);
  const labelWidth = Math.min(mm(38), Math.max(...names.map((n) => doc.widthOfString(n))));
  const plotLeft = MARGIN_X + labelWidth + mm(3);
  const plotRight = RIGHT - mm(14);
  const plotWidth = plotRight - plotLeft;
  const axisHeight = mm(9);
  const pitch = Math.min(mm(7), Math.max(mm(4.5), mm(110) / townships.length));
  const perPage = Math.floor((BOTTOM - CONTENT_TOP - CAPTION_HEIGHT - axisHeight) / pitch);

  for (let first = 0; first < townships.length; first += perPage) {
    const chunk = townships.slice(first, first + perPage);
    const plotHeight = chunk.length * pitch;
    flow.ensure(CAPTION_HEIGHT + plotHeight + axisHeight);
    chartTitle(flow, first === 0 ? caption : `${caption}（续）`);
    const top = flow.y + mm(1);
    const bottom = top + plotHeight;

    for (let tick = 0; tick * scale.step <= scale.max; tick++) {
      const value = tick * scale.step;
      const x = plotLeft + (value / scale.max) * plotWidth;
      doc
        .moveTo(x, top)
        .lineTo(x, bottom)
        .lineWidth(0.4)
        .stroke(tick === 0 ? RULE : GRID);
      doc
        .moveTo(x, bottom)
        .lineTo(x, bottom + mm(1))
        .lineWidth(0.6)
        .stroke(RULE);
      const label = formatCount(value);
      doc.fontSize(7).fillColor(MUTED);
      doc.text(label, x - doc.widthOfString(label) / 2, bottom + mm(1.8), { lineBreak: false });
    }
    doc.moveTo(plotLeft, bottom).lineTo(plotRight, bottom).lineWidth(0.6).stroke(RULE);
    doc
      .fontSize(7)
      .fillColor(MUTED)
      .text('（人次）', plotRight + mm(4), bottom + mm(1.8), {
        lineBreak: false,
      });

    chunk.forEach((township, i) => {
      const centre = top + (i + 0.5) * pitch;
      const barHeight = pitch * 0.62;
      const length = (township.visits / scale.max) * plotWidth;
      if (length > 0) {
        doc.rect(plotLeft, centre - barHeight / 2, length, barHeight).fill(VISITS_COLOUR);
      }
      const name = names[first + i];
      doc.fillColor('#000000').fontSize(fitSize(doc, name, labelWidth, 8, 5));
      const nameHeight = doc.currentLineHeight();
      doc.text(name, plotLeft - mm(2) - doc.widthOfString(name), centre - nameHeight / 2, {
        lineBreak: false,
      });
      const value = formatCount(township.visits);
      doc.fontSize(7.5);
      doc.text(value, plotLeft + length + mm(1.2), centre - doc.currentLineHeight() / 2, {
        lineBreak: false,
      });
    });
    flow.y = bottom + axisHeight;
  }
  flow.y += TABLE_GAP;
}

/** (二) 近12个月趋势: goods and cash given (捐赠款物) in 万元 on the left axis, 人次 on the right. */
function trendLineChart(flow: PageFlow, trend: TrendPoint[]): void {
  const { doc } = flow;
  const height = mm(92);
  flow.ensure(CAPTION_HEIGHT + height);
  chartTitle(flow, '（二）近12个月捐赠与救助趋势');
  if (trend.length === 0) {
    doc
      .fontSize(9)
      .fillColor(MUTED)
      .text('无趋势数据', MARGIN_X, flow.y + mm(2));
    doc.fillColor('#000000');
    flow.y += mm(12);
    return;
  }

  const legendTop = flow.y + mm(1);
  const plotLeft = MARGIN_X + mm(14);
  const plotRight = RIGHT - mm(14);
  const plotTop = legendTop + mm(10);
  const plotBottom = flow.y + height - mm(14);
  const plotWidth = plotRight - plotLeft;
  const plotHeight = plotBottom - plotTop;

  const donations = trend.map((p) => p.donationValueFen / 1_000_000); // 万元, for drawing only
  const visits = trend.map((p) => p.visits);
  const left = niceScale(Math.max(0, ...donations), false);
  const right = niceScale(Math.max(0, ...visits), true);
  const yOf = (value: number, max: number) => plotBottom - (Math.max(0, value) / max) * plotHeight;
  // Each month gets an equal band and its point sits in the middle, so one month is centred.
  const xOf = (i: number) => plotLeft + ((i + 0.5) * plotWidth) / trend.length;

  doc.fontSize(7);
  for (let tick = 0; tick <= 5; tick++) {
    const y = plotBottom - (tick / 5) * plotHeight;
    doc
      .moveTo(plotLeft, y)
      .lineTo(plotRight, y)
      .lineWidth(0.4)
      .stroke(tick === 0 ? RULE : GRID);
    const leftLabel = (tick * left.step).toFixed(left.decimals);
    const rightLabel = formatCount(tick * right.step);
    const baseline = y - doc.currentLineHeight() / 2;
    doc.fillColor(DONATION_COLOUR);
    doc.text(leftLabel, plotLeft - mm(1.5) - doc.widthOfString(leftLabel), baseline, {
      lineBreak: false,
    });
    doc.fillColor(VISITS_COLOUR).text(rightLabel, plotRight + mm(1.5), baseline, {
      lineBreak: false,
    });
  }
  doc.moveTo(plotLeft, plotTop).lineTo(plotLeft, plotBottom).lineWidth(0.6).stroke(RULE);
  doc.moveTo(plotRight, plotTop).lineTo(plotRight, plotBottom).lineWidth(0.6).stroke(RULE);
  doc
    .fontSize(7)
    .fillColor(DONATION_COLOUR)
    .text('万元', plotLeft - mm(8), plotTop - mm(5), {
      lineBreak: false,
    });
  doc.fillColor(VISITS_COLOUR).text('人次', plotRight + mm(1.5), plotTop - mm(5), {
    lineBreak: false,
  });

  trend.forEach((point, i) => {
    const { year, month } = parseMonth(point.month);
    const x = xOf(i);
    doc
      .moveTo(x, plotBottom)
      .lineTo(x, plotBottom + mm(1))
      .lineWidth(0.6)
      .stroke(RULE);
    doc.fontSize(7.5).fillColor('#000000');
    const label = `${month}月`;
    doc.text(label, x - doc.widthOfString(label) / 2, plotBottom + mm(2), { lineBreak: false });
    if (i === 0 || month === 1) {
      const yearLabel = `${year}年`;
      doc.fontSize(6.5).fillColor(MUTED);
      doc.text(yearLabel, x - doc.widthOfString(yearLabel) / 2, plotBottom + mm(6), {
        lineBreak: false,
      });
    }
  });

  series(
    doc,
    donations.map((value, i) => [xOf(i), yOf(value, left.max)]),
    DONATION_COLOUR,
    'circle',
  );
  series(
    doc,
    visits.map((value, i) => [xOf(i), yOf(value, right.max)]),
    VISITS_COLOUR,
    'square',
  );

  legend(doc, plotLeft, legendTop, [
    ['捐赠款物（万元，左轴）', DONATION_COLOUR, 'circle'],
    ['救助人次（右轴）', VISITS_COLOUR, 'square'],
  ]);
  doc.fillColor('#000000');
  flow.y += height;
}

type Marker = 'circle' | 'square';

function series(doc: PDFKit.PDFDocument, points: [number, number][], colour: string, m: Marker) {
  if (points.length > 1) {
    doc.moveTo(...points[0]);
    for (const point of points.slice(1)) doc.lineTo(...point);
    doc.lineWidth(1.4).lineJoin('round').stroke(colour);
  }
  for (const [x, y] of points) marker(doc, x, y, colour, m);
}

function marker(doc: PDFKit.PDFDocument, x: number, y: number, colour: string, m: Marker): void {
  if (m === 'circle') doc.circle(x, y, 2.2).fill(colour);
  else doc.rect(x - 2, y - 2, 4, 4).fill(colour);
}

function legend(
  doc: PDFKit.PDFDocument,
  left: number,
  top: number,
  entries: [string, string, Marker][],
): void {
  let x = left;
  doc.fontSize(8);
  for (const [label, colour, m] of entries) {
    const y = top + mm(2);
    doc
      .moveTo(x, y)
      .lineTo(x + mm(8), y)
      .lineWidth(1.4)
      .stroke(colour);
    marker(doc, x + mm(4), y, colour, m);
    doc.fillColor('#000000').text(label, x + mm(10), y - doc.currentLineHeight() / 2, {
      lineBreak: false,
    });
    x += mm(14) + doc.widthOfString(label);
  }
}
