import { spawnSync } from 'node:child_process';
import { ValidationFailedError } from '@charity/common';
import {
  HOUSEHOLD_CARD_TITLE,
  type HouseholdCard,
  renderHouseholdCard,
  renderHouseholdCardSheet,
} from './household-card.renderer';
import { HAS_POPPLER, HAS_ZBAR, pageCount, pdfText } from './pdf-read-back';
import { mm } from './units';

const withPoppler = HAS_POPPLER ? it : it.skip;
const withZbar = HAS_POPPLER && HAS_ZBAR ? it : it.skip;
const pdfTextPlain = (pdf: Buffer, page?: number): string => pdfText(pdf, { layout: false, page });

const CARD: HouseholdCard = {
  unionName: '青山县总工会',
  cardNo: 'H4819302756',
  holderName: '王**',
  villageName: '幸福村',
  townshipName: '城关镇',
  storeName: '青山县城关镇爱心超市',
  categoryLabel: '五保',
};

/** `count` cards with distinct numbers, names and villages, in order. */
function cards(count: number): HouseholdCard[] {
  return Array.from({ length: count }, (_, i) => ({
    ...CARD,
    cardNo: `H${String(100_000_000 + i * 7919)}${i % 10}`,
    holderName: `${'王李张刘陈'[i % 5]}**`,
    villageName: `第${i + 1}村`,
  }));
}

/**
 * Symbols zbarimg reads in a region of a page rendered at `dpi`, as `TYPE:data` lines sorted.
 * Cropped to one card because zbar may miss one of many QR codes in a single large image.
 */
function scan(
  pdf: Buffer,
  region: { page: number; x: number; y: number; width: number; height: number },
  dpi: number,
): string[] {
  const px = (points: number) => String(Math.round((points / 72) * dpi));
  const image = spawnSync(
    'pdftoppm',
    [
      '-png',
      '-r',
      String(dpi),
      '-f',
      String(region.page),
      '-l',
      String(region.page),
      '-x',
      px(region.x),
      '-y',
      px(region.y),
      '-W',
      px(region.width),
      '-H',
      px(region.height),
      '-',
    ],
    { input: pdf },
  ).stdout;
  const scanned = spawnSync('zbarimg', ['-q', '-'], { input: image, encoding: 'utf8' });
  return scanned.stdout.trim().split('\n').filter(Boolean).sort();
}

async function validationFields(list: HouseholdCard[]): Promise<unknown> {
  const error: unknown = await renderHouseholdCardSheet(list).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(ValidationFailedError);
  return (error as ValidationFailedError).details.fields;
}

describe('renderHouseholdCard', () => {
  let card: Buffer;

  beforeAll(async () => {
    card = await renderHouseholdCard(CARD);
  });

  it('is one page of exactly CR80 size (85.6 × 54 mm) with an embedded font subset', () => {
    expect(card.subarray(0, 5).toString()).toBe('%PDF-');
    expect(pageCount(card)).toBe(1);
    // 242.646 × 153.071 points
    expect(card.toString('latin1')).toMatch(/\/MediaBox \[0 0 242\.64\d* 153\.07\d*\]/);
    expect(card.toString('latin1')).toMatch(/\/BaseFont \/[A-Z]{6}\+NotoSansSC-Regular/);
    expect(card.length).toBeLessThan(20_000);
  });

  withPoppler('prints the title, union, card number, name, place, store and category', () => {
    const text = pdfTextPlain(card);
    for (const expected of [
      HOUSEHOLD_CARD_TITLE,
      '青山县总工会',
      'H4819302756',
      '王**',
      '城关镇 幸福村',
      '青山县城关镇爱心超市',
      '五保',
    ]) {
      expect(text).toContain(expected);
    }
  });

  withZbar('carries the card number as a QR code and a Code 128 a scanner reads back', () => {
    const whole = { page: 1, x: 0, y: 0, width: mm(85.6), height: mm(54) };
    expect(scan(card, whole, 300)).toEqual(['CODE-128:H4819302756', 'QR-Code:H4819302756']);
    // a till scanner's view of the bars alone, at a coarse 150 dpi
    const bars = { page: 1, x: 0, y: mm(39), width: mm(85.6), height: mm(12) };
    expect(scan(card, bars, 150)).toEqual(['CODE-128:H4819302756']);
  });

  withPoppler(
    'shrinks a long store name and ends it with "…" instead of running into the QR',
    async () => {
      const storeName = '青山县城关镇人民政府驻幸福村帮扶工作队联合县总工会开办的爱心超市第一分店';
      const text = pdfTextPlain(await renderHouseholdCard({ ...CARD, storeName }));
      const line = text.split('\n').find((l) => l.startsWith('青山县城关镇人民政府'));
      expect(line?.endsWith('…')).toBe(true);
      expect(line!.length).toBeLessThan(storeName.length);
    },
  );

  withPoppler(
    'prints the township alone for a household registered at township level',
    async () => {
      const text = pdfTextPlain(await renderHouseholdCard({ ...CARD, villageName: null }));
      expect(text).toMatch(/所在地\s*城关镇\s*\n/);
    },
  );
});

describe('renderHouseholdCardSheet', () => {
  it('puts 10 cards on each A4 page, in order, at true card size', async () => {
    const list = cards(23);
    const sheet = await renderHouseholdCardSheet(list);
    expect(pageCount(sheet)).toBe(3);
    expect(sheet.toString('latin1')).toMatch(/\/MediaBox \[0 0 595\.2\d* 841\.8\d*\]/);
    if (!HAS_POPPLER) return;
    const pages = [1, 2, 3].map((page) => pdfTextPlain(sheet, page));
    list.forEach((card, i) => {
      const page = Math.floor(i / 10);
      expect(pages[page]).toContain(card.cardNo);
      expect(pages[page]).toContain(card.villageName);
      pages
        .filter((_, other) => other !== page)
        .forEach((text) => expect(text).not.toContain(card.cardNo));
    });
  });

  withZbar('prints every card with both symbols readable where it is cut out', async () => {
    const list = cards(10);
    const sheet = await renderHouseholdCardSheet(list);
    const left = (mm(210) - 2 * mm(85.6)) / 2;
    const top = (mm(297) - 5 * mm(54)) / 2;
    list.forEach((card, i) => {
      const region = {
        page: 1,
        x: left + (i % 2) * mm(85.6),
        y: top + Math.floor(i / 2) * mm(54),
        width: mm(85.6),
        height: mm(54),
      };
      expect(scan(sheet, region, 200)).toEqual([
        `CODE-128:${card.cardNo}`,
        `QR-Code:${card.cardNo}`,
      ]);
    });
  });

  it('renders 40 cards on 4 pages in a small file', async () => {
    const sheet = await renderHouseholdCardSheet(cards(40));
    expect(pageCount(sheet)).toBe(4);
    // barcodes are vector shapes, not one embedded image per card
    expect(sheet.toString('latin1')).not.toMatch(/\/Subtype \/Image/);
    expect(sheet.length).toBeLessThan(60_000);
  });

  it('names every field that would print a wrong or unscannable card', async () => {
    expect(await validationFields([])).toEqual([
      { field: 'cards', problems: [expect.any(String)] },
    ]);
    expect(
      await validationFields([
        CARD,
        { ...CARD, cardNo: '卡号', holderName: ' \n ' },
        { ...CARD, villageName: null, townshipName: '' },
        { ...CARD, cardNo: 'H'.padEnd(30, '7') },
      ]),
    ).toEqual([
      { field: 'cards[1].holderName', problems: ['is empty'] },
      { field: 'cards[1].cardNo', problems: [expect.any(String)] },
      { field: 'cards[2].villageName', problems: [expect.any(String)] },
      { field: 'cards[3].cardNo', problems: ['too long for a Code 128 on a card'] },
    ]);
  });
});
