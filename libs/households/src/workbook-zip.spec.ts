import { text } from 'node:stream/consumers';
import { inlineStringBomb, understated, zipOf } from '../../../test/support/hostile-sheets';
import { SheetTooLargeError } from './household-errors';
import { MAX_WORKBOOK_ENTRIES, MAX_WORKBOOK_UNCOMPRESSED_BYTES, WorkbookZip } from './workbook-zip';

const entries = (count: number): Record<string, string> =>
  Object.fromEntries(Array.from({ length: count }, (_, i) => [`xl/media/image${i}.xml`, `<x/>`]));

describe('WorkbookZip', () => {
  it('opens a zip up to the declared size, and refuses one byte more before inflating', async () => {
    const head = '<sheetData>';
    const fits = await zipOf({ 'a.xml': head.padEnd(MAX_WORKBOOK_UNCOMPRESSED_BYTES, ' ') });
    const zip = await WorkbookZip.open(fits);
    zip.close();

    const over = await zipOf({ 'a.xml': head.padEnd(MAX_WORKBOOK_UNCOMPRESSED_BYTES + 1, ' ') });
    const error = await WorkbookZip.open(over).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SheetTooLargeError);
    expect(error).toMatchObject({
      code: 'PAYLOAD_TOO_LARGE',
      message: expect.stringContaining('文件解压后超过 20 MB（共 20.0 MB）'),
      details: {
        reason: 'uncompressed_size',
        maxUncompressedBytes: MAX_WORKBOOK_UNCOMPRESSED_BYTES,
        declaredBytes: MAX_WORKBOOK_UNCOMPRESSED_BYTES + 1,
      },
    });
  });

  it('refuses a bomb by its central directory alone', async () => {
    const error = await WorkbookZip.open(await inlineStringBomb(64 * 1024 * 1024)).catch(
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ details: { reason: 'uncompressed_size' } });
  });

  it('takes 50 entries and refuses 51', async () => {
    const zip = await WorkbookZip.open(await zipOf(entries(MAX_WORKBOOK_ENTRIES)));
    expect(zip.has('xl/media/image49.xml')).toBe(true);
    zip.close();

    const error = await WorkbookZip.open(await zipOf(entries(MAX_WORKBOOK_ENTRIES + 1))).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(SheetTooLargeError);
    expect(error).toMatchObject({
      message: expect.stringContaining('51 个部件，超过 50 个的上限'),
      details: { reason: 'entry_count', maxEntries: 50, entries: 51 },
    });
  });

  it('inflates an entry as declared, and cuts off one that inflates past its declared size', async () => {
    const content = '<row/>'.repeat(10_000);
    const honest = await zipOf({ 'a.xml': content, 'b.xml': content });
    const zip = await WorkbookZip.open(understated(honest, 'b.xml', content.length - 1));
    try {
      expect(await text((await zip.read('a.xml'))!)).toBe(content);
      expect(await zip.read('missing.xml')).toBeNull();
      const error = await text((await zip.read('b.xml'))!).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(SheetTooLargeError);
      expect(error).toMatchObject({
        details: { reason: 'size_mismatch', entry: 'b.xml', declaredBytes: content.length - 1 },
      });
    } finally {
      zip.close();
    }
  });
});
