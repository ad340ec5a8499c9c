import ExcelJS from 'exceljs';
import { MAX_AWARD_ROWS, parseAwardSheet } from './award-sheet';
import { RowLimitExceededError, UnsupportedFileError } from './household-errors';

async function xlsx(sheets: Record<string, ExcelJS.CellValue[][]>): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  for (const [name, rows] of Object.entries(sheets)) {
    const sheet = workbook.addWorksheet(name);
    for (const row of rows) sheet.addRow(row);
  }
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

const cardRows = (count: number): string[][] =>
  Array.from({ length: count }, (_, i) => [`QS01${String(i).padStart(6, '0')}`, 'R1']);

describe('parseAwardSheet', () => {
  it('reads the first worksheet by its header, with its own row numbers, blank rows left out', async () => {
    const buffer = await xlsx({
      评定: [
        ['卡号', '规则', '备注'],
        ['QS01000001', { richText: [{ text: '庭院' }, { text: '整洁' }] }, ' 院子干净 '],
        [],
        ['QS01000002', 'R2', null],
      ],
      其他: [
        ['卡号', '规则'],
        ['QS01000009', 'R9'],
      ],
    });
    await expect(parseAwardSheet({ buffer, fileName: '评定表.xlsx' })).resolves.toEqual({
      rows: [
        { row: 2, cardNo: 'QS01000001', idNumber: null, rule: '庭院整洁', note: '院子干净' },
        { row: 4, cardNo: 'QS01000002', idNumber: null, rule: 'R2', note: null },
      ],
      problems: [],
    });
  });

  it('reads MAX_AWARD_ROWS rows and stops at the first row past them, in XLSX and CSV', async () => {
    const full = [['卡号', '规则'], ...cardRows(MAX_AWARD_ROWS)];
    const fits = await parseAwardSheet({ buffer: await xlsx({ a: full }), fileName: 'a.xlsx' });
    expect(fits.rows).toHaveLength(MAX_AWARD_ROWS);

    const over = [...full, ['QS01999999', 'R1']];
    const csv = Buffer.from(over.map((row) => row.join(',')).join('\n'));
    for (const file of [
      { buffer: await xlsx({ a: over }), fileName: 'a.xlsx' },
      { buffer: csv, fileName: 'a.csv' },
    ]) {
      const error = await parseAwardSheet(file).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(RowLimitExceededError);
      expect(error).toMatchObject({
        code: 'IMPORT_REJECTED',
        message: `评定表超过 ${MAX_AWARD_ROWS} 行的上限，未记入任何积分；请分批提交`,
        details: { rowLimit: MAX_AWARD_ROWS },
      });
    }
  });

  it('refuses what is not a spreadsheet as the household import does', async () => {
    const error = await parseAwardSheet({
      buffer: Buffer.from('%PDF-1.7\n'),
      fileName: '评定表.pdf',
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnsupportedFileError);
    expect(error).toMatchObject({ details: { fileName: '评定表.pdf', reason: 'wrong_type' } });
  });
});
