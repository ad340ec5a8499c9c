import { ValidationFailedError } from '@charity/common';
import { qrPng } from './barcode';
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

/** One donated product as fixed at intake; `amountFen` is `quantity × unitValueFen`. */
export interface DonationReceiptLine {
  name: string;
  quantity: number;
  /** Unit the quantity counts, e.g. 袋, 桶, 件. */
  unit: string;
  unitValueFen: number;
  amountFen: number;
}

/** Everything printed on one 爱心捐赠收据. Amounts are whole fen. */
export interface DonationReceiptData {
  /** The county union issuing the receipt, e.g. 青山县总工会. */
  unionName: string;
  /** e.g. JZ-QS01-2026-000123 */
  receiptNo: string;
  /** `YYYY-MM-DD` */
  receivedDate: string;
  /** As printed: the caller masks an individual's name where the receipt may be seen by others. */
  donorName: string;
  /** e.g. 个人, 企业, 帮扶单位 */
  donorKindLabel: string;
  storeName: string;
  clerkName: string;
  lines: DonationReceiptLine[];
  cashFen: number;
  /** Goods plus cash; must equal the sum of the lines and the cash. */
  totalValueFen: number;
  /** The public verification page the QR code opens. */
  verifyUrl: string;
  voided?: boolean;
  voidReason?: string | null;
  note?: string | null;
}

export const DONATION_RECEIPT_THANKS = '感谢您对困难职工群众的关爱与支持！';

// A5 portrait, 148 × 210 mm.
const PAGE_WIDTH = mm(148);
const MARGIN_X = mm(12);
const TOP = mm(11);
const BOTTOM = mm(200); // last point content may reach; page numbers sit below
const PAGE_NUMBER_BASELINE = mm(204);
const CONTENT_WIDTH = PAGE_WIDTH - 2 * MARGIN_X;

const COLUMNS: TableColumn[] = [
  { header: '品名', width: mm(50), align: 'left' },
  { header: '数量', width: mm(14), align: 'right', singleLine: true },
  { header: '单位', width: mm(12), align: 'center' },
  { header: '单价(元)', width: mm(22), align: 'right', singleLine: true },
  { header: '金额(元)', width: mm(26), align: 'right', singleLine: true },
];
const LABEL_WIDTH = CONTENT_WIDTH - COLUMNS[COLUMNS.length - 1].width;
const TABLE: TableStyle = { fontSize: 9, minRowHeight: mm(6.5), headerFill: '#eeeeee' };
const TOTAL: TableStyle = { ...TABLE, fontSize: 10, minRowHeight: mm(7.5) };

const QR_SIZE = mm(22);
const FOOTER_HEIGHT = QR_SIZE + mm(5);
const GAP = mm(3);

const VOID_RED = '#d0121b';

/**
 * The A5 donation receipt (爱心捐赠收据): header, the goods table (continued on further pages
 * when long, the header row repeated), cash, total in figures and in capitals, store, clerk,
 * thanks and a QR code of the verification page. A voided receipt carries a red 作废 stamp on
 * every page and the reason under its title.
 */
export async function renderDonationReceipt(data: DonationReceiptData): Promise<Buffer> {
  validate(data);
  const qr = await qrPng(data.verifyUrl);

  const doc = createPdfDocument({
    size: 'A5',
    margin: 0,
    bufferPages: true,
    info: { Title: `爱心捐赠收据 ${data.receiptNo}`, Creator: '爱心超市' },
  });
  let y = firstPageHeader(doc, data);

  const summary = summaryRows(data);
  const closingHeight =
    summary.reduce((sum, row) => sum + rowHeight(doc, row, TOTAL), 0) +
    noteHeight(doc, data) +
    GAP +
    FOOTER_HEIGHT;

  if (data.lines.length > 0) {
    const header = headerCells(COLUMNS);
    const headerHeight = rowHeight(doc, header, TABLE);
    drawRow(doc, header, MARGIN_X, y, headerHeight, TABLE, { header: true });
    y += headerHeight;
    data.lines.forEach((line, i) => {
      const row = bodyCells(COLUMNS, [
        oneLine(line.name),
        String(line.quantity),
        oneLine(line.unit),
        formatYuan(line.unitValueFen),
        formatYuan(line.amountFen),
      ]);
      const height = rowHeight(doc, row, TABLE);
      // The last line goes over with the totals rather than leave them alone on a page.
      const needed = height + (i === data.lines.length - 1 ? closingHeight : 0);
      if (y + needed > BOTTOM && i > 0) {
        y = continuationHeader(doc, data);
        drawRow(doc, header, MARGIN_X, y, headerHeight, TABLE, { header: true });
        y += headerHeight;
      }
      drawRow(doc, row, MARGIN_X, y, height, TABLE);
      y += height;
    });
  }

  if (y + closingHeight > BOTTOM) y = continuationHeader(doc, data);
  for (const row of summary) {
    const height = rowHeight(doc, row, TOTAL);
    drawRow(doc, row, MARGIN_X, y, height, TOTAL);
    y += height;
  }
  y += drawNote(doc, data, y);
  footer(doc, data, qr, y + GAP);

  numberPages(doc, PAGE_NUMBER_BASELINE, 8);
  if (data.voided) stampEveryPage(doc);
  return pdfToBuffer(doc);
}

function firstPageHeader(doc: PDFKit.PDFDocument, data: DonationReceiptData): number {
  centredText(doc, oneLine(data.unionName), TOP + mm(4), 12);
  const titleBaseline = TOP + mm(13);
  const titleWidth = centredText(doc, '爱心捐赠收据', titleBaseline, 20, { characterSpacing: 4 });
  // the double rule under the title that printed receipt books carry
  const ruleLeft = (PAGE_WIDTH - titleWidth) / 2 - mm(2);
  for (const offset of [mm(1.8), mm(2.5)]) {
    doc
      .moveTo(ruleLeft, titleBaseline + offset)
      .lineTo(PAGE_WIDTH - ruleLeft, titleBaseline + offset)
      .lineWidth(0.6)
      .stroke('#000000');
  }

  let y = TOP + mm(21);
  doc.fontSize(9);
  leftRight(doc, `收据编号：${data.receiptNo}`, `收据日期：${chineseDate(data.receivedDate)}`, y);
  y += mm(5.5);
  leftRight(doc, `捐赠方：${oneLine(data.donorName)}（${oneLine(data.donorKindLabel)}）`, '', y);
  y += mm(3);
  if (data.voided) {
    const reason = data.voidReason
      ? `${FULL_WIDTH_SPACE}作废原因：${oneLine(data.voidReason)}`
      : '';
    doc.fontSize(9).fillColor(VOID_RED);
    doc.text(`本收据已作废${reason}`, MARGIN_X, y + mm(1), { width: CONTENT_WIDTH });
    doc.fillColor('#000000');
    y = doc.y;
  }
  return y + mm(2);
}

/** A new page whose header names the receipt, so a loose page can be matched to it. */
function continuationHeader(doc: PDFKit.PDFDocument, data: DonationReceiptData): number {
  doc.addPage();
  const baseline = TOP + mm(4);
  centredText(doc, '爱心捐赠收据（续）', baseline, 12);
  doc.fontSize(8);
  doc.text(oneLine(data.unionName), MARGIN_X, baseline, {
    lineBreak: false,
    baseline: 'alphabetic',
  });
  const number = `编号：${data.receiptNo}`;
  doc.text(number, PAGE_WIDTH - MARGIN_X - doc.widthOfString(number), baseline, {
    lineBreak: false,
    baseline: 'alphabetic',
  });
  return TOP + mm(8);
}

function summaryRows(data: DonationReceiptData): TableCell[][] {
  const row = (label: string, value: string): TableCell[] => [
    { text: label, width: LABEL_WIDTH, align: 'left' },
    { text: value, width: CONTENT_WIDTH - LABEL_WIDTH, align: 'right', singleLine: true },
  ];
  const goodsFen = data.totalValueFen - data.cashFen;
  const rows: TableCell[][] = [];
  if (data.lines.length > 0) rows.push(row('物资价值合计', formatYuan(goodsFen)));
  if (data.cashFen > 0) rows.push(row('现金捐赠', formatYuan(data.cashFen)));
  rows.push(
    row(
      `合计金额${FULL_WIDTH_SPACE}大写：人民币${amountInChineseCapitals(data.totalValueFen)}`,
      `¥${formatYuan(data.totalValueFen)}`,
    ),
  );
  return rows;
}

function noteText(data: DonationReceiptData): string | undefined {
  const note = data.note ? oneLine(data.note) : '';
  return note === '' ? undefined : `备注：${note}`;
}

function noteHeight(doc: PDFKit.PDFDocument, data: DonationReceiptData): number {
  const note = noteText(data);
  if (!note) return 0;
  return mm(1.5) + doc.fontSize(8.5).heightOfString(note, { width: CONTENT_WIDTH });
}

function drawNote(doc: PDFKit.PDFDocument, data: DonationReceiptData, top: number): number {
  const note = noteText(data);
  if (!note) return 0;
  const height = noteHeight(doc, data);
  doc.fontSize(8.5).text(note, MARGIN_X, top + mm(1.5), { width: CONTENT_WIDTH });
  return height;
}

/** Store, clerk and thanks on the left; the verification QR code and its caption on the right. */
function footer(doc: PDFKit.PDFDocument, data: DonationReceiptData, qr: Buffer, top: number): void {
  const qrLeft = PAGE_WIDTH - MARGIN_X - QR_SIZE;
  doc.image(qr, qrLeft, top, { width: QR_SIZE, height: QR_SIZE });
  doc.fontSize(7);
  const caption = '扫码验证收据真伪';
  doc.text(caption, qrLeft + (QR_SIZE - doc.widthOfString(caption)) / 2, top + QR_SIZE + mm(3.5), {
    lineBreak: false,
    baseline: 'alphabetic',
  });

  const textWidth = qrLeft - MARGIN_X - mm(4);
  doc.fontSize(9);
  doc.text(`接收门店：${oneLine(data.storeName)}`, MARGIN_X, top + mm(1), { width: textWidth });
  doc.text(`经办人：${oneLine(data.clerkName)}`, MARGIN_X, doc.y + mm(1.5), { width: textWidth });
  doc.fontSize(10.5).text(DONATION_RECEIPT_THANKS, MARGIN_X, doc.y + mm(5), { width: textWidth });
}

function leftRight(doc: PDFKit.PDFDocument, left: string, right: string, baseline: number): void {
  const options = { lineBreak: false, baseline: 'alphabetic' } as const;
  doc.text(left, MARGIN_X, baseline, options);
  if (right) doc.text(right, PAGE_WIDTH - MARGIN_X - doc.widthOfString(right), baseline, options);
}

/** A rotated red 作废 stamp across the middle of each page, over whatever is printed there. */
function stampEveryPage(doc: PDFKit.PDFDocument): void {
  const { start, count } = doc.bufferedPageRange();
  for (let i = 0; i < count; i++) {
    doc.switchToPage(start + i);
    const centreX = PAGE_WIDTH / 2;
    const centreY = mm(105);
    const width = mm(62);
    const height = mm(28);
    doc.save();
    doc.rotate(-18, { origin: [centreX, centreY] });
    doc.opacity(0.8).lineWidth(3);
    doc
      .roundedRect(centreX - width / 2, centreY - height / 2, width, height, mm(3))
      .stroke(VOID_RED);
    doc
      .lineWidth(1)
      .roundedRect(
        centreX - width / 2 + mm(1.8),
        centreY - height / 2 + mm(1.8),
        width - mm(3.6),
        height - mm(3.6),
        mm(2),
      )
      .stroke(VOID_RED);
    doc.fillColor(VOID_RED).fontSize(48);
    const spacing = 24;
    const textWidth = doc.widthOfString('作废', { characterSpacing: spacing }) - spacing;
    doc.text('作废', centreX - textWidth / 2, centreY + mm(6), {
      lineBreak: false,
      baseline: 'alphabetic',
      characterSpacing: spacing,
    });
    doc.restore();
  }
  doc.fillColor('#000000');
}

function validate(data: DonationReceiptData): void {
  const fields: { field: string; problems: string[] }[] = [];
  const problem = (field: string, text: string) => fields.push({ field, problems: [text] });
  const isFen = (fen: number) => Number.isSafeInteger(fen) && fen >= 0;

  for (const field of [
    'unionName',
    'receiptNo',
    'donorName',
    'donorKindLabel',
    'storeName',
    'clerkName',
    'verifyUrl',
  ] as const) {
    if (oneLine(data[field] ?? '') === '') problem(field, 'is empty');
  }
  if (!isIsoDate(data.receivedDate)) problem('receivedDate', 'must be a date YYYY-MM-DD');

  let goodsFen = 0;
  data.lines.forEach((line, i) => {
    const at = `lines[${i}]`;
    if (oneLine(line.name) === '') problem(`${at}.name`, 'is empty');
    if (oneLine(line.unit) === '') problem(`${at}.unit`, 'is empty');
    if (!Number.isSafeInteger(line.quantity) || line.quantity < 1) {
      problem(`${at}.quantity`, 'must be a whole number ≥ 1');
    }
    if (!isFen(line.unitValueFen)) problem(`${at}.unitValueFen`, 'must be whole fen ≥ 0');
    if (!isFen(line.amountFen)) {
      problem(`${at}.amountFen`, 'must be whole fen ≥ 0');
    } else if (line.amountFen !== line.quantity * line.unitValueFen) {
      problem(`${at}.amountFen`, 'must equal quantity × unitValueFen');
    }
    goodsFen += line.amountFen;
  });
  if (!isFen(data.cashFen)) problem('cashFen', 'must be whole fen ≥ 0');
  if (data.lines.length === 0 && data.cashFen === 0) {
    problem('lines', 'must not be empty when there is no cash');
  }
  if (!isFen(data.totalValueFen) || data.totalValueFen > MAX_CHINESE_CAPITALS_FEN) {
    problem('totalValueFen', `must be whole fen from 0 to ${MAX_CHINESE_CAPITALS_FEN}`);
  } else if (data.totalValueFen !== goodsFen + data.cashFen) {
    problem('totalValueFen', 'must equal the sum of the line amounts and the cash');
  }
  if (fields.length > 0) {
    throw new ValidationFailedError(`捐赠收据参数有误：${fields.map((f) => f.field).join('、')}`, {
      fields,
    });
  }
}
