import { spawnSync } from 'node:child_process';
import { ValidationFailedError } from '@charity/common';
import { type ProductLabel, renderProductLabels } from './product-labels.renderer';
import { HAS_POPPLER, HAS_ZBAR, pdfText } from './pdf-read-back';

const withPoppler = HAS_POPPLER ? it : it.skip;
const withZbar = HAS_POPPLER && HAS_ZBAR ? it : it.skip;
const pdfTextPlain = (pdf: Buffer): string => pdfText(pdf, { layout: false });

const LABELS: ProductLabel[] = [
  { name: '大米 5kg', code: '6901234567892', codeType: 'ean13', pointPrice: 120, unit: '袋' },
  { name: '食用油 5L', code: '6920000000012', codeType: 'ean13', pointPrice: 350, unit: '桶' },
  { name: '洗衣粉', code: 'CS-000123', codeType: 'code128', pointPrice: 45, unit: '包' },
  { name: '书包', code: '6934567890122', codeType: 'ean13', pointPrice: 80, unit: '个' },
  { name: '棉被', code: 'QB2024-0007', codeType: 'code128', pointPrice: 600, unit: '床' },
  { name: '堃镕牌铁锅', code: 'RARE-1', codeType: 'code128', pointPrice: 1, unit: '本' },
];

function pageCount(pdf: Buffer): number {
  return pdf.toString('latin1').match(/\/Type \/Page\b(?!s)/g)?.length ?? 0;
}

async function validationFields(labels: ProductLabel[], copies?: number): Promise<unknown> {
  const error: unknown = await renderProductLabels(labels, { copies }).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(ValidationFailedError);
  return (error as ValidationFailedError).details.fields;
}

describe('renderProductLabels', () => {
  let sheet: Buffer;

  beforeAll(async () => {
    sheet = await renderProductLabels(LABELS, { copies: 4 }); // 24 labels: one full sheet
  });

  it('fills one A4 page with 24 labels and embeds a font subset, keeping the PDF small', () => {
    expect(sheet.subarray(0, 5).toString()).toBe('%PDF-');
    expect(pageCount(sheet)).toBe(1);
    expect(sheet.toString('latin1')).toMatch(/\/BaseFont \/[A-Z]{6}\+NotoSansSC-Regular/);
    console.info(`24-label sheet: ${sheet.length} bytes`);
    expect(sheet.length).toBeLessThan(40_000);
  });

  withPoppler('prints each name, its barcode digits and its points price as real text', () => {
    const text = pdfTextPlain(sheet);
    for (const label of LABELS) {
      expect(text).toContain(label.name);
      expect(text).toContain(label.code);
      expect(text).toContain(`积分 ${label.pointPrice} / ${label.unit}`);
    }
    expect(text.split('大米 5kg').length - 1).toBe(4); // copies
  });

  withZbar('prints barcodes a scanner reads back as the product codes', async () => {
    const pdf = await renderProductLabels([LABELS[0], LABELS[2], LABELS[5]]);
    // The first row of labels (210 × 38 mm) at 200 dpi, as a till scanner would see it.
    const row = spawnSync(
      'pdftoppm',
      ['-png', '-r', '200', '-W', '1660', '-H', '300', '-l', '1', '-'],
      {
        input: pdf,
      },
    ).stdout;
    const scanned = spawnSync('zbarimg', ['-q', '--raw', '-'], { input: row, encoding: 'utf8' });
    expect(scanned.stdout.trim().split('\n').sort()).toEqual([
      '6901234567892',
      'CS-000123',
      'RARE-1',
    ]);
  });

  withPoppler(
    'shrinks a long name and ends it with an ellipsis instead of overflowing',
    async () => {
      const name = '金龙鱼黄金比例食用植物调和油（非转基因压榨工艺）五升装家庭实惠装';
      const pdf = await renderProductLabels([{ ...LABELS[0], name }]);
      const line = pdfTextPlain(pdf).split('\n')[0];
      expect(line.startsWith('金龙鱼黄金比例')).toBe(true);
      expect(line.endsWith('…')).toBe(true);
      expect(line.length).toBeLessThan(name.length);
    },
  );

  it('starts a new page after every 24 labels and embeds a repeated barcode once', async () => {
    const pdf = await renderProductLabels([LABELS[0]], { copies: 200 });
    expect(pageCount(pdf)).toBe(9); // 8 full sheets + 8 labels
    // one image object plus its alpha mask (bwip-js PNGs are RGBA), not one per copy
    expect(pdf.toString('latin1').match(/\/Subtype \/Image/g)).toHaveLength(2);
    expect(pageCount(await renderProductLabels(LABELS, { copies: 5 }))).toBe(2); // 30 labels
  });

  it('names every invalid field instead of printing an unscannable label', async () => {
    const bad: ProductLabel[] = [
      { ...LABELS[0], code: '6901234567891' }, // wrong check digit
      { ...LABELS[2], code: '洗衣粉' },
      { ...LABELS[1], name: ' \n ', pointPrice: -1 },
    ];
    expect(await validationFields(bad)).toEqual([
      { field: 'labels[0].code', problems: [expect.any(String)] },
      { field: 'labels[1].code', problems: [expect.any(String)] },
      { field: 'labels[2].name', problems: [expect.any(String)] },
      { field: 'labels[2].pointPrice', problems: [expect.any(String)] },
    ]);
    const longCode = { ...LABELS[2], code: 'CS-'.padEnd(40, 'x') }; // bars narrower than 0.2 mm
    expect(await validationFields([LABELS[0], longCode])).toEqual([
      { field: 'labels[1].code', problems: ['too long for a 70 mm label'] },
    ]);
    for (const copies of [0, 201, 1.5]) {
      expect(await validationFields(LABELS, copies)).toEqual([
        { field: 'copies', problems: [expect.any(String)] },
      ]);
    }
    expect(await validationFields([])).toEqual([
      { field: 'labels', problems: [expect.any(String)] },
    ]);
  });
});
