import { ValidationFailedError } from '@charity/common';
import {
  type DonorStatementData,
  type DonorStatementReceipt,
  donorStatementTotals,
  renderDonorStatement,
} from './donor-statement.renderer';
import { HAS_POPPLER, pageCount, pdfText } from './pdf-read-back';

const withPdftotext = HAS_POPPLER ? it : it.skip;

const receipt = (
  receiptNo: string,
  receivedDate: string,
  goodsValueFen: number,
  cashFen: number,
  voided = false,
): DonorStatementReceipt => ({
  receiptNo,
  receivedDate,
  storeName: '青山县城关镇爱心超市',
  goodsValueFen,
  cashFen,
  totalValueFen: goodsValueFen + cashFen,
  voided,
});

// Given out of date order; the voided receipt (99,999.00) must not count.
const STATEMENT: DonorStatementData = {
  unionName: '青山县总工会',
  donorName: '青山县宏达建材有限公司',
  donorKindLabel: '企业',
  year: 2026,
  issueDate: '2027-01-10',
  receipts: [
    receipt('JZ-QS01-2026-000311', '2026-09-01', 200_000, 0),
    receipt('JZ-QS01-2026-000123', '2026-03-15', 98_550, 24_900),
    receipt('JZ-QS02-2026-000045', '2026-05-20', 9_899_900, 0, true),
  ],
};

async function validationFields(data: DonorStatementData): Promise<unknown> {
  const error: unknown = await renderDonorStatement(data).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(ValidationFailedError);
  return (error as ValidationFailedError).details.fields;
}

describe('donorStatementTotals', () => {
  it('counts every receipt but the voided ones', () => {
    expect(donorStatementTotals(STATEMENT.receipts)).toEqual({
      receipts: 2,
      goodsValueFen: 298_550,
      cashFen: 24_900,
      totalValueFen: 323_450,
    });
    expect(donorStatementTotals([])).toEqual({
      receipts: 0,
      goodsValueFen: 0,
      cashFen: 0,
      totalValueFen: 0,
    });
  });
});

describe('renderDonorStatement', () => {
  let statement: Buffer;

  beforeAll(async () => {
    statement = await renderDonorStatement(STATEMENT);
  });

  it('is a one-page A4 PDF with an embedded font subset', () => {
    expect(pageCount(statement)).toBe(1);
    expect(statement.toString('latin1')).toMatch(/\/MediaBox \[0 0 595\.2\d* 841\.8\d*\]/);
    console.info(`3-receipt statement: ${statement.length} bytes`);
    expect(statement.length).toBeLessThan(100_000);
  });

  withPdftotext('lists the receipts by date, marks the voided one and leaves it out', () => {
    const text = pdfText(statement);
    expect(text).toContain('青山县总工会');
    expect(text).toContain('年度捐赠证明');
    expect(text).toContain('青山县宏达建材有限公司（企业）于 2026 年度');
    const rows = [
      /1 +JZ-QS01-2026-000123 +2026-03-15 +青山县城关镇爱心超市 +985\.50 +249\.00 +1,234\.50 *\n/,
      /2 +JZ-QS02-2026-000045 +2026-05-20 +青山县城关镇爱心超市 +98,999\.00 +0\.00 +98,999\.00 +作废\n/,
      /3 +JZ-QS01-2026-000311 +2026-09-01 +青山县城关镇爱心超市 +2,000\.00 +0\.00 +2,000\.00 *\n/,
    ];
    for (const row of rows) expect(text).toMatch(row);
    expect(text).toMatch(/合计（2 张，不含作废） +2,985\.50 +249\.00 +3,234\.50/);
    expect(text).toContain('大写：人民币叁仟贰佰叁拾肆元伍角');
    expect(text).toContain('¥3,234.50');
    expect(text).not.toContain('102,233.50'); // what the total would be with the voided receipt
    expect(text).toContain('2027年1月10日');
  });

  withPdftotext('continues a long year on further pages with the totals on the last', async () => {
    const receipts = Array.from({ length: 70 }, (_, i) =>
      receipt(
        `JZ-QS01-2026-${String(i + 1).padStart(6, '0')}`,
        `2026-${String((i % 12) + 1).padStart(2, '0')}-10`,
        10_000,
        0,
      ),
    );
    const pdf = await renderDonorStatement({ ...STATEMENT, receipts });
    const pages = pageCount(pdf);
    expect(pages).toBeGreaterThanOrEqual(2);
    const text = pdfText(pdf);
    for (const { receiptNo } of receipts) {
      expect(text.split(receiptNo)).toHaveLength(2); // printed exactly once
    }
    const last = pdfText(pdf, { page: pages });
    expect(last).toContain('2026 年度捐赠证明（续）');
    expect(last).toMatch(/合计（70 张，不含作废） +7,000\.00 +0\.00 +7,000\.00/);
    expect(last).toContain('大写：人民币柒仟元整');
    expect(last).toMatch(new RegExp(`第 ?${pages} ?页 ?/ ?共 ?${pages} ?页`));
  });

  withPdftotext('states a year without counted donations as zero', async () => {
    const text = pdfText(
      await renderDonorStatement({ ...STATEMENT, receipts: [STATEMENT.receipts[2]] }),
    );
    expect(text).toContain('在 2026 年度未有计入统计的捐赠');
    expect(text).toContain('大写：人民币零元整');
  });

  it('refuses receipts from another year or with totals that do not add up', async () => {
    const [first, second] = STATEMENT.receipts;
    expect(
      await validationFields({
        ...STATEMENT,
        issueDate: '2027-1-10',
        receipts: [
          { ...first, receivedDate: '2025-12-31' },
          { ...second, totalValueFen: second.totalValueFen + 1 },
        ],
      }),
    ).toEqual([
      { field: 'issueDate', problems: [expect.any(String)] },
      { field: 'receipts[0].receivedDate', problems: ['must fall in 2026'] },
      { field: 'receipts[1].totalValueFen', problems: ['must equal goodsValueFen + cashFen'] },
    ]);
  });
});
