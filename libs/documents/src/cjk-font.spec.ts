import { spawnSync } from 'node:child_process';
import { cjkFont } from './cjk-font';
import { createPdfDocument, pdfToBuffer } from './pdf-document';
import { HAS_POPPLER } from './pdf-read-back';

const withPdftotext = HAS_POPPLER ? it : it.skip;

function tables(font: Buffer): string[] {
  const count = font.readUInt16BE(4);
  return Array.from({ length: count }, (_, i) =>
    font.toString('latin1', 12 + i * 16, 12 + i * 16 + 4),
  );
}

describe('cjkFont', () => {
  it('is a TrueType font (not WOFF) with glyph outlines, converted once per process', () => {
    const font = cjkFont();
    expect(font.readUInt32BE(0)).toBe(0x00010000);
    expect(tables(font)).toEqual(expect.arrayContaining(['cmap', 'glyf', 'head', 'loca']));
    expect(cjkFont()).toBe(font);
  });

  withPdftotext('draws common and rare GBK characters, and nothing for a missing one', async () => {
    const doc = createPdfDocument();
    // 𠀀 (U+20000) is outside GBK and the font: it must come out as no text rather than a box.
    doc.text('爱心超市 镕 堃 A𠀀B', 50, 50);
    const pdf = await pdfToBuffer(doc);

    const text = spawnSync('pdftotext', ['-', '-'], { input: pdf, encoding: 'utf8' }).stdout;
    expect(text).toContain('爱心超市 镕 堃 A');
    expect(text).not.toContain('𠀀');
    // Subset embedding: a few glyphs, not the 10 MB font.
    expect(pdf.length).toBeLessThan(20_000);
  });
});
