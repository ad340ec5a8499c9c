import { ValidationFailedError } from '@charity/common';
// the documents library's read-back helpers, kept out of its index (as test/support/pdf.ts does)
import { HAS_POPPLER, pageCount, pdfText } from '../../../documents/src/pdf-read-back';
import { donorImpact } from './fixtures';
import { renderDonorThanksPdf } from './donor-thanks.pdf';

const withPdftotext = HAS_POPPLER ? it : it.skip;
const OPTIONS = { unionName: '青山县总工会', issuedOn: '2026-12-20' };

describe('renderDonorThanksPdf', () => {
  let letter: Buffer;

  beforeAll(async () => {
    letter = await renderDonorThanksPdf(donorImpact(), OPTIONS);
  });

  it('is a one-page A4 letter', () => {
    expect(pageCount(letter)).toBe(1);
    expect(letter.toString('latin1')).toMatch(/\/MediaBox \[0 0 595\.2\d* 841\.8\d*\]/);
  });

  withPdftotext('thanks the donor with what their gifts did, signed and dated', () => {
    const text = pdfText(letter);
    expect(text).toMatch(/感 *谢 *信/);
    expect(text).toContain('尊敬的青山县宏达建材有限公司：');
    const flowing = pdfText(letter, { layout: false }).replace(/\n/g, '');
    expect(flowing).toContain(
      '2026年，您通过青山县总工会爱心超市捐赠了价值 12,000.00 元的爱心物资',
    );
    expect(flowing).toContain('其中价值 10,243.50 元的物资（占 85.4%）');
    expect(flowing).toContain('惠及困难家庭 87 户，共计 143 人次');
    expect(text).toMatch(/城关镇 +40 +66 +4,800\.00/);
    expect(text).toMatch(/柳河乡 +20 +32 +2,200\.00/);
    expect(text).toMatch(/五常大米 10kg +袋 +120 +104/);
    expect(text).toMatch(/青山县总工会\s*\n\s*2026年12月20日/);
  });

  withPdftotext('stays on one page however many townships and products there are', async () => {
    const impact = donorImpact({
      townships: Array.from({ length: 60 }, (_, i) => ({
        name: `第${i + 1}乡`,
        households: 2,
        visits: 3,
        valueFen: 10_000,
      })),
      products: Array.from({ length: 80 }, (_, i) => ({
        name: `物资${i + 1}`,
        unit: '件',
        donatedQuantity: 5,
        givenOutQuantity: 4,
      })),
    });
    const pdf = await renderDonorThanksPdf(impact, OPTIONS);
    expect(pageCount(pdf)).toBe(1);
    const text = pdfText(pdf);
    const shown = (text.match(/第\d+乡 +2 +3 +100\.00/g) ?? []).length;
    expect(shown).toBeGreaterThan(5);
    // the hidden townships are summed, so the table still accounts for all 60
    const hidden = 60 - shown;
    expect(text).toMatch(
      new RegExp(
        `其他${hidden}个乡镇 +${2 * hidden} +${3 * hidden} +${(hidden * 100).toLocaleString('en-US')}\\.00`,
      ),
    );
    expect(text).toMatch(/另有\d+种物资/);
    expect(text).toContain('2026年12月20日');
  });

  withPdftotext('says the goods are still in stock when none has been given out', async () => {
    const text = pdfText(
      await renderDonorThanksPdf(
        donorImpact({
          givenOutValueFen: 0,
          givenOutQuantity: 0,
          givenOutPercent: 0,
          households: 0,
          visits: 0,
          townships: [],
        }),
        OPTIONS,
      ),
      { layout: false },
    ).replace(/\n/g, '');
    expect(text).toContain('这些物资已全部登记入库');
    expect(text).not.toContain('惠及困难家庭');
    expect(text).toContain('尚未发放');
  });

  it('refuses a letter without a valid date or donor name', async () => {
    const error: unknown = await renderDonorThanksPdf(donorImpact({ donorName: ' ' }), {
      ...OPTIONS,
      issuedOn: '2026-13-01',
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationFailedError);
    expect((error as ValidationFailedError).details.fields).toEqual([
      { field: 'donorName', problems: ['is empty'] },
      { field: 'issuedOn', problems: ['must be a date YYYY-MM-DD'] },
    ]);
  });
});
