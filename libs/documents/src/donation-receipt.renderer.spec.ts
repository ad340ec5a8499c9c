import { spawnSync } from 'node:child_process';
import { ValidationFailedError } from '@charity/common';
import {
  type DonationReceiptData,
  type DonationReceiptLine,
  renderDonationReceipt,
  DONATION_RECEIPT_THANKS,
} from './donation-receipt.renderer';
import { HAS_POPPLER, HAS_ZBAR, pageCount, pdfText } from './pdf-read-back';

const withPoppler = HAS_POPPLER ? it : it.skip;
const withZbar = HAS_POPPLER && HAS_ZBAR ? it : it.skip;

const line = (name: string, quantity: number, unit: string, unitValueFen: number) => ({
  name,
  quantity,
  unit,
  unitValueFen,
  amountFen: quantity * unitValueFen,
});

// 367.20 + 419.40 + 198.90 goods + 249.00 cash = 1,234.50
const RECEIPT: DonationReceiptData = {
  unionName: '青山县总工会',
  receiptNo: 'JZ-QS01-2026-000123',
  receivedDate: '2026-03-15',
  donorName: '张*明',
  donorKindLabel: '个人',
  storeName: '青山县城关镇爱心超市',
  clerkName: '李梅',
  lines: [
    line('五常大米 5kg', 8, '袋', 4590),
    line('金龙鱼食用油 5L', 6, '桶', 6990),
    line('加厚羽绒被', 2, '床', 9945),
  ],
  cashFen: 24900,
  totalValueFen: 123450,
  verifyUrl:
    'https://aixin.example.gov.cn/public/receipts/JZ-QS01-2026-000123?code=8f3a9c2e71b04d55',
  note: '春节慰问专项捐赠',
};

/** Pixels of stamp red on a page rendered at 30 dpi (PPM: header, then RGB bytes). */
function redPixels(pdf: Buffer, page: number): number {
  const ppm = spawnSync('pdftoppm', ['-r', '30', '-f', String(page), '-l', String(page), '-'], {
    input: pdf,
  }).stdout;
  const header = /^P6\s+\d+\s+\d+\s+255\s/.exec(ppm.toString('latin1', 0, 40));
  let red = 0;
  for (let i = header?.[0].length ?? ppm.length; i + 2 < ppm.length; i += 3) {
    if (ppm[i] > 160 && ppm[i + 1] < 110 && ppm[i + 2] < 110) red++;
  }
  return red;
}

async function validationFields(data: DonationReceiptData): Promise<unknown> {
  const error: unknown = await renderDonationReceipt(data).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(ValidationFailedError);
  return (error as ValidationFailedError).details.fields;
}

function manyLines(count: number): DonationReceiptLine[] {
  return Array.from({ length: count }, (_, i) => line(`爱心物资第${i + 1}号`, i + 1, '件', 1000));
}

describe('renderDonationReceipt', () => {
  let receipt: Buffer;

  beforeAll(async () => {
    receipt = await renderDonationReceipt(RECEIPT);
  });

  it('is a one-page A5 PDF with an embedded font subset, well under 100 KB', () => {
    expect(receipt.subarray(0, 5).toString()).toBe('%PDF-');
    expect(pageCount(receipt)).toBe(1);
    expect(receipt.toString('latin1')).toMatch(/\/MediaBox \[0 0 419\.5\d* 595\.2\d*\]/);
    expect(receipt.toString('latin1')).toMatch(/\/BaseFont \/[A-Z]{6}\+NotoSansSC-Regular/);
    console.info(`3-line receipt with cash: ${receipt.length} bytes`);
    expect(receipt.length).toBeLessThan(100_000);
  });

  withPoppler('prints the donor, every line with its amounts, and the total both ways', () => {
    const text = pdfText(receipt);
    expect(text).toContain('青山县总工会');
    expect(text).toContain('爱心捐赠收据');
    expect(text).toContain('JZ-QS01-2026-000123');
    expect(text).toContain('2026年3月15日');
    expect(text).toContain('捐赠方：张*明（个人）');
    expect(text).toMatch(/五常大米 5kg +8 +袋 +45\.90 +367\.20\n/);
    expect(text).toMatch(/金龙鱼食用油 5L +6 +桶 +69\.90 +419\.40\n/);
    expect(text).toMatch(/加厚羽绒被 +2 +床 +99\.45 +198\.90\n/);
    expect(text).toMatch(/物资价值合计 +985\.50\n/);
    expect(text).toMatch(/现金捐赠 +249\.00\n/);
    expect(text).toMatch(/大写：人民币壹仟贰佰叁拾肆元伍角 +¥1,234\.50\n/);
    expect(text).toContain('接收门店：青山县城关镇爱心超市');
    expect(text).toContain('经办人：李梅');
    expect(text).toContain('备注：春节慰问专项捐赠');
    expect(text).toContain(DONATION_RECEIPT_THANKS);
    expect(text).toContain('扫码验证收据真伪');
    expect(text).not.toContain('作废');
    expect(text).not.toMatch(/第 ?1 ?页/); // page numbers only when there is more than one
    expect(redPixels(receipt, 1)).toBe(0);
  });

  withZbar('prints a QR code that a phone reads as the verification link', () => {
    const page = spawnSync('pdftoppm', ['-png', '-r', '150', '-'], { input: receipt }).stdout;
    const scanned = spawnSync('zbarimg', ['-q', '--raw', '-'], { input: page, encoding: 'utf8' });
    expect(scanned.stdout.trim()).toBe(RECEIPT.verifyUrl);
  });

  withPoppler('continues a long goods list on further pages and totals on the last', async () => {
    const lines = manyLines(40);
    const totalValueFen = lines.reduce((sum, l) => sum + l.amountFen, 0); // 8,200.00
    const pdf = await renderDonationReceipt({ ...RECEIPT, lines, cashFen: 0, totalValueFen });
    const pages = pageCount(pdf);
    expect(pages).toBeGreaterThanOrEqual(2);

    const text = pdfText(pdf);
    lines.forEach((l, i) => {
      const row = new RegExp(`${l.name} +${i + 1} +件 +10\\.00 +${(i + 1) * 10}\\.00\\n`, 'g');
      expect(text.match(row)).toHaveLength(1);
    });
    for (let page = 2; page <= pages; page++) {
      const continued = pdfText(pdf, { page: page });
      expect(continued).toContain('爱心捐赠收据（续）');
      expect(continued).toContain('编号：JZ-QS01-2026-000123');
      expect(continued).toMatch(/品名 +数量 +单位 +单价\(元\) +金额\(元\)/); // header row repeated
      // pdftotext drops the narrow spaces around the digits
      expect(continued).toMatch(new RegExp(`第 ?${page} ?页 ?/ ?共 ?${pages} ?页`));
    }
    const last = pdfText(pdf, { page: pages });
    expect(last).toMatch(/大写：人民币捌仟贰佰元整 +¥8,200\.00/);
    expect(last).toContain('爱心物资第40号'); // the totals never stand alone on a page
    expect(pdfText(pdf, { page: 1 })).not.toContain('大写');
  });

  withPoppler('marks a voided receipt 作废 in red on every page, with the reason', async () => {
    const voidReason = '捐赠方信息录入错误，已重新开具';
    const pdf = await renderDonationReceipt({ ...RECEIPT, voided: true, voidReason });
    const text = pdfText(pdf);
    expect(text).toMatch(new RegExp(`本收据已作废\\s+作废原因：${voidReason}`));
    expect(text).toMatch(/作\s*废/); // the stamp
    expect(text).toContain('大写：人民币壹仟贰佰叁拾肆元伍角'); // still legible under the stamp
    expect(redPixels(pdf, 1)).toBeGreaterThan(150);

    const lines = manyLines(40);
    const totalValueFen = lines.reduce((sum, l) => sum + l.amountFen, 0);
    const long = await renderDonationReceipt({
      ...RECEIPT,
      lines,
      cashFen: 0,
      totalValueFen,
      voided: true,
      voidReason,
    });
    for (let page = 1; page <= pageCount(long); page++) {
      expect({ page, red: redPixels(long, page) > 150 }).toEqual({ page, red: true });
    }
  });

  withPoppler('prints a cash-only donation without an empty goods table', async () => {
    const pdf = await renderDonationReceipt({
      ...RECEIPT,
      lines: [],
      cashFen: 10_000_000_001,
      totalValueFen: 10_000_000_001,
      note: null,
    });
    const text = pdfText(pdf);
    expect(text).not.toContain('品名');
    expect(text).not.toContain('物资价值合计');
    expect(text).not.toContain('备注');
    expect(text).toMatch(/现金捐赠 +100,000,000\.01\n/);
    expect(text).toContain('大写：人民币壹亿元零壹分');
  });

  it('names every field that would print a wrong or unreadable receipt', async () => {
    const [rice, oil] = RECEIPT.lines;
    expect(
      await validationFields({
        ...RECEIPT,
        donorName: ' ',
        receivedDate: '2026-02-30',
        lines: [
          { ...rice, amountFen: rice.amountFen + 1 },
          { ...oil, quantity: 0.5 },
        ],
      }),
    ).toEqual([
      { field: 'donorName', problems: ['is empty'] },
      { field: 'receivedDate', problems: [expect.any(String)] },
      { field: 'lines[0].amountFen', problems: ['must equal quantity × unitValueFen'] },
      { field: 'lines[1].quantity', problems: [expect.any(String)] },
      { field: 'lines[1].amountFen', problems: ['must equal quantity × unitValueFen'] },
      { field: 'totalValueFen', problems: [expect.any(String)] },
    ]);
    expect(await validationFields({ ...RECEIPT, totalValueFen: 123449 })).toEqual([
      { field: 'totalValueFen', problems: ['must equal the sum of the line amounts and the cash'] },
    ]);
    expect(await validationFields({ ...RECEIPT, lines: [], cashFen: 0, totalValueFen: 0 })).toEqual(
      [{ field: 'lines', problems: [expect.any(String)] }],
    );
    expect(await validationFields({ ...RECEIPT, cashFen: 249.5, totalValueFen: 123450.5 })).toEqual(
      [
        { field: 'cashFen', problems: [expect.any(String)] },
        { field: 'totalValueFen', problems: [expect.any(String)] },
      ],
    );
  });
});
