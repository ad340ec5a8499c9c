import { ValidationFailedError } from '@charity/common';
import { raw } from 'bwip-js';
import { isValidCode128 } from './barcode';
import { createPdfDocument, pdfToBuffer } from './pdf-document';
import { FULL_WIDTH_SPACE, oneLine } from './pdf-table';
import { mm } from './units';

/** Everything printed on one 爱心超市积分卡. */
export interface HouseholdCard {
  /** The county union issuing the card, e.g. 青山县总工会. */
  unionName: string;
  /** e.g. H4819302756, printed as digits, QR code and Code 128. */
  cardNo: string;
  /** The head of the household as printed: the caller masks it or not, as the county decides. */
  holderName: string;
  /** 村（社区）; null for a household registered at township level. */
  villageName: string | null;
  /** 乡镇（街道）; null only where the region has no township above it. */
  townshipName: string | null;
  /** The store the household belongs to. */
  storeName: string;
  /** 五保, 低保, 特困 or 建档立卡. */
  categoryLabel: string;
}

export const HOUSEHOLD_CARD_TITLE = '爱心超市积分卡';

/** Cards on one A4 sheet: 2 across, 5 down. */
export const HOUSEHOLD_CARDS_PER_PAGE = 10;

// ISO/IEC 7810 ID-1 (CR80), the size of a bank card, so cards fit wallets and card sleeves.
const CARD_WIDTH = mm(85.6);
const CARD_HEIGHT = mm(54);
const PADDING = mm(4);

// A4 sheet: 2 × 85.6 mm and 5 × 54 mm centred with no gaps, so each cut line serves two cards.
const COLUMNS = 2;
const ROWS = 5;
const SHEET_LEFT = (mm(210) - COLUMNS * CARD_WIDTH) / 2; // 19.4 mm
const SHEET_TOP = (mm(297) - ROWS * CARD_HEIGHT) / 2; // 13.5 mm
const CUT_MARK_GAP = mm(2);
const CUT_MARK_LENGTH = mm(5);

// Vertical layout of one card, as baselines and boxes measured from its top edge.
const TITLE_BASELINE = mm(8.5);
const RULE_Y = mm(10.5);
const CARD_NO_BASELINE = mm(18.5);
const NAME_BASELINE = mm(24.5);
const FIELD_BASELINES = [mm(29.2), mm(33.4), mm(37.6)];
const BARS_TOP = mm(40.5);
const BARS_HEIGHT = mm(9.5);

// QR: a card number (11 characters) is a version 1 symbol, 21 modules in 19 mm or 0.9 mm a module;
// its 4-module quiet zone (3.6 mm) is kept clear on every side, the card's padding on the right.
const QR_SIZE = mm(19);
const QR_QUIET = mm(3.6);
const QR_LEFT = CARD_WIDTH - PADDING - QR_SIZE;
const QR_TOP = RULE_Y + QR_QUIET;
const TEXT_RIGHT = QR_LEFT - QR_QUIET;

// Code 128 for the till's USB scanner: 0.4 mm modules read reliably from an office print, with
// the 10-module quiet zone the symbology asks for either side.
const MAX_MODULE = mm(0.4);
const MIN_MODULE = mm(0.25);
const QUIET_MODULES = 10;
const BARS_SPACE = CARD_WIDTH - 2 * PADDING;

const RED = '#c8102e';
const GREY = '#595959';
const BORDER_GREY = '#b8b8b8';
const BLACK = '#000000';

const TITLE_SIZE = 12;
const UNION_SIZES = { max: 7, min: 5.5 };
const CARD_NO_SIZE = 15;
const NAME_SIZES = { max: 9.5, min: 7 };
const FIELD_SIZES = { max: 7.5, min: 6 };

const LABELS = {
  name: `户${FULL_WIDTH_SPACE}主`,
  place: '所在地',
  store: `门${FULL_WIDTH_SPACE}店`,
  category: `类${FULL_WIDTH_SPACE}别`,
};

/** The two symbols of one card number as bwip-js encodes them, drawn here as vector shapes. */
interface CardSymbols {
  /** QR modules, row by row, 1 = dark; `size` × `size`, no quiet zone. */
  qr: { modules: number[]; size: number };
  /** Code 128 widths in modules, bar first, then space, bar … ending with a bar. */
  bars: number[];
}

/** One card on a page of exactly card size (85.6 × 54 mm), for a card printer or a PDF preview. */
export async function renderHouseholdCard(card: HouseholdCard): Promise<Buffer> {
  validate([card]);
  const [symbols] = encode([card]);
  const doc = createPdfDocument({
    size: [CARD_WIDTH, CARD_HEIGHT],
    margin: 0,
    info: { Title: `${HOUSEHOLD_CARD_TITLE} ${card.cardNo}`, Creator: '爱心超市' },
  });
  drawCard(doc, card, symbols, 0, 0);
  return pdfToBuffer(doc);
}

/**
 * A4 sheets of cards at true size, 10 a page (2 × 5), in the order given: a light border round
 * each card and cut marks in the margin on every cut line, for a paper cutter or scissors.
 */
export async function renderHouseholdCardSheet(cards: HouseholdCard[]): Promise<Buffer> {
  validate(cards);
  const symbols = encode(cards);
  const doc = createPdfDocument({
    size: 'A4',
    margin: 0,
    info: { Title: `${HOUSEHOLD_CARD_TITLE}（${cards.length} 张）`, Creator: '爱心超市' },
  });
  cards.forEach((card, i) => {
    const slot = i % HOUSEHOLD_CARDS_PER_PAGE;
    if (slot === 0) {
      if (i > 0) doc.addPage();
      drawCutMarks(doc);
    }
    const left = SHEET_LEFT + (slot % COLUMNS) * CARD_WIDTH;
    const top = SHEET_TOP + Math.floor(slot / COLUMNS) * CARD_HEIGHT;
    doc.rect(left, top, CARD_WIDTH, CARD_HEIGHT).lineWidth(0.4).stroke(BORDER_GREY);
    drawCard(doc, card, symbols[i], left, top);
  });
  return pdfToBuffer(doc);
}

/**
 * Encodes each card number once. Drawn as rectangles rather than embedded PNGs, a sheet of 200
 * cards renders about three times faster, is a fraction of the size and prints with sharp edges
 * at any printer resolution.
 */
function encode(cards: HouseholdCard[]): CardSymbols[] {
  return cards.map((card) => {
    const [qr] = raw({ bcid: 'qrcode', text: card.cardNo });
    const [code128] = raw({ bcid: 'code128', text: card.cardNo });
    if (!('pixs' in qr) || !('sbs' in code128)) {
      throw new Error(`bwip-js returned an unexpected encoding for ${card.cardNo}`);
    }
    return { qr: { modules: qr.pixs, size: qr.pixx }, bars: code128.sbs };
  });
}

function drawCard(
  doc: PDFKit.PDFDocument,
  card: HouseholdCard,
  symbols: CardSymbols,
  left: number,
  top: number,
): void {
  const x = left + PADDING;

  // header: title left, union right, a red rule under both
  doc.fillColor(RED);
  line(doc, HOUSEHOLD_CARD_TITLE, TITLE_SIZE, x, top + TITLE_BASELINE, { characterSpacing: 1 });
  const titleWidth = doc.widthOfString(HOUSEHOLD_CARD_TITLE, { characterSpacing: 1 });
  const unionSpace = CARD_WIDTH - 2 * PADDING - titleWidth - mm(3);
  doc.fillColor(GREY);
  const union = fitted(doc, oneLine(card.unionName), UNION_SIZES, unionSpace);
  const unionX = left + CARD_WIDTH - PADDING - doc.widthOfString(union.text);
  line(doc, union.text, union.size, unionX, top + TITLE_BASELINE);
  doc
    .moveTo(x, top + RULE_Y)
    .lineTo(left + CARD_WIDTH - PADDING, top + RULE_Y)
    .lineWidth(0.8)
    .stroke(RED);

  // the card number, large enough to read out or type in when a scanner fails
  doc.fillColor(BLACK);
  line(doc, card.cardNo, CARD_NO_SIZE, x, top + CARD_NO_BASELINE, { characterSpacing: 1.2 });

  field(doc, LABELS.name, card.holderName, NAME_SIZES, x, top + NAME_BASELINE, left);
  const values = [placeOf(card), card.storeName, card.categoryLabel];
  [LABELS.place, LABELS.store, LABELS.category].forEach((label, i) => {
    field(doc, label, values[i], FIELD_SIZES, x, top + FIELD_BASELINES[i], left);
  });

  drawQr(doc, symbols.qr, left + QR_LEFT, top + QR_TOP);
  drawBars(doc, symbols.bars, left, top + BARS_TOP);
}

/**
 * Each row's runs of dark modules as rectangles in one path, filled once, so touching modules
 * merge without seams. Drawn in module units: whole numbers keep the content stream small.
 */
function drawQr(doc: PDFKit.PDFDocument, qr: CardSymbols['qr'], left: number, top: number): void {
  doc
    .save()
    .translate(left, top)
    .scale(QR_SIZE / qr.size);
  for (let row = 0; row < qr.size; row++) {
    let column = 0;
    while (column < qr.size) {
      if (qr.modules[row * qr.size + column] !== 1) {
        column++;
        continue;
      }
      const start = column;
      while (column < qr.size && qr.modules[row * qr.size + column] === 1) column++;
      doc.rect(start, row, column - start, 1);
    }
  }
  doc.fill(BLACK).restore();
}

/** The Code 128 bars centred across the card at the widest module that leaves the quiet zones. */
function drawBars(doc: PDFKit.PDFDocument, widths: number[], cardLeft: number, top: number): void {
  const modules = widths.reduce((sum, width) => sum + width, 0);
  const module = Math.min(MAX_MODULE, BARS_SPACE / (modules + 2 * QUIET_MODULES));
  // in module units across and bar heights down, so every coordinate is a whole number
  doc
    .save()
    .translate(cardLeft + (CARD_WIDTH - module * modules) / 2, top)
    .scale(module, BARS_HEIGHT);
  let x = 0;
  widths.forEach((width, i) => {
    if (i % 2 === 0) doc.rect(x, 0, width, 1);
    x += width;
  });
  doc.fill(BLACK).restore();
}

/** A grey label and its value on one line, the value set smaller and then cut to fit. */
function field(
  doc: PDFKit.PDFDocument,
  label: string,
  value: string,
  sizes: { max: number; min: number },
  x: number,
  baseline: number,
  cardLeft: number,
): void {
  doc.fillColor(GREY);
  line(doc, label, FIELD_SIZES.max, x, baseline);
  const valueX = x + doc.widthOfString(label) + mm(2);
  doc.fillColor(BLACK);
  const text = fitted(doc, oneLine(value), sizes, cardLeft + TEXT_RIGHT - valueX);
  line(doc, text.text, text.size, valueX, baseline);
}

function line(
  doc: PDFKit.PDFDocument,
  text: string,
  size: number,
  x: number,
  baseline: number,
  options: { characterSpacing?: number } = {},
): void {
  doc.fontSize(size).text(text, x, baseline, {
    lineBreak: false,
    baseline: 'alphabetic',
    characterSpacing: options.characterSpacing ?? 0,
  });
}

/**
 * The text at the largest size that fits `width` (the document is left at that size), cut with
 * "…" if even the smallest does not, so a long village or store name never runs into the QR code.
 */
function fitted(
  doc: PDFKit.PDFDocument,
  text: string,
  sizes: { max: number; min: number },
  width: number,
): { text: string; size: number } {
  let size = sizes.max;
  while (size > sizes.min && doc.fontSize(size).widthOfString(text) > width) size -= 0.5;
  doc.fontSize(size);
  if (doc.widthOfString(text) <= width) return { text, size };
  // whole code points, so a character outside the BMP is never split in half
  const chars = Array.from(text);
  while (chars.length > 0 && doc.widthOfString(`${chars.join('')}…`) > width) chars.pop();
  return { text: `${chars.join('').trimEnd()}…`, size };
}

/** `城关镇 幸福村`: township then village, as a Chinese address reads. */
function placeOf(card: HouseholdCard): string {
  return [card.townshipName, card.villageName]
    .map((name) => oneLine(name ?? ''))
    .filter((name) => name !== '')
    .join(' ');
}

/** Short marks in the margins on the line of every cut, outside the cards so none is printed on. */
function drawCutMarks(doc: PDFKit.PDFDocument): void {
  const right = SHEET_LEFT + COLUMNS * CARD_WIDTH;
  const bottom = SHEET_TOP + ROWS * CARD_HEIGHT;
  doc.lineWidth(0.5).strokeColor(BLACK);
  for (let c = 0; c <= COLUMNS; c++) {
    const x = SHEET_LEFT + c * CARD_WIDTH;
    doc.moveTo(x, SHEET_TOP - CUT_MARK_GAP).lineTo(x, SHEET_TOP - CUT_MARK_GAP - CUT_MARK_LENGTH);
    doc.moveTo(x, bottom + CUT_MARK_GAP).lineTo(x, bottom + CUT_MARK_GAP + CUT_MARK_LENGTH);
  }
  for (let r = 0; r <= ROWS; r++) {
    const y = SHEET_TOP + r * CARD_HEIGHT;
    doc.moveTo(SHEET_LEFT - CUT_MARK_GAP, y).lineTo(SHEET_LEFT - CUT_MARK_GAP - CUT_MARK_LENGTH, y);
    doc.moveTo(right + CUT_MARK_GAP, y).lineTo(right + CUT_MARK_GAP + CUT_MARK_LENGTH, y);
  }
  doc.stroke();
}

function validate(cards: HouseholdCard[]): void {
  const fields: { field: string; problems: string[] }[] = [];
  if (cards.length === 0) fields.push({ field: 'cards', problems: ['must not be empty'] });
  cards.forEach((card, i) => {
    const at = `cards[${i}]`;
    for (const name of [
      'unionName',
      'cardNo',
      'holderName',
      'storeName',
      'categoryLabel',
    ] as const) {
      if (oneLine(card[name] ?? '') === '')
        fields.push({ field: `${at}.${name}`, problems: ['is empty'] });
    }
    if (oneLine(card.villageName ?? '') === '' && oneLine(card.townshipName ?? '') === '') {
      fields.push({ field: `${at}.villageName`, problems: ['a village or township is needed'] });
    }
    if (card.cardNo && !isValidCode128(card.cardNo)) {
      fields.push({ field: `${at}.cardNo`, problems: ['must be 1-48 printable ASCII characters'] });
    } else if (card.cardNo && barsTooNarrow(card.cardNo)) {
      fields.push({ field: `${at}.cardNo`, problems: ['too long for a Code 128 on a card'] });
    }
  });
  if (fields.length > 0) {
    throw new ValidationFailedError(`积分卡参数有误：${fields.map((f) => f.field).join('、')}`, {
      fields,
    });
  }
}

/**
 * Whether the Code 128 of `text` would need modules narrower than a till scanner reads. Counted
 * for the worst case, code set B throughout: start, one symbol a character, check (11 modules
 * each) and the 13-module stop.
 */
function barsTooNarrow(text: string): boolean {
  const modules = 11 * (text.length + 2) + 13;
  return BARS_SPACE / (modules + 2 * QUIET_MODULES) < MIN_MODULE;
}
