import { isValidTimeZone, ValidationFailedError } from '@charity/common';
import { raw } from 'bwip-js';
import { isValidCode128 } from './barcode';
import { createPdfDocument, pdfToBuffer } from './pdf-document';
import { oneLine } from './pdf-table';
import { mm } from './units';

/** Paper width of a thermal roll in millimetres. */
export type ThermalWidth = 80 | 58;

export const THERMAL_WIDTHS: readonly ThermalWidth[] = [80, 58];

/** One product of a checkout, priced in points when it was sold; `points` is `quantity × pointPrice`. */
export interface RedemptionReceiptLine {
  name: string;
  /** Unit the quantity counts, e.g. 袋, 桶, 件. */
  unit: string;
  quantity: number;
  pointPrice: number;
  points: number;
}

/** Everything printed on one 爱心超市兑换小票. Points are whole numbers. */
export interface RedemptionReceiptData {
  /** The county union running the shop, e.g. 青山县总工会. */
  unionName: string;
  storeName: string;
  storeCode: string;
  /** e.g. DH-QS01-2026-000045; also printed as a Code 128 where the roll is wide enough. */
  receiptNo: string;
  occurredAt: Date;
  /** IANA zone the time is printed in, e.g. Asia/Shanghai. */
  timeZone: string;
  cardNo: string;
  /** As printed: the caller masks it, e.g. 王**. */
  householdName: string;
  /** e.g. 五保, 低保, 特困; omitted when absent. */
  category?: string | null;
  lines: RedemptionReceiptLine[];
  pointsTotal: number;
  balanceBefore: number;
  /** Must equal `balanceBefore − pointsTotal`. */
  balanceAfter: number;
  clerkName: string;
  fulfilment: 'pickup' | 'delivery';
  /** Required for a delivery (上门服务). */
  deliveryAddress?: string | null;
  deliveryNote?: string | null;
  status: 'completed' | 'awaiting_delivery' | 'delivered' | 'cancelled' | 'voided';
  /** Why it was voided or cancelled. */
  voidReason?: string | null;
}

export const REDEMPTION_RECEIPT_TITLE = '爱心超市兑换小票';

const STATUSES = ['completed', 'awaiting_delivery', 'delivered', 'cancelled', 'voided'] as const;
const FULFILMENTS = ['pickup', 'delivery'] as const;

/** Size of everything on one roll width; font sizes in points, lengths in points. */
interface RollStyle {
  paperWidth: number;
  /** The strip a thermal head prints: 576 dots (72 mm) on 80 mm paper, 384 dots (48 mm) on 58 mm. */
  printableWidth: number;
  title: number;
  body: number;
  small: number;
  total: number;
  stamp: number;
  barsHeight: number;
}

const ROLLS: Record<ThermalWidth, RollStyle> = {
  80: {
    paperWidth: mm(80),
    printableWidth: mm(72),
    title: 12.5,
    body: 9,
    small: 8,
    total: 10.5,
    stamp: 20,
    barsHeight: mm(10),
  },
  58: {
    paperWidth: mm(58),
    printableWidth: mm(48),
    title: 11,
    body: 8,
    small: 7,
    total: 9.5,
    stamp: 17,
    barsHeight: mm(9),
  },
};

const MARGIN_Y = mm(3);
/** Line pitch as a multiple of the font size; the ideographic em box is centred in it. */
const PITCH = 1.35;
/** Top of a CJK ideograph above the baseline, as a fraction of the font size (Noto Sans SC). */
const IDEOGRAPHIC_ASCENT = 0.88;
const SECTION_GAP = mm(1.2);
const ITEM_GAP = mm(0.6);
const SIGNATURE_SPACE = mm(7);
const BLACK = '#000000';

// Thermal heads print 8 dots a millimetre (203 dpi). Code 128 modules are a whole number of dots,
// at least two (0.25 mm), so every bar keeps its width when the driver rasterises the page; with
// the 10-module quiet zone either side the symbol must fit the printable strip, else it is left
// out (a 19-character receipt number needs 222 modules: 80 mm rolls only) and the number is
// typed in from the printed text instead.
const DOT = 72 / 203;
const MIN_MODULE_DOTS = 2;
const MAX_MODULE_DOTS = 3;
const QUIET_MODULES = 10;

/**
 * The thermal-roll receipt (兑换小票) handed to a household at checkout, as a one-page PDF the
 * width of the roll and exactly as long as its content: title, store and union; receipt number,
 * local time, card number, masked householder and category; each product (long names wrap) with
 * 数量 × 单价 = 积分; total and the balance before and after; clerk; delivery address for 上门服务;
 * a line for the householder's signature and, where it fits, a Code 128 of the receipt number.
 * A voided or cancelled receipt carries a boxed 作废 / 已取消 under the title and a closing line.
 */
export async function renderRedemptionReceipt(
  data: RedemptionReceiptData,
  width: ThermalWidth,
): Promise<Buffer> {
  validate(data, width);
  const style = ROLLS[width];

  // Laid out before the page exists, so the page can be made exactly as long as the receipt.
  const doc = createPdfDocument({
    autoFirstPage: false,
    info: { Title: `${REDEMPTION_RECEIPT_TITLE} ${data.receiptNo}`, Creator: '爱心超市' },
  });
  const roll = new Roll(doc, style);
  layOut(roll, data, style);
  doc.addPage({ size: [style.paperWidth, roll.y + MARGIN_Y], margin: 0 });
  roll.paint();
  return pdfToBuffer(doc);
}

function layOut(roll: Roll, data: RedemptionReceiptData, style: RollStyle): void {
  roll.centred(REDEMPTION_RECEIPT_TITLE, style.title, 1);
  roll.centred(`${oneLine(data.storeName)}（${oneLine(data.storeCode)}）`, style.body);
  roll.centred(oneLine(data.unionName), style.small);

  const mark = statusMark(data);
  if (mark) {
    roll.gap(SECTION_GAP);
    roll.stamp(mark.word, style.stamp);
    if (mark.reason) roll.field(mark.reason.label, mark.reason.text, style.body);
  }

  roll.rule();
  roll.field('单号：', data.receiptNo, style.body);
  roll.field('时间：', localDateTime(data.occurredAt, data.timeZone), style.body);
  roll.field('卡号：', data.cardNo, style.body);
  roll.field('户主：', oneLine(data.householdName), style.body);
  const category = oneLine(data.category ?? '');
  if (category) roll.field('类别：', category, style.body);

  roll.rule();
  roll.pair('商品', '数量 × 单价 = 积分', style.small);
  roll.gap(ITEM_GAP);
  data.lines.forEach((line, i) => {
    if (i > 0) roll.gap(ITEM_GAP);
    roll.item(
      oneLine(line.name),
      `${line.quantity}${oneLine(line.unit)} × ${line.pointPrice} = ${line.points}`,
      style.body,
    );
  });

  roll.rule();
  roll.pair('合计积分', String(data.pointsTotal), style.total);
  roll.pair('兑换前余额', String(data.balanceBefore), style.body);
  roll.pair('本次使用', String(data.pointsTotal), style.body);
  roll.pair('兑换后余额', String(data.balanceAfter), style.body);

  roll.rule();
  roll.field('经办：', oneLine(data.clerkName), style.body);

  if (data.fulfilment === 'delivery') {
    roll.rule();
    roll.line(deliveryHeading(data.status), style.body);
    roll.field('地址：', oneLine(data.deliveryAddress ?? ''), style.body);
    const note = oneLine(data.deliveryNote ?? '');
    if (note) roll.field('备注：', note, style.body);
  }

  roll.gap(SIGNATURE_SPACE);
  roll.signature('户主签字：', style.body);

  const bars = code128Bars(data.receiptNo, style);
  if (bars) {
    roll.gap(mm(3));
    roll.bars(bars.widths, bars.module, style.barsHeight);
    roll.centred(data.receiptNo, style.small);
  }
  if (mark) {
    roll.gap(SECTION_GAP);
    roll.centred(`—— ${mark.closing} ——`, style.body);
  }
}

interface StatusMark {
  word: string;
  closing: string;
  reason?: { label: string; text: string };
}

function statusMark(data: RedemptionReceiptData): StatusMark | undefined {
  const reason = oneLine(data.voidReason ?? '');
  if (data.status === 'voided') {
    return {
      word: '作废',
      closing: '本小票已作废',
      reason: reason ? { label: '作废原因：', text: reason } : undefined,
    };
  }
  if (data.status === 'cancelled') {
    return {
      word: '已取消',
      closing: '本次兑换已取消',
      reason: reason ? { label: '取消原因：', text: reason } : undefined,
    };
  }
  return undefined;
}

function deliveryHeading(status: RedemptionReceiptData['status']): string {
  if (status === 'awaiting_delivery') return '上门服务（待配送）';
  if (status === 'delivered') return '上门服务（已送达）';
  return '上门服务';
}

/** The Code 128 of `text` at the widest whole-dot module that fits the roll, if any does. */
function code128Bars(text: string, style: RollStyle): { widths: number[]; module: number } | null {
  const [symbol] = raw({ bcid: 'code128', text });
  if (!symbol || !('sbs' in symbol)) {
    throw new Error(`bwip-js returned an unexpected encoding for ${text}`);
  }
  const modules = symbol.sbs.reduce((sum, w) => sum + w, 0) + 2 * QUIET_MODULES;
  const dots = Math.min(MAX_MODULE_DOTS, Math.floor(style.printableWidth / (modules * DOT)));
  return dots < MIN_MODULE_DOTS ? null : { widths: symbol.sbs, module: dots * DOT };
}

const timeFormats = new Map<string, Intl.DateTimeFormat>();

/** `2026-11-22 14:05` in the given zone. */
function localDateTime(instant: Date, timeZone: string): string {
  let format = timeFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-CA', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
    timeFormats.set(timeZone, format);
  }
  const part: Record<string, string> = {};
  for (const { type, value } of format.formatToParts(instant)) part[type] = value;
  return `${part.year}-${part.month}-${part.day} ${part.hour}:${part.minute}`;
}

type Paint = (doc: PDFKit.PDFDocument) => void;

/**
 * Lays the receipt out top to bottom, measuring every line as it goes and recording how to draw
 * it; `paint` then draws it all once the page, as long as `y`, exists. Text is set line by line
 * with our own wrapping, so the measured height is exactly the drawn height.
 */
class Roll {
  /** Top of the next line box. */
  y = MARGIN_Y;
  private readonly left: number;
  private readonly right: number;
  private readonly width: number;
  private readonly paints: Paint[] = [];

  constructor(
    private readonly doc: PDFKit.PDFDocument,
    style: RollStyle,
  ) {
    this.left = (style.paperWidth - style.printableWidth) / 2;
    this.width = style.printableWidth;
    this.right = this.left + this.width;
  }

  paint(): void {
    for (const paint of this.paints) paint(this.doc);
  }

  gap(height: number): void {
    this.y += height;
  }

  /** One line of text at the left. */
  line(text: string, size: number): void {
    this.box(size, (doc, baseline) => put(doc, text, this.left, baseline, size));
  }

  /** Text centred across the roll, wrapped onto more centred lines if long. */
  centred(text: string, size: number, characterSpacing = 0): void {
    for (const line of this.wrap(text, size, this.width, characterSpacing)) {
      const x = this.left + (this.width - this.measure(line, size, characterSpacing)) / 2;
      this.box(size, (doc, baseline) => put(doc, line, x, baseline, size, characterSpacing));
    }
  }

  /** `label` then its value, which wraps under itself rather than under the label. */
  field(label: string, value: string, size: number): void {
    const indent = this.measure(label, size);
    this.wrap(value, size, this.width - indent).forEach((line, i) => {
      this.box(size, (doc, baseline) => {
        if (i === 0) put(doc, label, this.left, baseline, size);
        put(doc, line, this.left + indent, baseline, size);
      });
    });
  }

  /** A label at the left and a value set right-aligned on its first line. */
  pair(label: string, value: string, size: number): void {
    const valueWidth = this.measure(value, size);
    const labelWidth = this.width - valueWidth - this.measure('\u3000', size);
    this.wrap(label, size, labelWidth).forEach((line, i) => {
      this.box(size, (doc, baseline) => {
        put(doc, line, this.left, baseline, size);
        if (i === 0) put(doc, value, this.right - valueWidth, baseline, size);
      });
    });
  }

  /**
   * A product: its name wrapped across the roll, the amounts right-aligned on the name's last
   * line when they fit beside it, else on a line of their own.
   */
  item(name: string, amounts: string, size: number): void {
    const amountsWidth = this.measure(amounts, size);
    const lines = this.wrap(name, size, this.width);
    const last = lines.length - 1;
    const gap = this.measure('\u3000', size);
    const beside = this.measure(lines[last], size) + gap + amountsWidth <= this.width;
    const drawAmounts = (doc: PDFKit.PDFDocument, baseline: number) =>
      put(doc, amounts, this.right - amountsWidth, baseline, size);
    lines.forEach((line, i) => {
      this.box(size, (doc, baseline) => {
        put(doc, line, this.left, baseline, size);
        if (beside && i === last) drawAmounts(doc, baseline);
      });
    });
    if (!beside) this.box(size, drawAmounts);
  }

  /** A dashed rule across the roll, with a little space either side. */
  rule(): void {
    const y = this.y + SECTION_GAP;
    this.paints.push((doc) => {
      doc
        .save()
        .moveTo(this.left, y)
        .lineTo(this.right, y)
        .lineWidth(0.6)
        .dash(2, { space: 1.5 })
        .stroke(BLACK)
        .restore();
    });
    this.y += 2 * SECTION_GAP;
  }

  /** A word in a double-ruled box across the roll: 作废, 已取消. */
  stamp(word: string, size: number): void {
    const spacing = size * 0.6;
    const textWidth = this.measure(word, size, spacing) - spacing;
    const top = this.y;
    const height = size * 1.7;
    const x = this.left + (this.width - textWidth) / 2;
    const baseline = top + (height - size) / 2 + IDEOGRAPHIC_ASCENT * size;
    this.paints.push((doc) => {
      doc.lineWidth(1.6).rect(this.left + 0.8, top + 0.8, this.width - 1.6, height - 1.6);
      doc.stroke(BLACK);
      doc.lineWidth(0.5).rect(this.left + 3, top + 3, this.width - 6, height - 6);
      doc.stroke(BLACK);
      put(doc, word, x, baseline, size, spacing);
    });
    this.y += height + mm(0.8);
  }

  /** `label` and a rule to the right edge to sign on. */
  signature(label: string, size: number): void {
    const lineLeft = this.left + this.measure(label, size) + mm(1);
    this.box(size, (doc, baseline) => {
      put(doc, label, this.left, baseline, size);
      doc
        .moveTo(lineLeft, baseline + 1.5)
        .lineTo(this.right, baseline + 1.5)
        .lineWidth(0.6)
        .stroke(BLACK);
    });
  }

  /** Code 128 bars centred across the roll; `widths` bar first, in modules. */
  bars(widths: number[], module: number, height: number): void {
    const modules = widths.reduce((sum, w) => sum + w, 0);
    const left = this.left + (this.width - modules * module) / 2;
    const top = this.y;
    this.paints.push((doc) => {
      // in module units across and bar heights down, so the content stream holds small integers
      doc.save().translate(left, top).scale(module, height);
      let x = 0;
      widths.forEach((w, i) => {
        if (i % 2 === 0) doc.rect(x, 0, w, 1);
        x += w;
      });
      doc.fill(BLACK).restore();
    });
    this.y += height;
  }

  /** Reserves one line box of `size` and records how to draw into it, at its baseline. */
  private box(size: number, draw: (doc: PDFKit.PDFDocument, baseline: number) => void): void {
    const baseline = this.y + ((PITCH - 1) / 2 + IDEOGRAPHIC_ASCENT) * size;
    this.paints.push((doc) => draw(doc, baseline));
    this.y += PITCH * size;
  }

  private measure(text: string, size: number, characterSpacing = 0): number {
    return this.doc.fontSize(size).widthOfString(text, { characterSpacing });
  }

  /**
   * Greedy line breaking for Chinese: between any two ideographs, at spaces, and inside a run of
   * Latin letters and digits only when the run alone is wider than the line. Closing punctuation
   * never starts a line and opening punctuation never ends one.
   */
  private wrap(text: string, size: number, width: number, characterSpacing = 0): string[] {
    const lines: string[] = [];
    let line = '';
    let lineWidth = 0;
    let spaced = false;
    const spaceWidth = this.measure(' ', size, characterSpacing) + characterSpacing;
    const flush = () => {
      if (line) lines.push(line);
      line = '';
      lineWidth = 0;
    };
    for (const unit of breakUnits(text)) {
      if (unit === ' ') {
        spaced = line !== '';
        continue;
      }
      const unitWidth = this.measure(unit, size, characterSpacing) + characterSpacing;
      const gap = spaced ? spaceWidth : 0;
      spaced = false;
      if (line && lineWidth + gap + unitWidth - characterSpacing <= width) {
        line += (gap ? ' ' : '') + unit;
        lineWidth += gap + unitWidth;
        continue;
      }
      flush();
      if (unitWidth - characterSpacing <= width) {
        line = unit;
        lineWidth = unitWidth;
        continue;
      }
      // a run wider than the line (a long code): break it between characters
      for (const char of Array.from(unit)) {
        const charWidth = this.measure(char, size, characterSpacing) + characterSpacing;
        if (line && lineWidth + charWidth - characterSpacing > width) flush();
        line += char;
        lineWidth += charWidth;
      }
    }
    flush();
    return lines.length > 0 ? lines : [''];
  }
}

const NO_LINE_START = new Set([...'，。、；：？！）》」』】〕〉”’…%,.;:?!)]}·～']);
const NO_LINE_END = new Set([...'（《「『【〔〈“‘([{']);

/** The text cut where a line may break: ideographs, Latin runs and single spaces. */
function breakUnits(text: string): string[] {
  const units: string[] = [];
  let glueNext = false;
  for (const token of oneLine(text).match(/[!-~]+| |[^ ]/gu) ?? []) {
    const previous = units.length - 1;
    if (token !== ' ' && previous >= 0 && units[previous] !== ' ') {
      if (glueNext || NO_LINE_START.has(Array.from(token)[0])) {
        units[previous] += token;
        glueNext = NO_LINE_END.has(Array.from(token).pop() ?? '');
        continue;
      }
    }
    units.push(token);
    glueNext = token !== ' ' && NO_LINE_END.has(Array.from(token).pop() ?? '');
  }
  return units;
}

function put(
  doc: PDFKit.PDFDocument,
  text: string,
  x: number,
  baseline: number,
  size: number,
  characterSpacing = 0,
): void {
  doc.fillColor(BLACK).fontSize(size).text(text, x, baseline, {
    lineBreak: false,
    baseline: 'alphabetic',
    characterSpacing,
  });
}

function validate(data: RedemptionReceiptData, width: ThermalWidth): void {
  const fields: { field: string; problems: string[] }[] = [];
  const problem = (field: string, text: string) => fields.push({ field, problems: [text] });
  const isPoints = (points: number) => Number.isSafeInteger(points) && points >= 0;

  if (!THERMAL_WIDTHS.includes(width)) problem('width', 'must be 80 or 58 (mm)');
  for (const field of [
    'unionName',
    'storeName',
    'storeCode',
    'receiptNo',
    'cardNo',
    'householdName',
    'clerkName',
  ] as const) {
    if (oneLine(data[field] ?? '') === '') problem(field, 'is empty');
  }
  if (data.receiptNo && !isValidCode128(data.receiptNo)) {
    problem('receiptNo', 'must be 1-48 printable ASCII characters');
  }
  if (!(data.occurredAt instanceof Date) || Number.isNaN(data.occurredAt.getTime())) {
    problem('occurredAt', 'must be a valid date and time');
  }
  if (!data.timeZone || !isValidTimeZone(data.timeZone)) {
    problem('timeZone', 'must be an IANA time zone such as Asia/Shanghai');
  }

  let linesTotal = 0;
  if (!Array.isArray(data.lines) || data.lines.length === 0) {
    problem('lines', 'must not be empty');
  } else {
    data.lines.forEach((line, i) => {
      const at = `lines[${i}]`;
      if (oneLine(line.name ?? '') === '') problem(`${at}.name`, 'is empty');
      if (oneLine(line.unit ?? '') === '') problem(`${at}.unit`, 'is empty');
      if (!Number.isSafeInteger(line.quantity) || line.quantity < 1) {
        problem(`${at}.quantity`, 'must be a whole number ≥ 1');
      }
      if (!isPoints(line.pointPrice)) problem(`${at}.pointPrice`, 'must be whole points ≥ 0');
      if (!isPoints(line.points)) {
        problem(`${at}.points`, 'must be whole points ≥ 0');
      } else if (line.points !== line.quantity * line.pointPrice) {
        problem(`${at}.points`, 'must equal quantity × pointPrice');
      }
      linesTotal += line.points;
    });
  }
  if (!isPoints(data.pointsTotal)) {
    problem('pointsTotal', 'must be whole points ≥ 0');
  } else if (Array.isArray(data.lines) && data.pointsTotal !== linesTotal) {
    problem('pointsTotal', 'must equal the sum of the line points');
  }
  if (!isPoints(data.balanceBefore)) problem('balanceBefore', 'must be whole points ≥ 0');
  if (!isPoints(data.balanceAfter)) {
    problem('balanceAfter', 'must be whole points ≥ 0');
  } else if (
    isPoints(data.balanceBefore) &&
    isPoints(data.pointsTotal) &&
    data.balanceAfter !== data.balanceBefore - data.pointsTotal
  ) {
    problem('balanceAfter', 'must equal balanceBefore − pointsTotal');
  }

  if (!FULFILMENTS.includes(data.fulfilment)) problem('fulfilment', 'must be pickup or delivery');
  if (!STATUSES.includes(data.status)) {
    problem('status', `must be one of ${STATUSES.join(', ')}`);
  } else if (
    (data.status === 'awaiting_delivery' || data.status === 'delivered') &&
    data.fulfilment !== 'delivery'
  ) {
    problem('status', `${data.status} needs fulfilment delivery`);
  }
  if (data.fulfilment === 'delivery' && oneLine(data.deliveryAddress ?? '') === '') {
    problem('deliveryAddress', 'is empty for a delivery');
  }

  if (fields.length > 0) {
    throw new ValidationFailedError(`兑换小票参数有误：${fields.map((f) => f.field).join('、')}`, {
      fields,
    });
  }
}
