import { spawnSync } from 'node:child_process';
import { ValidationFailedError } from '@charity/common';
import { HAS_POPPLER, HAS_ZBAR, pageCount, pdfText } from './pdf-read-back';
import {
  REDEMPTION_RECEIPT_TITLE,
  type RedemptionReceiptData,
  renderRedemptionReceipt,
  type ThermalWidth,
} from './redemption-receipt.renderer';
import { mm } from './units';

const withPoppler = HAS_POPPLER ? it : it.skip;
const withZbar = HAS_POPPLER && HAS_ZBAR ? it : it.skip;

const line = (name: string, unit: string, quantity: number, pointPrice: number) => ({
  name,
  unit,
  quantity,
  pointPrice,
  points: quantity * pointPrice,
});

// 92 + 70 + 9 = 171 points; 350 − 171 = 179
const RECEIPT: RedemptionReceiptData = {
  unionName: '青山县总工会',
  storeName: '青山县城关镇爱心超市',
  storeCode: 'QS01',
  receiptNo: 'DH-QS01-2026-000045',
  occurredAt: new Date('2026-11-22T06:05:00Z'), // 14:05 in Shanghai
  timeZone: 'Asia/Shanghai',
  cardNo: 'H4819302756',
  householdName: '王**',
  category: '低保',
  lines: [
    line('五常大米 5kg', '袋', 2, 46),
    line('金龙鱼食用调和油 5L', '桶', 1, 70),
    line('加碘食盐 400g', '袋', 3, 3),
  ],
  pointsTotal: 171,
  balanceBefore: 350,
  balanceAfter: 179,
  clerkName: '李梅',
  fulfilment: 'pickup',
  status: 'completed',
};

const LONG_NAME = '爱心企业捐赠特级五常稻花香大米（东北黑龙江产地直供）真空包装 10kg装';

const PAGE_WIDTHS: Record<ThermalWidth, number> = { 80: 226.77, 58: 164.41 };

/** MediaBox width and height in points. */
function pageSize(pdf: Buffer): { width: number; height: number } {
  const box = /\/MediaBox \[0 0 ([\d.]+) ([\d.]+)\]/.exec(pdf.toString('latin1'));
  if (!box) throw new Error('no MediaBox');
  return { width: Number(box[1]), height: Number(box[2]) };
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const squeezed = (text: string) => text.replace(/\s+/g, '');

/** The right edge, in points, of the rightmost word pdftotext finds. */
function rightmostWord(pdf: Buffer): number {
  const html = spawnSync('pdftotext', ['-bbox', '-', '-'], { input: pdf, encoding: 'utf8' }).stdout;
  const edges = [...html.matchAll(/<word [^>]*xMax="([\d.]+)"/g)].map((m) => Number(m[1]));
  expect(edges.length).toBeGreaterThan(10);
  return Math.max(...edges);
}

/** Blank millimetres below the last dark pixel of the page, rendered at 100 dpi in grey. */
function blankTail(pdf: Buffer): number {
  const pgm = spawnSync('pdftoppm', ['-gray', '-r', '100', '-'], { input: pdf }).stdout;
  const header = /^P5\s+(\d+)\s+(\d+)\s+255\s/.exec(pgm.toString('latin1', 0, 40));
  if (!header) throw new Error('pdftoppm gave no PGM');
  const [width, height] = [Number(header[1]), Number(header[2])];
  const pixels = pgm.subarray(header[0].length);
  for (let row = height - 1; row >= 0; row--) {
    const start = row * width;
    if (pixels.subarray(start, start + width).some((grey) => grey < 128)) {
      return ((height - 1 - row) / 100) * 25.4;
    }
  }
  return Infinity;
}

/** What zbarimg reads on the page rendered at 203 dpi, a thermal head's resolution. */
function scanned(pdf: Buffer): string {
  const page = spawnSync('pdftoppm', ['-png', '-r', '203', '-'], { input: pdf }).stdout;
  return spawnSync('zbarimg', ['-q', '--raw', '-'], {
    input: page,
    encoding: 'utf8',
  }).stdout.trim();
}

async function validationFields(data: RedemptionReceiptData, width: ThermalWidth = 80) {
  const error: unknown = await renderRedemptionReceipt(data, width).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(ValidationFailedError);
  return (error as ValidationFailedError).details.fields;
}

describe('renderRedemptionReceipt', () => {
  const receipts = new Map<ThermalWidth, Buffer>();

  beforeAll(async () => {
    for (const width of [80, 58] as const) {
      receipts.set(width, await renderRedemptionReceipt(RECEIPT, width));
    }
  });

  describe.each([80, 58] as const)('on a %i mm roll', (width) => {
    const receipt = () => receipts.get(width) as Buffer;

    it('is one page exactly the roll wide, with an embedded font subset, small', () => {
      const pdf = receipt();
      expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
      expect(pageCount(pdf)).toBe(1);
      expect(pageSize(pdf).width).toBeCloseTo(PAGE_WIDTHS[width], 2);
      expect(pageSize(pdf).width).toBeCloseTo(mm(width), 4);
      expect(pdf.toString('latin1')).toMatch(/\/BaseFont \/[A-Z]{6}\+NotoSansSC-Regular/);
      console.info(`3-line receipt at ${width} mm: ${pdf.length} bytes`);
      expect(pdf.length).toBeLessThan(40_000);
    });

    withPoppler('prints the household, every line with its points, the total and balances', () => {
      const text = pdfText(receipt());
      expect(text).toContain(REDEMPTION_RECEIPT_TITLE);
      expect(text).toContain('青山县城关镇爱心超市（QS01）');
      expect(text).toContain('青山县总工会');
      expect(text).toContain('单号：DH-QS01-2026-000045');
      expect(text).toContain('时间：2026-11-22 14:05');
      expect(text).toContain('卡号：H4819302756');
      expect(text).toContain('户主：王**');
      expect(text).toContain('类别：低保');
      for (const l of RECEIPT.lines) {
        const amounts = `${l.quantity}${l.unit} × ${l.pointPrice} = ${l.points}`;
        expect(text).toMatch(new RegExp(`${escape(l.name)} +${escape(amounts)}\\n`));
      }
      expect(text).toMatch(/合计积分 +171\n/);
      expect(text).toMatch(/兑换前余额 +350\n/);
      expect(text).toMatch(/本次使用 +171\n/);
      expect(text).toMatch(/兑换后余额 +179\n/);
      expect(text).toContain('经办：李梅');
      expect(text).toContain('户主签字：');
      expect(text).not.toMatch(/作\s*废|已取消|上门服务/);
    });

    withPoppler('is as long as its content: 3–5 mm blank under the last line, no more', () => {
      const tail = blankTail(receipt());
      expect(tail).toBeGreaterThanOrEqual(2.5);
      expect(tail).toBeLessThanOrEqual(5);
    });

    withPoppler('wraps a long product name inside the roll, making the page taller', async () => {
      const lines = [line(LONG_NAME, '袋', 1, 120), ...RECEIPT.lines];
      const pdf = await renderRedemptionReceipt(
        { ...RECEIPT, lines, pointsTotal: 291, balanceAfter: 59 },
        width,
      );
      expect(pageCount(pdf)).toBe(1);
      expect(pageSize(pdf).height).toBeGreaterThan(pageSize(receipt()).height + 12);
      expect(squeezed(pdfText(pdf, { layout: false }))).toContain(squeezed(LONG_NAME));
      // the amounts follow the name's last part, beside it if they fit, else under it
      expect(pdfText(pdf)).toMatch(/10kg装(?: +|\n +)1袋 × 120 = 120\n/);
      expect(pdfText(pdf)).toMatch(/合计积分 +291\n/);
      // nothing reaches the edge the print head cannot print
      const printableRight = (mm(width) + mm(width === 80 ? 72 : 48)) / 2;
      expect(rightmostWord(pdf)).toBeLessThanOrEqual(printableRight + 0.5);
    });
  });

  withZbar('prints the receipt number as a Code 128 a till scanner reads at 203 dpi', () => {
    expect(scanned(receipts.get(80) as Buffer)).toBe(RECEIPT.receiptNo);
    // 222 modules of at least 0.25 mm do not fit 48 mm: the 58 mm roll carries the number as text
    expect(scanned(receipts.get(58) as Buffer)).toBe('');
  });

  withPoppler('marks a voided receipt 作废 with the reason, top and bottom', async () => {
    const voidReason = '商品扫错，已重新兑换';
    for (const width of [80, 58] as const) {
      const text = pdfText(
        await renderRedemptionReceipt({ ...RECEIPT, status: 'voided', voidReason }, width),
      );
      expect(text).toMatch(/作\s*废\n/); // the boxed mark under the title
      expect(text).toContain(`作废原因：${voidReason}`);
      expect(text).toContain('本小票已作废');
      expect(text).toMatch(/兑换后余额 +179\n/); // still legible
    }
    const cancelled = pdfText(
      await renderRedemptionReceipt(
        {
          ...RECEIPT,
          fulfilment: 'delivery',
          deliveryAddress: '城关镇幸福村三组 12 号',
          status: 'cancelled',
          voidReason: '户主外出，未能送达',
        },
        80,
      ),
    );
    expect(cancelled).toContain('已取消');
    expect(cancelled).toContain('取消原因：户主外出，未能送达');
    expect(cancelled).not.toContain('作废');
  });

  withPoppler('prints 上门服务 with the address and note for a delivery', async () => {
    const deliveryAddress = '城关镇幸福村三组 12 号（村委会东侧第二户，门前有棵大槐树）';
    const deliveryNote = '老人行动不便，请送到屋内';
    for (const width of [80, 58] as const) {
      const pdf = await renderRedemptionReceipt(
        {
          ...RECEIPT,
          fulfilment: 'delivery',
          status: 'awaiting_delivery',
          deliveryAddress,
          deliveryNote,
        },
        width,
      );
      const text = pdfText(pdf);
      expect(text).toContain('上门服务（待配送）');
      expect(squeezed(text)).toContain(squeezed(`地址：${deliveryAddress}`));
      expect(text).toContain(`备注：${deliveryNote}`);
      expect(pageSize(pdf).height).toBeGreaterThan(pageSize(receipts.get(width) as Buffer).height);
    }
  });

  it('names every field that would print a wrong receipt', async () => {
    const [rice, oil] = RECEIPT.lines;
    expect(
      await validationFields({
        ...RECEIPT,
        householdName: ' ',
        occurredAt: new Date('not a date'),
        lines: [
          { ...rice, points: Number.NaN },
          { ...oil, quantity: 0, points: 0 },
        ],
      }),
    ).toEqual([
      { field: 'householdName', problems: ['is empty'] },
      { field: 'occurredAt', problems: [expect.any(String)] },
      { field: 'lines[0].points', problems: ['must be whole points ≥ 0'] },
      { field: 'lines[1].quantity', problems: ['must be a whole number ≥ 1'] },
      { field: 'pointsTotal', problems: ['must equal the sum of the line points'] },
    ]);
    expect(
      await validationFields({ ...RECEIPT, lines: [], pointsTotal: 0, balanceAfter: 350 }),
    ).toEqual([{ field: 'lines', problems: ['must not be empty'] }]);
    expect(
      await validationFields({
        ...RECEIPT,
        lines: [{ ...rice, pointPrice: -46, points: -92 }],
        pointsTotal: -92,
        balanceAfter: 442,
      }),
    ).toEqual([
      { field: 'lines[0].pointPrice', problems: ['must be whole points ≥ 0'] },
      { field: 'lines[0].points', problems: ['must be whole points ≥ 0'] },
      { field: 'pointsTotal', problems: ['must be whole points ≥ 0'] },
    ]);
    expect(await validationFields({ ...RECEIPT, balanceAfter: 180 })).toEqual([
      { field: 'balanceAfter', problems: ['must equal balanceBefore − pointsTotal'] },
    ]);
    expect(
      await validationFields({ ...RECEIPT, timeZone: 'Mars/Olympus', fulfilment: 'delivery' }),
    ).toEqual([
      { field: 'timeZone', problems: [expect.any(String)] },
      { field: 'deliveryAddress', problems: ['is empty for a delivery'] },
    ]);
    expect(await validationFields(RECEIPT, 57 as ThermalWidth)).toEqual([
      { field: 'width', problems: ['must be 80 or 58 (mm)'] },
    ]);
    const error = (await renderRedemptionReceipt(RECEIPT, 76 as ThermalWidth).catch(
      (e: unknown) => e,
    )) as Error;
    expect(error.message).toBe('兑换小票参数有误：width');
  });
});
