import { ValidationFailedError } from '@charity/common';
import {
  code128Png,
  ean13Png,
  isValidCode128,
  isValidEan13,
  linearModules,
  qrPng,
} from './barcode';

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

describe('barcodes', () => {
  it('checks the EAN-13 check digit', () => {
    expect(isValidEan13('6901234567892')).toBe(true);
    expect(isValidEan13('6901234567891')).toBe(false);
    expect(isValidEan13('690123456789')).toBe(false); // check digit missing
    expect(isValidEan13('69012345678921')).toBe(false);
    expect(isValidEan13('69012345678a2')).toBe(false);
  });

  it('accepts printable ASCII for Code 128 only', () => {
    expect(isValidCode128('CS-000123')).toBe(true);
    expect(isValidCode128('')).toBe(false);
    expect(isValidCode128('大米')).toBe(false);
    expect(isValidCode128('A\nB')).toBe(false);
    expect(isValidCode128('x'.repeat(49))).toBe(false);
  });

  it('renders EAN-13 as a PNG of exactly 95 modules (bars only, no quiet zone)', async () => {
    const png = await ean13Png('6901234567892');
    expect(png.subarray(0, 8)).toEqual(PNG_SIGNATURE);
    expect(linearModules(png)).toBe(95);
  });

  it('renders Code 128 with 11 modules per symbol plus a 13-module stop', async () => {
    // start B, "RARE-1" (6), check, stop
    expect(linearModules(await code128Png('RARE-1'))).toBe(8 * 11 + 13);
  });

  it('renders a QR code as a square PNG', async () => {
    const png = await qrPng('https://example.org/r/123');
    expect(png.subarray(0, 8)).toEqual(PNG_SIGNATURE);
    expect(png.readUInt32BE(16)).toBe(png.readUInt32BE(20));
  });

  it('refuses codes a scanner could not read back as given', async () => {
    await expect(ean13Png('690123456789')).rejects.toBeInstanceOf(ValidationFailedError);
    await expect(code128Png('书包')).rejects.toBeInstanceOf(ValidationFailedError);
  });
});
