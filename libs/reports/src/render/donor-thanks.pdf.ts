import { ValidationFailedError } from '@charity/common';
import {
  bodyCells,
  centredText,
  chineseDate,
  createPdfDocument,
  drawRow,
  formatYuan,
  headerCells,
  isIsoDate,
  mm,
  oneLine,
  pdfToBuffer,
  rowHeight,
  type TableColumn,
  type TableStyle,
} from '@charity/documents';
import type { DonorImpact } from '../monthly-report.types';
import { formatCount } from './report-format';

// A4 portrait, 210 × 297 mm; the letter always fits one page.
const PAGE_WIDTH = mm(210);
const MARGIN_X = mm(22);
const CONTENT_WIDTH = PAGE_WIDTH - 2 * MARGIN_X;
const BOTTOM = mm(280);

const BODY_SIZE = 12;
const PARAGRAPH = {
  width: CONTENT_WIDTH,
  lineGap: 6,
  indent: 2 * BODY_SIZE,
  align: 'justify',
} as const;
const TABLE: TableStyle = { fontSize: 9, minRowHeight: mm(6.2), headerFill: '#eeeeee' };
const TABLE_GAP = mm(4);
const LEFT_WIDTH = mm(86);
const RIGHT_WIDTH = CONTENT_WIDTH - LEFT_WIDTH - TABLE_GAP;

const TOWNSHIP_COLUMNS: TableColumn[] = [
  { header: '受助乡镇', width: mm(30), align: 'left' },
  { header: '户数', width: mm(14), align: 'right', singleLine: true },
  { header: '人次', width: mm(16), align: 'right', singleLine: true },
  { header: '物资价值(元)', width: LEFT_WIDTH - mm(60), align: 'right', singleLine: true },
];
const PRODUCT_COLUMNS: TableColumn[] = [
  { header: '捐赠物资', width: RIGHT_WIDTH - mm(44), align: 'left' },
  { header: '单位', width: mm(10), align: 'center' },
  { header: '捐赠数量', width: mm(17), align: 'right', singleLine: true },
  { header: '已发放', width: mm(17), align: 'right', singleLine: true },
];

/**
 * 感谢信: a one-page letter thanking a donor for a year's gifts, with what became of them — how
 * much has been handed out, to how many households and 人次, in which townships — and signed by
 * the union. Households are counted, never named. Tables too long for the page end in a line
 * saying how many more there are.
 */
export async function renderDonorThanksPdf(
  impact: DonorImpact,
  options: { unionName: string; issuedOn: string },
): Promise<Buffer> {
  validate(impact, options);
  const unionName = oneLine(options.unionName);
  const donorName = oneLine(impact.donorName);
  const doc = createPdfDocument({
    size: 'A4',
    margin: 0,
    info: { Title: `感谢信 ${donorName}`, Author: unionName, Creator: '爱心超市' },
  });

  centredText(doc, '感谢信', mm(34), 28, { characterSpacing: 12 });
  doc.fontSize(BODY_SIZE).text(`尊敬的${donorName}：`, MARGIN_X, mm(48));
  doc.moveDown(0.6);
  for (const paragraph of paragraphs(impact, unionName)) {
    doc.text(paragraph, MARGIN_X, doc.y, PARAGRAPH);
    doc.moveDown(0.3);
  }

  let y = doc.y + mm(3);
  const closing = closingText();
  const closingHeight = doc.fontSize(BODY_SIZE).heightOfString(closing, PARAGRAPH) + mm(38);
  const tableBottom = BOTTOM - closingHeight;
  if (impact.townships.length > 0 || impact.products.length > 0) {
    const left = townshipTable(doc, impact, MARGIN_X, y, tableBottom);
    const right = productTable(doc, impact, MARGIN_X + LEFT_WIDTH + TABLE_GAP, y, tableBottom);
    y = Math.max(left, right) + mm(5);
  }

  doc.fontSize(BODY_SIZE).fillColor('#000000').text(closing, MARGIN_X, y, PARAGRAPH);
  y = doc.y + mm(2);
  doc.text('此致', MARGIN_X + 2 * BODY_SIZE, y, { lineBreak: false });
  doc.text('敬礼！', MARGIN_X, y + mm(8), { lineBreak: false });
  signature(doc, unionName, options.issuedOn, y + mm(18));
  return pdfToBuffer(doc);
}

function paragraphs(impact: DonorImpact, unionName: string): string[] {
  const donated = `${impact.year}年，您通过${unionName}爱心超市捐赠了价值 ${formatYuan(impact.donatedValueFen)} 元的爱心物资。`;
  if (impact.givenOutValueFen === 0) {
    return [
      `${donated}这些物资已全部登记入库，将按照困难职工群众的需要陆续发放，每一件都将用在最需要的地方。`,
    ];
  }
  const places = impact.townships.length > 0 ? `${impact.townships.length}个乡镇的` : '';
  return [
    donated,
    `截至目前，其中价值 ${formatYuan(impact.givenOutValueFen)} 元的物资（占 ${impact.givenOutPercent.toFixed(1)}%）` +
      `已经通过${places}爱心超市送到困难职工群众手中，惠及困难家庭 ${formatCount(impact.households)} 户，` +
      `共计 ${formatCount(impact.visits)} 人次。您捐赠物资的去向如下：`,
  ];
}

function closingText(): string {
  return (
    '您的善举为困难职工群众送去了温暖和希望，也带动了更多爱心人士参与到帮扶工作中来。' +
    '我们将管好用好每一份爱心物资，让您的爱心切实惠及每一户困难家庭。在此，谨向您致以衷心的感谢和崇高的敬意！'
  );
}

/** Draws the rows that fit above `bottom`; the last of them says how many were left out. */
function fittedTable(
  doc: PDFKit.PDFDocument,
  columns: TableColumn[],
  rows: string[][],
  left: number,
  top: number,
  bottom: number,
  overflow: (hidden: number) => string[],
): number {
  const header = headerCells(columns);
  const headerHeight = rowHeight(doc, header, TABLE);
  drawRow(doc, header, left, top, headerHeight, TABLE, { header: true });
  let y = top + headerHeight;
  const cells = rows.map((texts) => bodyCells(columns, texts));
  const heights = cells.map((row) => rowHeight(doc, row, TABLE));
  const summaryHeight = rowHeight(doc, bodyCells(columns, overflow(rows.length)), TABLE);
  let shown = 0;
  while (shown < rows.length) {
    const rest = shown === rows.length - 1 ? 0 : summaryHeight;
    if (y + heights[shown] + rest > bottom) break;
    drawRow(doc, cells[shown], left, y, heights[shown], TABLE);
    y += heights[shown];
    shown++;
  }
  if (shown < rows.length) {
    drawRow(doc, bodyCells(columns, overflow(rows.length - shown)), left, y, summaryHeight, TABLE);
    y += summaryHeight;
  }
  return y;
}

function townshipTable(
  doc: PDFKit.PDFDocument,
  impact: DonorImpact,
  left: number,
  top: number,
  bottom: number,
): number {
  const rows = impact.townships.map((t) => [
    oneLine(t.name),
    formatCount(t.households),
    formatCount(t.visits),
    formatYuan(t.valueFen),
  ]);
  if (rows.length === 0) rows.push(['尚未发放', '', '', '']);
  return fittedTable(doc, TOWNSHIP_COLUMNS, rows, left, top, bottom, (hidden) => {
    const rest = impact.townships.slice(impact.townships.length - hidden);
    const sum = (key: 'households' | 'visits' | 'valueFen') =>
      rest.reduce((total, t) => total + t[key], 0);
    return [
      `其他${hidden}个乡镇`,
      formatCount(sum('households')),
      formatCount(sum('visits')),
      formatYuan(sum('valueFen')),
    ];
  });
}

function productTable(
  doc: PDFKit.PDFDocument,
  impact: DonorImpact,
  left: number,
  top: number,
  bottom: number,
): number {
  const rows = impact.products.map((p) => [
    oneLine(p.name),
    oneLine(p.unit),
    quantity(p.donatedQuantity),
    quantity(p.givenOutQuantity),
  ]);
  if (rows.length === 0) rows.push(['—', '', '', '']);
  return fittedTable(doc, PRODUCT_COLUMNS, rows, left, top, bottom, (hidden) => [
    `另有${hidden}种物资`,
    '',
    '',
    '',
  ]);
}

function quantity(n: number): string {
  return Number.isInteger(n) ? formatCount(n) : String(n);
}

function signature(doc: PDFKit.PDFDocument, unionName: string, issuedOn: string, top: number) {
  const right = PAGE_WIDTH - MARGIN_X;
  doc.fontSize(BODY_SIZE);
  for (const [text, offset] of [
    [unionName, 0],
    [chineseDate(issuedOn), mm(8)],
  ] as const) {
    doc.text(text, right - doc.widthOfString(text), top + offset, { lineBreak: false });
  }
}

function validate(impact: DonorImpact, options: { unionName: string; issuedOn: string }): void {
  const fields: { field: string; problems: string[] }[] = [];
  const problem = (field: string, text: string) => fields.push({ field, problems: [text] });
  if (oneLine(options.unionName) === '') problem('unionName', 'is empty');
  if (oneLine(impact.donorName) === '') problem('donorName', 'is empty');
  if (!isIsoDate(options.issuedOn)) problem('issuedOn', 'must be a date YYYY-MM-DD');
  const fen = [
    impact.donatedValueFen,
    impact.givenOutValueFen,
    ...impact.townships.map((t) => t.valueFen),
  ];
  if (!fen.every((value) => Number.isSafeInteger(value) && value >= 0)) {
    problem('donatedValueFen', 'amounts must be whole fen ≥ 0');
  }
  if (fields.length > 0) {
    throw new ValidationFailedError(`感谢信参数有误：${fields.map((f) => f.field).join('、')}`, {
      fields,
    });
  }
}
