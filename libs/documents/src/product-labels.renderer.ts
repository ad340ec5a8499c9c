import { ValidationFailedError } from '@charity/common';
import { code128Png, ean13Png, isValidCode128, isValidEan13, linearModules } from './barcode';
import { createPdfDocument, type ImageStamp, imageStamp, pdfToBuffer } from './pdf-document';
import { mm } from './units';

/** One shelf label (货架标签): what a shopper reads and the code the till scans. */
export interface ProductLabel {
  name: string;
  code: string;
  codeType: 'ean13' | 'code128';
  /** Points one unit costs; whole points only. */
  pointPrice: number;
  /** Selling unit, e.g. 袋, 桶, 件. */
  unit: string;
}

export interface ProductLabelOptions {
  /** How many of each label to print, one after another (1–200, default 1). */
  copies?: number;
}

export const MAX_LABEL_COPIES = 200;

// A4 sheet of 3 × 8 self-adhesive labels, 70 × 37 mm, no gaps (the common 24-up stock):
// 3 × 70 mm fills the 210 mm width and 8 × 37 mm leaves 0.5 mm above and below.
const COLUMNS = 3;
const ROWS = 8;
const LABEL_WIDTH = mm(70);
const LABEL_HEIGHT = mm(37);
const SHEET_TOP = mm(0.5);
const PADDING_X = mm(4);
const CONTENT_WIDTH = LABEL_WIDTH - 2 * PADDING_X;

// Vertical layout inside one label, as baselines and boxes measured from its top edge.
const NAME_BASELINE = mm(7);
const BARS_TOP = mm(9.5);
const BARS_HEIGHT = mm(12);
const DIGITS_BASELINE = mm(25);
const PRICE_BASELINE = mm(33);

const NAME_SIZES = { max: 12, min: 9 };
const DIGITS_SIZES = { max: 8, min: 5 };
const PRICE_SIZES = { max: 12, min: 9 };

// 0.33 mm is the nominal (100 %) EAN-13 module. Long Code 128 symbols may shrink to fit, but not
// below 0.2 mm: a conservative floor for bars from 300–600 dpi office printers to scan.
const NOMINAL_MODULE = mm(0.33);
const MIN_MODULE = mm(0.2);

/**
 * An A4 PDF of 70 × 37 mm shelf labels, 24 a page: product name, barcode with its digits, and
 * the points price per unit. Each of those is one line; text too long for it is set smaller,
 * then cut with "…", so a label never spills into its neighbour.
 */
export async function renderProductLabels(
  labels: ProductLabel[],
  options: ProductLabelOptions = {},
): Promise<Buffer> {
  const copies = options.copies ?? 1;
  validate(labels, copies);

  // Render each distinct code once; copies and repeated products reuse the same bars.
  const rendering = new Map<string, Promise<Buffer>>();
  const pngs = await Promise.all(
    labels.map((label, i) => {
      const key = `${label.codeType}:${label.code}`;
      const png = rendering.get(key) ?? barcodePng(label, `labels[${i}].code`);
      rendering.set(key, png);
      return png;
    }),
  );

  const doc = createPdfDocument({
    size: 'A4',
    margin: 0,
    info: { Title: '商品标签', Creator: '爱心超市' },
  });
  const stamps = new Map<Buffer, ImageStamp>();
  let position = 0;
  labels.forEach((label, i) => {
    const png = pngs[i];
    const stamp = stamps.get(png) ?? imageStamp(doc, png);
    stamps.set(png, stamp);
    for (let copy = 0; copy < copies; copy++) {
      const slot = position % (COLUMNS * ROWS);
      if (position > 0 && slot === 0) doc.addPage();
      const left = (slot % COLUMNS) * LABEL_WIDTH;
      const top = SHEET_TOP + Math.floor(slot / COLUMNS) * LABEL_HEIGHT;
      drawLabel(doc, label, stamp, linearModules(png), left, top);
      position++;
    }
  });
  return pdfToBuffer(doc);
}

function drawLabel(
  doc: PDFKit.PDFDocument,
  label: ProductLabel,
  stamp: ImageStamp,
  modules: number,
  left: number,
  top: number,
): void {
  centredLine(doc, oneLine(label.name), NAME_SIZES, left, top + NAME_BASELINE);

  const moduleWidth = Math.min(NOMINAL_MODULE, CONTENT_WIDTH / modules);
  const barsWidth = moduleWidth * modules;
  stamp(left + (LABEL_WIDTH - barsWidth) / 2, top + BARS_TOP, {
    width: barsWidth,
    height: BARS_HEIGHT,
  });
  centredLine(doc, label.code, DIGITS_SIZES, left, top + DIGITS_BASELINE);

  const price = `积分 ${label.pointPrice} / ${oneLine(label.unit)}`;
  centredLine(doc, price, PRICE_SIZES, left, top + PRICE_BASELINE);
}

/** Draws text centred in the label at the largest size that fits, cut with "…" if none does. */
function centredLine(
  doc: PDFKit.PDFDocument,
  text: string,
  sizes: { max: number; min: number },
  left: number,
  baseline: number,
): void {
  let size = sizes.max;
  while (size > sizes.min && doc.fontSize(size).widthOfString(text) > CONTENT_WIDTH) size -= 0.5;
  doc.fontSize(size);
  const fitted = truncate(doc, text);
  const width = doc.widthOfString(fitted);
  doc.text(fitted, left + (LABEL_WIDTH - width) / 2, baseline, {
    lineBreak: false,
    baseline: 'alphabetic',
  });
}

function truncate(doc: PDFKit.PDFDocument, text: string): string {
  if (doc.widthOfString(text) <= CONTENT_WIDTH) return text;
  // Cut whole code points so a character outside the BMP is never split in half.
  const chars = Array.from(text);
  while (chars.length > 0 && doc.widthOfString(`${chars.join('')}…`) > CONTENT_WIDTH) chars.pop();
  return `${chars.join('').trimEnd()}…`;
}

/** Names come from free-text fields; a pasted newline or tab must not break the layout. */
function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

async function barcodePng(label: ProductLabel, field: string): Promise<Buffer> {
  const png = await (label.codeType === 'ean13' ? ean13Png(label.code) : code128Png(label.code));
  if (CONTENT_WIDTH / linearModules(png) < MIN_MODULE) {
    throw new ValidationFailedError(`条码 ${label.code} 太长，无法在 70 mm 宽的标签上清晰打印`, {
      fields: [{ field, problems: ['too long for a 70 mm label'] }],
    });
  }
  return png;
}

function validate(labels: ProductLabel[], copies: number): void {
  const fields: { field: string; problems: string[] }[] = [];
  if (labels.length === 0) fields.push({ field: 'labels', problems: ['must not be empty'] });
  if (!Number.isInteger(copies) || copies < 1 || copies > MAX_LABEL_COPIES) {
    fields.push({
      field: 'copies',
      problems: [`must be an integer from 1 to ${MAX_LABEL_COPIES}`],
    });
  }
  labels.forEach((label, i) => {
    const at = `labels[${i}]`;
    if (oneLine(label.name) === '') fields.push({ field: `${at}.name`, problems: ['is empty'] });
    if (oneLine(label.unit) === '') fields.push({ field: `${at}.unit`, problems: ['is empty'] });
    if (!Number.isSafeInteger(label.pointPrice) || label.pointPrice < 0) {
      fields.push({ field: `${at}.pointPrice`, problems: ['must be a whole number ≥ 0'] });
    }
    const problem = codeProblem(label);
    if (problem) fields.push({ field: `${at}.code`, problems: [problem] });
  });
  if (fields.length > 0) {
    throw new ValidationFailedError(`商品标签参数有误：${fields.map((f) => f.field).join('、')}`, {
      fields,
    });
  }
}

function codeProblem(label: ProductLabel): string | undefined {
  switch (label.codeType) {
    case 'ean13':
      return isValidEan13(label.code) ? undefined : 'must be 13 digits with a correct check digit';
    case 'code128':
      return isValidCode128(label.code) ? undefined : 'must be 1-48 printable ASCII characters';
    default:
      // Reachable only from untyped callers (JSON bodies, job payloads).
      return `has an unknown codeType ${String(label.codeType)}`;
  }
}
