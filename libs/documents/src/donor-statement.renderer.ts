import { ValidationFailedError } from '@charity/common';
import { amountInChineseCapitals, formatYuan, MAX_CHINESE_CAPITALS_FEN } from './chinese-amount';
import { createPdfDocument, pdfToBuffer } from './pdf-document';
import {
  bodyCells,
  centredText,
  chineseDate,
  drawRow,
  FULL_WIDTH_SPACE,
  headerCells,
  isIsoDate,
  numberPages,
  oneLine,
  rowHeight,
  type TableCell,
  type TableColumn,
  type TableStyle,
} from './pdf-table';
import { mm } from './units';

/** One receipt as the statement lists it. Amounts are whole fen. */
export interface DonorStatementReceipt {
  receiptNo: string;
  /** `YYYY-MM-DD`, inside the statement's year */
  receivedDate: string;
  storeName: string;
  goodsValueFen: number;
  cashFen: number;
  /** Goods plus cash. */
  totalValueFen: number;
  /** Voided receipts are listed, marked 作废, and left out of the totals. */
  voided?: boolean;
}

/** Everything printed on one donor's 年度捐赠证明. */
export interface DonorStatementData {
  /** The county union issuing the statement, e.g. 青山县总工会. */
  unionName: string;
  donorName: string;
  /** e.g. 个人, 企业, 帮扶单位 */
  donorKindLabel: string;
  year: number;
  /** `YYYY-MM-DD` */
  issueDate: string;
  receipts: DonorStatementReceipt[];
}

/** Totals of the receipts that count: all but the voided ones. */
export interface DonorStatementTotals {
  receipts: number;
  goodsValueFen: number;
  cashFen: number;
  totalValueFen: number;
}

// A4 portrait, 210 × 297 mm.
const PAGE_WIDTH = mm(210);
const MARGIN_X = mm(17.5);
const TOP = mm(18);
const BOTTOM = mm(280);
const PAGE_NUMBER_BASELINE = mm(287);
const CONTENT_WIDTH = PAGE_WIDTH - 2 * MARGIN_X;

// Sized for 9 pt text: a receipt number, a ten-character store name and ¥1,000,000.00 each fit
// on one line; anything longer wraps within its cell.
const COLUMNS: TableColumn[] = [
  { header: '序号', width: mm(10), align: 'center', singleLine: true },
  { header: '收据编号', width: mm(36), align: 'left', singleLine: true },
  { header: '捐赠日期', width: mm(20), align: 'center', singleLine: true },
  { header: '接收门店', width: mm(35), align: 'left' },
  { header: '物资(元)', width: mm(22), align: 'right', singleLine: true },
  { header: '现金(元)', width: mm(20), align: 'right', singleLine: true },
  { header: '合计(元)', width: mm(22), align: 'right', singleLine: true },
  { header: '备注', width: mm(10), align: 'center' },
];
const TABLE: TableStyle = { fontSize: 9, minRowHeight: mm(7), headerFill: '#eeeeee' };
const SIGNATURE_HEIGHT = mm(42);
const VOIDED_GREY = '#808080';
const VOID_RED = '#d0121b';

/** Sums the receipts that count, leaving voided ones out. */
export function donorStatementTotals(receipts: DonorStatementReceipt[]): DonorStatementTotals {
  const counted = receipts.filter((receipt) => !receipt.voided);
  const sum = (key: 'goodsValueFen' | 'cashFen' | 'totalValueFen') =>
    counted.reduce((total, receipt) => total + receipt[key], 0);
  return {
    receipts: counted.length,
    goodsValueFen: sum('goodsValueFen'),
    cashFen: sum('cashFen'),
    totalValueFen: sum('totalValueFen'),
  };
}

/**
 * The A4 annual donation statement (年度捐赠证明): what one donor gave in a year, receipt by
 * receipt in date order, with the totals in figures and capitals. Voided receipts stay listed
 * (their numbers were issued) but are marked 作废 and not counted.
 */
export async function renderDonorStatement(data: DonorStatementData): Promise<Buffer> {
  validate(data);
  const receipts = [...data.receipts].sort(
    (a, b) =>
      a.receivedDate.localeCompare(b.receivedDate) || a.receiptNo.localeCompare(b.receiptNo),
  );
  const totals = donorStatementTotals(receipts);
  const capitals = `人民币${amountInChineseCapitals(totals.totalValueFen)}`;

  const doc = createPdfDocument({
    size: 'A4',
    margin: 0,
    bufferPages: true,
    info: { Title: `${data.year}年度捐赠证明 ${oneLine(data.donorName)}`, Creator: '爱心超市' },
  });
  let y = firstPageHeader(doc, data, totals, capitals);

  const header = headerCells(COLUMNS);
  const headerHeight = rowHeight(doc, header, TABLE);
  const startTable = (top: number) => {
    drawRow(doc, header, MARGIN_X, top, headerHeight, TABLE, { header: true });
    return top + headerHeight;
  };
  y = startTable(y);

  const rows: TableCell[][] = receipts.map((receipt, i) => {
    const color = receipt.voided ? VOIDED_GREY : undefined;
    const cells = bodyCells(
      COLUMNS,
      [
        String(i + 1),
        receipt.receiptNo,
        receipt.receivedDate,
        oneLine(receipt.storeName),
        formatYuan(receipt.goodsValueFen),
        formatYuan(receipt.cashFen),
        formatYuan(receipt.totalValueFen),
        receipt.voided ? '作废' : '',
      ],
      color,
    );
    if (receipt.voided) cells[cells.length - 1].color = VOID_RED;
    return cells;
  });
  if (rows.length === 0) rows.push([spanning(`${data.year} 年度无捐赠记录`, 'center')]);

  const closing = closingRows(totals, capitals);
  const closingHeight =
    closing.reduce((sum, row) => sum + rowHeight(doc, row, TABLE), 0) + SIGNATURE_HEIGHT;
  rows.forEach((row, i) => {
    const height = rowHeight(doc, row, TABLE);
    const needed = height + (i === rows.length - 1 ? closingHeight : 0);
    if (y + needed > BOTTOM && i > 0) y = startTable(continuationHeader(doc, data));
    drawRow(doc, row, MARGIN_X, y, height, TABLE);
    y += height;
  });
  if (y + closingHeight > BOTTOM) y = startTable(continuationHeader(doc, data));
  for (const row of closing) {
    const height = rowHeight(doc, row, TABLE);
    drawRow(doc, row, MARGIN_X, y, height, TABLE);
    y += height;
  }
  signature(doc, data, y);

  numberPages(doc, PAGE_NUMBER_BASELINE, 8);
  return pdfToBuffer(doc);
}

function firstPageHeader(
  doc: PDFKit.PDFDocument,
  data: DonorStatementData,
  totals: DonorStatementTotals,
  capitals: string,
): number {
  centredText(doc, oneLine(data.unionName), TOP + mm(5), 14);
  centredText(doc, '年度捐赠证明', TOP + mm(16), 22, { characterSpacing: 4 });
  centredText(doc, `（${data.year} 年度）`, TOP + mm(23), 11);

  const donor = `${oneLine(data.donorName)}（${oneLine(data.donorKindLabel)}）`;
  const body =
    totals.receipts === 0
      ? `兹证明${donor}在 ${data.year} 年度未有计入统计的捐赠。`
      : `兹证明${donor}于 ${data.year} 年度通过本会爱心超市捐赠 ${totals.receipts} 次，` +
        `物资及现金合计 ¥${formatYuan(totals.totalValueFen)}（大写：${capitals}），明细如下：`;
  doc.fontSize(11).text(body, MARGIN_X, TOP + mm(31), {
    width: CONTENT_WIDTH,
    lineGap: 5,
    indent: 22,
  });
  return doc.y + mm(4);
}

function continuationHeader(doc: PDFKit.PDFDocument, data: DonorStatementData): number {
  doc.addPage();
  const baseline = TOP + mm(4);
  centredText(doc, `${data.year} 年度捐赠证明（续）`, baseline, 12);
  doc.fontSize(8);
  const options = { lineBreak: false, baseline: 'alphabetic' } as const;
  doc.text(oneLine(data.unionName), MARGIN_X, baseline, options);
  const donor = `捐赠方：${oneLine(data.donorName)}`;
  doc.text(donor, PAGE_WIDTH - MARGIN_X - doc.widthOfString(donor), baseline, options);
  return TOP + mm(8);
}

function amount(text: string, width: number): TableCell {
  return { text, width, align: 'right', singleLine: true };
}

function spanning(text: string, align: 'left' | 'center'): TableCell {
  return { text, width: CONTENT_WIDTH, align };
}

/** The totals row under the amount columns, then the total in capitals across the table. */
function closingRows(totals: DonorStatementTotals, capitals: string): TableCell[][] {
  const labelWidth = COLUMNS.slice(0, 4).reduce((sum, column) => sum + column.width, 0);
  const [goods, cash, total, remark] = COLUMNS.slice(4);
  return [
    [
      { text: `合计（${totals.receipts} 张，不含作废）`, width: labelWidth, align: 'left' },
      amount(formatYuan(totals.goodsValueFen), goods.width),
      amount(formatYuan(totals.cashFen), cash.width),
      amount(formatYuan(totals.totalValueFen), total.width),
      { text: '', width: remark.width, align: 'center' },
    ],
    [
      spanning(
        `合计金额${FULL_WIDTH_SPACE}¥${formatYuan(totals.totalValueFen)}${FULL_WIDTH_SPACE}大写：${capitals}`,
        'left',
      ),
    ],
  ];
}

/** Notes, 特此证明 and the issuing union with the date, right-aligned where the seal goes. */
function signature(doc: PDFKit.PDFDocument, data: DonorStatementData, top: number): void {
  doc
    .fontSize(8.5)
    .fillColor(VOIDED_GREY)
    .text(
      '注：标注“作废”的收据已作废，不计入合计。每张收据可扫描其上的二维码验证真伪。',
      MARGIN_X,
      top + mm(2),
      { width: CONTENT_WIDTH },
    )
    .fillColor('#000000');
  doc.fontSize(11).text('特此证明。', MARGIN_X + 22, top + mm(10), { lineBreak: false });

  const right = PAGE_WIDTH - MARGIN_X - mm(10);
  const options = { lineBreak: false, baseline: 'alphabetic' } as const;
  for (const [text, offset] of [
    [`${oneLine(data.unionName)}（盖章）`, mm(30)],
    [chineseDate(data.issueDate), mm(38)],
  ] as const) {
    doc.fontSize(11).text(text, right - doc.widthOfString(text), top + offset, options);
  }
}

function validate(data: DonorStatementData): void {
  const fields: { field: string; problems: string[] }[] = [];
  const problem = (field: string, text: string) => fields.push({ field, problems: [text] });
  const isFen = (fen: number) => Number.isSafeInteger(fen) && fen >= 0;

  for (const field of ['unionName', 'donorName', 'donorKindLabel'] as const) {
    if (oneLine(data[field] ?? '') === '') problem(field, 'is empty');
  }
  if (!Number.isInteger(data.year) || data.year < 2000 || data.year > 9999) {
    problem('year', 'must be a year from 2000');
  }
  if (!isIsoDate(data.issueDate)) problem('issueDate', 'must be a date YYYY-MM-DD');

  data.receipts.forEach((receipt, i) => {
    const at = `receipts[${i}]`;
    if (oneLine(receipt.receiptNo) === '') problem(`${at}.receiptNo`, 'is empty');
    if (oneLine(receipt.storeName) === '') problem(`${at}.storeName`, 'is empty');
    if (!isIsoDate(receipt.receivedDate)) {
      problem(`${at}.receivedDate`, 'must be a date YYYY-MM-DD');
    } else if (!receipt.receivedDate.startsWith(`${data.year}-`)) {
      problem(`${at}.receivedDate`, `must fall in ${data.year}`);
    }
    const amounts = [receipt.goodsValueFen, receipt.cashFen, receipt.totalValueFen];
    if (!amounts.every(isFen)) {
      problem(`${at}.totalValueFen`, 'amounts must be whole fen ≥ 0');
    } else if (receipt.totalValueFen !== receipt.goodsValueFen + receipt.cashFen) {
      problem(`${at}.totalValueFen`, 'must equal goodsValueFen + cashFen');
    }
  });
  const { totalValueFen } = donorStatementTotals(data.receipts);
  if (fields.length === 0 && totalValueFen > MAX_CHINESE_CAPITALS_FEN) {
    problem('receipts', `must total at most ${MAX_CHINESE_CAPITALS_FEN} fen`);
  }
  if (fields.length > 0) {
    throw new ValidationFailedError(`捐赠证明参数有误：${fields.map((f) => f.field).join('、')}`, {
      fields,
    });
  }
}
