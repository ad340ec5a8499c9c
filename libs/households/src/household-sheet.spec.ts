import ExcelJS from 'exceljs';
import {
  ImportRejectedError,
  InvalidSheetError,
  RowLimitExceededError,
  UnsupportedFileError,
} from './household-errors';
import {
  columnForHeader,
  householdSheetTemplate,
  readHouseholdSheet,
  type HouseholdSheet,
} from './household-sheet';
import { idNumberProblem } from './id-number';
import { decodeSheetText } from './sheet-file';

const ID_A = '11010519491231002X';
const ID_B = '410423195803120021';

/** GBK bytes for text, from the platform's own GB18030 decoder run backwards. */
function gbk(text: string): Buffer {
  const table = new Map<string, number[]>();
  const decoder = new TextDecoder('gb18030');
  for (let lead = 0x81; lead <= 0xfe; lead += 1) {
    for (let trail = 0x40; trail <= 0xfe; trail += 1) {
      if (trail === 0x7f) continue;
      const char = decoder.decode(Uint8Array.of(lead, trail));
      if (!table.has(char)) table.set(char, [lead, trail]);
    }
  }
  return Buffer.from(
    [...text].flatMap((char) => {
      if (char.charCodeAt(0) < 0x80) return [char.charCodeAt(0)];
      const bytes = table.get(char);
      if (!bytes) throw new Error(`no GBK code for ${char}`);
      return bytes;
    }),
  );
}

async function xlsx(rows: (string | number | null)[][], sheetName = 'Sheet1'): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet(sheetName);
  for (const row of rows) sheet.addRow(row);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

function cellsOf(sheet: HouseholdSheet): Record<string, string>[] {
  return sheet.rows.map((row) => ({ row: String(row.row), ...row.cells }));
}

describe('readHouseholdSheet', () => {
  it('reads a UTF-8 CSV with a BOM, the header in row 1, unknown columns ignored', async () => {
    const csv = `\uFEFF序号,姓名,身份证号,类别,人口,村,电话,地址,备注\r\n1,王秀英,${ID_A},低保,2,西关村,13812345678,"西关村三组, 12号",无\r\n2,李四,${ID_B},五保,1,城关镇/东关村,,,\r\n`;
    const sheet = await readHouseholdSheet({ buffer: Buffer.from(csv), fileName: '名单.csv' });
    expect(sheet.format).toBe('csv');
    expect(sheet.headerRow).toBe(1);
    expect(cellsOf(sheet)).toEqual([
      {
        row: '2',
        headName: '王秀英',
        idNumber: ID_A,
        category: '低保',
        memberCount: '2',
        village: '西关村',
        phone: '13812345678',
        address: '西关村三组, 12号',
      },
      {
        row: '3',
        headName: '李四',
        idNumber: ID_B,
        category: '五保',
        memberCount: '1',
        village: '城关镇/东关村',
      },
    ]);
  });

  it('reads a GBK CSV as Excel on a Chinese Windows saves it', async () => {
    const csv = `户主姓名,身份证号码,类别,家庭人口,所属村,联系电话\r\n张桂兰,${ID_A},特困,3,柳河镇/王庄村,0391-1234567\r\n`;
    const buffer = gbk(csv);
    expect(() => new TextDecoder('utf-8', { fatal: true }).decode(buffer)).toThrow();
    const sheet = await readHouseholdSheet({ buffer, fileName: 'roster.CSV' });
    expect(cellsOf(sheet)).toEqual([
      {
        row: '2',
        headName: '张桂兰',
        idNumber: ID_A,
        category: '特困',
        memberCount: '3',
        village: '柳河镇/王庄村',
        phone: '0391-1234567',
      },
    ]);
    expect(sheet.headers).toMatchObject({ headName: '户主姓名', memberCount: '家庭人口' });
  });

  it('decodes UTF-8, GB18030 and UTF-16 text', () => {
    expect(decodeSheetText(Buffer.from('\uFEFF姓名'))).toBe('姓名');
    expect(decodeSheetText(gbk('低保户'))).toBe('低保户');
    expect(decodeSheetText(Buffer.from('\uFEFF人口', 'utf16le'))).toBe('人口');
  });

  it('reads an XLSX: title row above the header, numbers as cells, blank rows keep numbering', async () => {
    const buffer = await xlsx([
      ['城关镇困难户花名册'],
      ['姓名', '身份证号', '类别', '人口（人）', '村（社区）', '手机号码', '门店编码'],
      ['王秀英', ID_A, '低保', 2, '西关村', 13812345678, 'QS01'],
      [],
      // as Excel keeps an ID number typed into a cell formatted as a number
      ['李四', Number(ID_B), 'wubao', 1, '东关村', null, null],
    ]);
    const sheet = await readHouseholdSheet({ buffer, fileName: 'roster.xlsx' });
    expect(sheet.format).toBe('xlsx');
    expect(sheet.headerRow).toBe(2);
    expect(cellsOf(sheet)).toEqual([
      {
        row: '3',
        headName: '王秀英',
        idNumber: ID_A,
        category: '低保',
        memberCount: '2',
        village: '西关村',
        phone: '13812345678',
        store: 'QS01',
      },
      {
        row: '5',
        headName: '李四',
        idNumber: '410423195803120000',
        category: 'wubao',
        memberCount: '1',
        village: '东关村',
      },
    ]);
    // an ID number typed as a number lost its last digits; the import must say so
    expect(sheet.rows[1].numeric).toContain('idNumber');
    expect(sheet.rows[0].numeric).not.toContain('idNumber');
  });

  it.each([
    ['户主姓名', 'headName'],
    [' 姓 名 ', 'headName'],
    ['*身份证号码', 'idNumber'],
    ['身份证号（必填）', 'idNumber'],
    ['家庭人口', 'memberCount'],
    ['人口数', 'memberCount'],
    ['联系电话', 'phone'],
    ['所属村', 'village'],
    ['镇/村', 'village'],
    ['村（社区）', 'village'],
    ['家庭住址', 'address'],
    ['门店编码', 'store'],
    ['headName', 'headName'],
    ['序号', null],
    ['备注', null],
  ])('reads the header %p as %p', (header, column) => {
    expect(columnForHeader(header)).toBe(column);
  });

  it('leaves out the template example row and reads the filled-in rows', async () => {
    const template = await householdSheetTemplate('xlsx');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(template as unknown as ArrayBuffer);
    expect(workbook.worksheets.map((sheet) => sheet.name)).toEqual(['困难户名单', '说明']);
    const roster = workbook.worksheets[0];
    const example = roster.getRow(2).values as unknown[];
    expect(String(example[1])).toMatch(/^示例/);
    expect(idNumberProblem(String(example[2]), '2026-01-01')).toBeNull();
    // as a person types below the example (the category drop-down already reaches row 1001)
    roster.getRow(3).values = ['王秀英', ID_B, '低保', 2, '西关村'];
    const filled = Buffer.from(await workbook.xlsx.writeBuffer());
    const sheet = await readHouseholdSheet({ buffer: filled, fileName: 'template.xlsx' });
    expect(sheet.exampleRows).toEqual([2]);
    expect(sheet.rows.map((row) => [row.row, row.cells.idNumber])).toEqual([[3, ID_B]]);
  });

  it('prints the XLSX template as every export prints: landscape, one page wide, header repeated', async () => {
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load((await householdSheetTemplate('xlsx')) as unknown as ArrayBuffer);
    for (const sheet of workbook.worksheets) {
      expect([sheet.name, sheet.pageSetup]).toEqual([
        sheet.name,
        expect.objectContaining({
          paperSize: 9, // A4
          orientation: 'landscape',
          fitToPage: true,
          fitToWidth: 1,
          fitToHeight: 0,
          printTitlesRow: '1:1',
        }),
      ]);
      expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    }
    // the notes wrap within the page
    const notes = workbook.getWorksheet('说明');
    expect(notes?.getCell('C4').alignment?.wrapText).toBe(true);
  });

  it('writes a CSV template with a BOM that reads back', async () => {
    const template = await householdSheetTemplate('csv');
    expect([...template.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = template.toString('utf8');
    expect(text.split('\r\n')[0]).toBe('\uFEFF姓名,身份证号,类别,人口,村,电话,地址,门店');
    await expect(readHouseholdSheet({ buffer: template, fileName: 't.csv' })).rejects.toThrow(
      InvalidSheetError,
    );
  });

  it('refuses an empty file, a header without rows and a sheet without a header', async () => {
    const read = (text: string) =>
      readHouseholdSheet({ buffer: Buffer.from(text), fileName: 'a.csv' });
    await expect(read('')).rejects.toMatchObject({ details: { reason: 'empty' } });
    await expect(read('\r\n ,, \r\n')).rejects.toMatchObject({ details: { reason: 'empty' } });
    await expect(read('姓名,身份证号,类别,人口,村\r\n')).rejects.toMatchObject({
      code: 'INVALID_SHEET',
      details: { reason: 'no_rows' },
    });
    await expect(read('a,b,c\r\n1,2,3\r\n')).rejects.toMatchObject({
      details: { reason: 'no_header' },
    });
  });

  it('names each missing required column and a duplicated one at the header row', async () => {
    const csv = `姓名,身份证号,电话,手机\r\n王秀英,${ID_A},13812345678,\r\n`;
    const error = await readHouseholdSheet({ buffer: Buffer.from(csv) }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ImportRejectedError);
    expect((error as ImportRejectedError).details.problems).toEqual([
      { row: 1, column: '手机', message: expect.stringContaining('同一列') },
      { row: 1, column: '类别', message: '缺少必填列“类别”' },
      { row: 1, column: '人口', message: '缺少必填列“人口”' },
      { row: 1, column: '村', message: '缺少必填列“村”' },
    ]);
  });

  it('refuses one data row past the limit, in CSV and XLSX alike', async () => {
    const lines = ['姓名,身份证号,类别,人口,村'];
    for (let i = 0; i < 5; i += 1) lines.push(`户${i},${ID_A},低保,1,西关村`);
    const csv = (text: string[]) => ({ buffer: Buffer.from(text.join('\n')) });
    await expect(readHouseholdSheet(csv(lines), 5)).resolves.toMatchObject({ rows: { length: 5 } });
    const sheet = await xlsx(lines.map((line) => line.split(',')));
    await expect(readHouseholdSheet({ buffer: sheet }, 5)).resolves.toMatchObject({
      rows: { length: 5 },
    });

    lines.push(`户5,${ID_A},低保,1,西关村`);
    for (const file of [csv(lines), { buffer: await xlsx(lines.map((line) => line.split(','))) }]) {
      const error = await readHouseholdSheet(file, 5).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(RowLimitExceededError);
      expect(error).toMatchObject({
        code: 'IMPORT_REJECTED',
        message: expect.stringContaining('超过 5 户的上限'),
        details: { rowLimit: 5 },
      });
    }
  });

  it('takes the first worksheet with a header, in tab order', async () => {
    const workbook = new ExcelJS.Workbook();
    workbook.addWorksheet('封面').addRow(['某某镇困难户花名册']);
    const roster = workbook.addWorksheet('名单');
    roster.addRow(['姓名', '身份证号', '类别', '人口', '村']);
    roster.addRow([{ richText: [{ text: '王' }, { text: '秀英' }] }, ID_A, '低保', 2, '西关村']);
    // a later sheet with a header too: never read
    workbook.addWorksheet('备份').addRow(['姓名', '身份证号', '类别', '人口', '村']);
    const buffer = Buffer.from(await workbook.xlsx.writeBuffer());
    const sheet = await readHouseholdSheet({ buffer, fileName: '名单.xlsx' });
    expect(sheet.rows).toEqual([
      {
        row: 2,
        cells: {
          headName: '王秀英',
          idNumber: ID_A,
          category: '低保',
          memberCount: '2',
          village: '西关村',
        },
        numeric: ['memberCount'],
      },
    ]);
  });

  it.each([
    ['old.xls', Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), 'legacy_excel'],
    ['scan.pdf', Buffer.from('%PDF-1.7\n'), 'wrong_type'],
    ['fake.xlsx', Buffer.from('姓名,身份证号'), 'not_xlsx'],
    ['doc.docx', Buffer.from([0x50, 0x4b, 0x03, 0x04, 0, 0]), 'wrong_type'],
    ['photo', Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0, 0x10]), 'binary'],
    ['broken.xlsx', Buffer.from([0x50, 0x4b, 0x03, 0x04, 1, 2, 3]), 'unreadable_xlsx'],
  ])('refuses %s as unsupported', async (fileName, buffer, reason) => {
    const error = await readHouseholdSheet({ buffer, fileName }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnsupportedFileError);
    expect(error).toMatchObject({ code: 'UNSUPPORTED_FILE', details: { reason } });
  });
});
