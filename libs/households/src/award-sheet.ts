import { parse, type Options } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import type { RowProblem } from './household-errors';

/** One row of a submitted 积分评定 as typed in a request or read from a sheet. */
export interface AwardRowInput {
  /** The row number the user sees: 1-based in a JSON list, the sheet's own row in an upload. */
  row: number;
  cardNo?: string | null;
  householdId?: number | null;
  idNumber?: string | null;
  /** A rule code, or a rule name. */
  rule?: string | null;
  note?: string | null;
}

/** The column names problems are reported under, so a person finds the cell to fix. */
export interface AwardColumns {
  cardNo: string;
  householdId: string;
  idNumber: string;
  rule: string;
  note: string;
}

export const JSON_AWARD_COLUMNS: AwardColumns = {
  cardNo: 'cardNo',
  householdId: 'householdId',
  idNumber: 'idNumber',
  rule: 'ruleCode',
  note: 'note',
};

export const SHEET_AWARD_COLUMNS: AwardColumns = {
  cardNo: '卡号',
  householdId: '卡号',
  idNumber: '身份证号',
  rule: '规则',
  note: '备注',
};

/** A village's month fits easily; more is a wrong file. */
export const MAX_AWARD_ROWS = 2000;

/** Header spellings village cadres use for each column. */
const HEADERS: Record<'cardNo' | 'idNumber' | 'rule' | 'note', readonly string[]> = {
  cardNo: ['卡号', '爱心卡号', '积分卡号'],
  idNumber: ['身份证号', '身份证号码', '户主身份证号'],
  rule: ['规则', '评定规则', '规则编码', '规则名称'],
  note: ['备注', '说明'],
};

export interface ParsedAwardSheet {
  rows: AwardRowInput[];
  /** Problems with the file itself (unreadable, a column missing, no rows); rows not checked. */
  problems: RowProblem[];
}

interface SheetRow {
  /** 1-based, as the spreadsheet shows it. */
  rowNo: number;
  cells: string[];
}

/**
 * Reads an uploaded evaluation sheet: XLSX (first worksheet) or CSV in UTF-8 or GB18030 (what
 * Excel saves on a Chinese Windows). The first non-empty row is the header: 卡号 or 身份证号,
 * 规则 (code or name) and optionally 备注.
 */
export async function parseAwardSheet(content: Buffer): Promise<ParsedAwardSheet> {
  let table: SheetRow[];
  try {
    table = isZip(content) ? await readXlsx(content) : readCsv(content);
  } catch (error) {
    const line = (error as { lines?: unknown }).lines;
    return fileProblem(
      typeof line === 'number' ? line : 1,
      isZip(content)
        ? '无法读取该 Excel 文件，请确认是 .xlsx 格式'
        : '无法读取该 CSV 文件，请用 Excel 另存为“CSV UTF-8”或直接上传 .xlsx',
    );
  }
  const rows = table.filter((row) => row.cells.some((cell) => cell !== ''));
  const [header, ...data] = rows;
  if (!header) return fileProblem(1, '评定表是空的');
  const names = header.cells.map((cell) => cell.replace(/[\s*＊]/g, ''));
  const columnOf = (field: keyof typeof HEADERS): number =>
    names.findIndex((name) => HEADERS[field].includes(name));
  const card = columnOf('cardNo');
  const idNumber = columnOf('idNumber');
  const rule = columnOf('rule');
  const note = columnOf('note');
  const problems: RowProblem[] = [];
  if (card < 0 && idNumber < 0) {
    problems.push({
      row: header.rowNo,
      column: SHEET_AWARD_COLUMNS.cardNo,
      message: '缺少“卡号”或“身份证号”列',
    });
  }
  if (rule < 0) {
    problems.push({
      row: header.rowNo,
      column: SHEET_AWARD_COLUMNS.rule,
      message: '缺少“规则”列（填写规则编码或规则名称）',
    });
  }
  if (data.length === 0) {
    problems.push({
      row: header.rowNo + 1,
      column: SHEET_AWARD_COLUMNS.cardNo,
      message: '评定表没有数据行',
    });
  }
  if (data.length > MAX_AWARD_ROWS) {
    problems.push({
      row: data[MAX_AWARD_ROWS]?.rowNo ?? header.rowNo,
      column: SHEET_AWARD_COLUMNS.cardNo,
      message: `评定表最多 ${MAX_AWARD_ROWS} 行，请分批提交`,
    });
  }
  if (problems.length > 0) return { rows: [], problems };
  const cell = (row: SheetRow, index: number): string | null =>
    index < 0 ? null : row.cells[index] || null;
  return {
    rows: data.map((row) => ({
      row: row.rowNo,
      cardNo: cell(row, card),
      idNumber: cell(row, idNumber),
      rule: cell(row, rule),
      note: cell(row, note),
    })),
    problems: [],
  };
}

function fileProblem(row: number, message: string): ParsedAwardSheet {
  return { rows: [], problems: [{ row, column: '文件', message }] };
}

/** XLSX is a ZIP archive: `PK\x03\x04`. */
function isZip(content: Buffer): boolean {
  return content.length >= 4 && content.readUInt32LE(0) === 0x04034b50;
}

async function readXlsx(content: Buffer): Promise<SheetRow[]> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(content as unknown as ArrayBuffer);
  const sheet = workbook.worksheets[0];
  if (!sheet) return [];
  const rows: SheetRow[] = [];
  sheet.eachRow({ includeEmpty: false }, (row, rowNo) => {
    const cells: string[] = [];
    for (let column = 1; column <= row.cellCount; column += 1) {
      cells.push(row.getCell(column).text.trim());
    }
    rows.push({ rowNo, cells });
  });
  return rows;
}

function readCsv(content: Buffer): SheetRow[] {
  const options: Options = { bom: true, relax_column_count: true, trim: true };
  const records: string[][] = parse(decodeText(content), options);
  return records.map((cells, index) => ({ rowNo: index + 1, cells }));
}

/** UTF-8 when it decodes cleanly, otherwise GB18030 (a superset of GBK). */
function decodeText(content: Buffer): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(content);
  } catch {
    return new TextDecoder('gb18030').decode(content);
  }
}
