import { InvalidBarcodeError } from './inventory-errors';

export type BarcodeKind = 'ean13' | 'ean8' | 'code128';

/** What a label prints: the symbologies the label renderer draws. */
export interface PrintableCode {
  code: string;
  codeType: 'ean13' | 'code128';
}

/** Longest code the `products.barcode` column holds. */
export const MAX_BARCODE_LENGTH = 48;

/**
 * GS1 prefix 21 is for restricted, in-store circulation: our own labels use it, so no
 * manufacturer's code can collide with an internal code.
 */
export const IN_STORE_PREFIX = '21';

const DIGITS_13 = /^\d{13}$/;
const DIGITS_8 = /^\d{8}$/;
const PRINTABLE_ASCII = /^[\x20-\x7e]+$/;

/**
 * GS1 check digit: weights 3 and 1 alternate from the rightmost data digit leftwards, which is
 * why EAN-13 (12 data digits) starts with weight 1 and EAN-8 (7 data digits) with weight 3.
 */
function gs1CheckDigit(data: string): number {
  let sum = 0;
  for (let i = 0; i < data.length; i++) {
    const fromRight = data.length - 1 - i;
    sum += Number(data[i]) * (fromRight % 2 === 0 ? 3 : 1);
  }
  return (10 - (sum % 10)) % 10;
}

export function ean13CheckDigit(first12: string): number {
  if (!/^\d{12}$/.test(first12)) throw new RangeError(`EAN-13 data must be 12 digits: ${first12}`);
  return gs1CheckDigit(first12);
}

export function ean8CheckDigit(first7: string): number {
  if (!/^\d{7}$/.test(first7)) throw new RangeError(`EAN-8 data must be 7 digits: ${first7}`);
  return gs1CheckDigit(first7);
}

export function isValidEan13(code: string): boolean {
  return DIGITS_13.test(code) && ean13CheckDigit(code.slice(0, 12)) === Number(code[12]);
}

export function isValidEan8(code: string): boolean {
  return DIGITS_8.test(code) && ean8CheckDigit(code.slice(0, 7)) === Number(code[7]);
}

/**
 * Which symbology a code is, or INVALID_BARCODE saying what is wrong: 13 digits must be a valid
 * EAN-13 and 8 digits a valid EAN-8 (a wrong check digit is almost always a typo, so the message
 * names the digit expected); anything else is Code 128, 1–48 printable ASCII characters.
 */
export function classifyBarcode(code: string): BarcodeKind {
  if (DIGITS_13.test(code)) {
    const expected = ean13CheckDigit(code.slice(0, 12));
    if (expected !== Number(code[12])) {
      throw new InvalidBarcodeError(code, `EAN-13 校验位应为 ${expected}，实际为 ${code[12]}`);
    }
    return 'ean13';
  }
  if (DIGITS_8.test(code)) {
    const expected = ean8CheckDigit(code.slice(0, 7));
    if (expected !== Number(code[7])) {
      throw new InvalidBarcodeError(code, `EAN-8 校验位应为 ${expected}，实际为 ${code[7]}`);
    }
    return 'ean8';
  }
  if (code.length === 0) throw new InvalidBarcodeError(code, '条码不能为空');
  if (code.length > MAX_BARCODE_LENGTH) {
    throw new InvalidBarcodeError(
      code,
      `条码最多 ${MAX_BARCODE_LENGTH} 个字符，实际 ${code.length} 个`,
    );
  }
  if (!PRINTABLE_ASCII.test(code)) {
    throw new InvalidBarcodeError(code, '只能包含字母、数字和英文符号（可打印的 ASCII 字符）');
  }
  if (code.trim() !== code) throw new InvalidBarcodeError(code, '首尾不能有空格');
  return 'code128';
}

/** True for an EAN-13 in our in-store range, i.e. some product's internal code. */
export function isInStoreCode(code: string): boolean {
  return isValidEan13(code) && code.startsWith(IN_STORE_PREFIX);
}

/** 店内码: '21' + the product id in ten digits + the EAN-13 check digit. */
export function internalCodeFor(productId: number): string {
  if (!Number.isSafeInteger(productId) || productId < 1 || productId > 9_999_999_999) {
    throw new RangeError(`no internal code for product id ${productId}`);
  }
  const data = `${IN_STORE_PREFIX}${String(productId).padStart(10, '0')}`;
  return `${data}${ean13CheckDigit(data)}`;
}

/**
 * The code a shelf label prints: the goods' own EAN-13, else their Code 128, else (no barcode,
 * or an EAN-8, which the labels do not draw) the internal code. All three scan back to the product.
 */
export function printableCodeFor(product: {
  barcode: string | null;
  internalCode: string | null;
}): PrintableCode | null {
  const { barcode, internalCode } = product;
  if (barcode !== null && isValidEan13(barcode)) return { code: barcode, codeType: 'ean13' };
  if (barcode !== null && !DIGITS_8.test(barcode) && !DIGITS_13.test(barcode)) {
    return { code: barcode, codeType: 'code128' };
  }
  return internalCode === null ? null : { code: internalCode, codeType: 'ean13' };
}
