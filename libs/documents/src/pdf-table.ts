import { mm } from './units';

// Ruled tables for receipts and statements. Rows are measured before they are drawn, so a
// renderer can decide whether the next row still fits on the page or starts a new one.

/** 全角空格: the gap between parts of a line of Chinese text. */
export const FULL_WIDTH_SPACE = '\u3000';

export type CellAlign = 'left' | 'center' | 'right';

/** One cell of a row: its text wraps inside `width` (points), never into a neighbour. */
export interface TableCell {
  text: string;
  width: number;
  align: CellAlign;
  /** Text colour; black when absent. */
  color?: string;
  /** Amounts: set smaller rather than wrapped, since a number split over two lines misreads. */
  singleLine?: boolean;
}

export interface TableColumn {
  header: string;
  width: number;
  align: CellAlign;
  singleLine?: boolean;
}

export interface TableStyle {
  fontSize: number;
  minRowHeight: number;
  /** Background of header rows; body rows stay white. */
  headerFill: string;
}

const PADDING_X = mm(1.5);
const PADDING_Y = mm(1.2);
const RULE_WIDTH = 0.6;
const RULE_COLOR = '#333333';
const TEXT_COLOR = '#000000';
const MIN_FONT_SIZE = 5;

/** The columns' header texts as a row of cells. */
export function headerCells(columns: TableColumn[]): TableCell[] {
  return columns.map(({ header, width }) => ({ text: header, width, align: 'center' }));
}

/** Body texts laid into the columns, in order. */
export function bodyCells(columns: TableColumn[], texts: string[], color?: string): TableCell[] {
  return columns.map(({ width, align, singleLine }, i) => ({
    text: texts[i] ?? '',
    width,
    align,
    color,
    singleLine,
  }));
}

/** Height of a row: its tallest cell's wrapped text plus padding, at least `minRowHeight`. */
export function rowHeight(doc: PDFKit.PDFDocument, cells: TableCell[], style: TableStyle): number {
  const tallest = Math.max(0, ...cells.map((cell) => textHeight(doc, cell, style)));
  return Math.max(style.minRowHeight, tallest + 2 * PADDING_Y);
}

/** Draws a row with a rule around every cell; text is centred vertically in the row. */
export function drawRow(
  doc: PDFKit.PDFDocument,
  cells: TableCell[],
  left: number,
  top: number,
  height: number,
  style: TableStyle,
  options: { header?: boolean } = {},
): void {
  let x = left;
  for (const cell of cells) {
    if (options.header) doc.rect(x, top, cell.width, height).fill(style.headerFill);
    doc.rect(x, top, cell.width, height).lineWidth(RULE_WIDTH).stroke(RULE_COLOR);
    const y = top + (height - textHeight(doc, cell, style)) / 2;
    const width = cell.width - 2 * PADDING_X;
    doc.fillColor(cell.color ?? TEXT_COLOR);
    if (cell.singleLine) {
      const offset = (width - doc.widthOfString(cell.text)) * ALIGN_FACTOR[cell.align];
      doc.text(cell.text, x + PADDING_X + offset, y, { lineBreak: false });
    } else {
      doc.text(cell.text, x + PADDING_X, y, { width, align: cell.align });
    }
    x += cell.width;
  }
  doc.fillColor(TEXT_COLOR);
}

const ALIGN_FACTOR: Record<CellAlign, number> = { left: 0, center: 0.5, right: 1 };

/** Sets the cell's font size and returns the height of its text at that size. */
function textHeight(doc: PDFKit.PDFDocument, cell: TableCell, style: TableStyle): number {
  const width = cell.width - 2 * PADDING_X;
  let size = style.fontSize;
  doc.fontSize(size);
  if (!cell.singleLine) return doc.heightOfString(cell.text, { width });
  while (size > MIN_FONT_SIZE && doc.widthOfString(cell.text) > width) doc.fontSize((size -= 0.5));
  return doc.currentLineHeight();
}

/**
 * Writes "第 n 页 / 共 N 页" centred at `baseline` on every page of a multi-page document;
 * a one-page document gets none. Needs a document created with `bufferPages: true`.
 */
export function numberPages(doc: PDFKit.PDFDocument, baseline: number, fontSize: number): void {
  const { start, count } = doc.bufferedPageRange();
  if (count < 2) return;
  for (let i = 0; i < count; i++) {
    doc.switchToPage(start + i);
    centredText(doc, `第 ${i + 1} 页 / 共 ${count} 页`, baseline, fontSize);
  }
}

/** One line of text centred on the page, its baseline at `baseline`. */
export function centredText(
  doc: PDFKit.PDFDocument,
  text: string,
  baseline: number,
  fontSize: number,
  options: { characterSpacing?: number } = {},
): number {
  const characterSpacing = options.characterSpacing ?? 0;
  doc.fontSize(fontSize);
  const width = doc.widthOfString(text, { characterSpacing });
  doc.text(text, (doc.page.width - width) / 2, baseline, {
    lineBreak: false,
    baseline: 'alphabetic',
    characterSpacing,
  });
  return width;
}

/** Names and notes come from free-text fields; a pasted newline or tab must not break a line. */
export function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** `YYYY-MM-DD` → 2026年3月15日, as dates are written on Chinese receipts. */
export function chineseDate(date: string): string {
  const [year, month, day] = date.split('-').map(Number);
  return `${year}年${month}月${day}日`;
}

/** Whether `date` is a real calendar date written `YYYY-MM-DD`. */
export function isIsoDate(date: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) return false;
  const parsed = new Date(`${date}T00:00:00Z`);
  return !Number.isNaN(parsed.getTime()) && parsed.toISOString().startsWith(date);
}
