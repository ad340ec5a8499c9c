import { ValidationFailedError } from '@charity/common';
import { toBuffer } from 'bwip-js';

// Two pixels per module keeps every bar an exact number of pixels, so a PNG scaled to the
// printed module width prints as crisply as vector bars; bar height is stretched by the caller.
const LINEAR_OPTIONS = { scale: 2, height: 10 } as const;
const QR_SCALE = 4;

/** EAN-13: 13 digits whose last one is the GS1 check digit of the first twelve. */
export function isValidEan13(code: string): boolean {
  if (!/^\d{13}$/.test(code)) return false;
  const digits = [...code].map(Number);
  const weighted = digits
    .slice(0, 12)
    .reduce((sum, digit, i) => sum + digit * (i % 2 === 0 ? 1 : 3), 0);
  return (10 - (weighted % 10)) % 10 === digits[12];
}

/** Code 128 as products.barcode holds it: 1–48 printable ASCII characters. */
export function isValidCode128(text: string): boolean {
  return /^[\x20-\x7e]{1,48}$/.test(text);
}

/**
 * EAN-13 bars only (95 modules, no quiet zone, no human-readable digits: documents print the
 * digits as real text so they stay searchable and crisp). Twelve digits are refused rather than
 * completed, since a missing check digit usually means a mistyped code.
 */
export async function ean13Png(code: string): Promise<Buffer> {
  if (!isValidEan13(code)) {
    throw new ValidationFailedError(`条码 ${code} 不是有效的 EAN-13（13 位数字，校验位正确）`, {
      fields: [{ field: 'code', problems: ['must be a valid EAN-13'] }],
    });
  }
  return toBuffer({ bcid: 'ean13', text: code, ...LINEAR_OPTIONS });
}

/** Code 128 bars only; bwip-js picks code sets A/B/C to keep the symbol short. */
export async function code128Png(text: string): Promise<Buffer> {
  if (!isValidCode128(text)) {
    throw new ValidationFailedError(`条码 ${text} 只能包含 1–48 个可打印的 ASCII 字符`, {
      fields: [{ field: 'code', problems: ['must be 1-48 printable ASCII characters'] }],
    });
  }
  return toBuffer({ bcid: 'code128', text, ...LINEAR_OPTIONS });
}

/** QR code (error correction M) with no quiet zone; leave four modules of white around it. */
export async function qrPng(text: string): Promise<Buffer> {
  return toBuffer({ bcid: 'qrcode', text, scale: QR_SCALE });
}

/** Width of a 1D barcode in modules, read from the PNG header of `ean13Png`/`code128Png`. */
export function linearModules(png: Buffer): number {
  return png.readUInt32BE(16) / LINEAR_OPTIONS.scale;
}
