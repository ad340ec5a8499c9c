import { parse, type Options } from 'csv-parse/sync';
import { RowLimitExceededError, UnsupportedFileError, type RowProblem } from './household-errors';
import { decodeSheetText, sheetFormatOf, type SheetFile } from './sheet-file';
import { xlsxWorksheets, type TextRow } from './xlsx-rows';

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

/**
 * Reads an uploaded evaluation sheet: XLSX (first worksheet) or CSV in UTF-8 or GB18030 (what
 * Excel saves on a Chinese Windows). The first non-empty row is the header: 卡号 or 身份证号,
 * 规则 (code or name) and optionally 备注. What is not such a file is refused as the household
 * import refuses it (UnsupportedFileError, SheetTooLargeError); a data row past MAX_AWARD_ROWS
 * stops the reading with RowLimitExceededError.
 */
export async function parseAwardSheet(file: SheetFile): Promise<ParsedAwardSheet> {
  if (sheetFormatOf(file) === 'xlsx') {
    for await (const sheet of xlsxWorksheets(file)) {
      // read before leaving the loop: leaving it closes the workbook
      return await readAwards(sheet);
    }
    return fileProblem(1, '评定表是空的');
  }
  let table: TextRow[];
  try {
    table = readCsv(file.buffer);
  } catch (error) {
    if (error instanceof UnsupportedFileError) throw error;
    const line = (error as { lines?: unknown }).lines;
    return fileProblem(
      typeof line === 'number' ? line : 1,
      '无法读取该 CSV 文件，请用 Excel 另存为“CSV UTF-8”或直接上传 .xlsx',
    );
  }
  return readAwards(table);
}

/** Where each field sits in the sheet, by the header's names; -1 for a column it lacks. */
type AwardColumnIndex = Record<keyof typeof HEADERS, number>;

async function readAwards(
  sheet: AsyncIterable<TextRow> | Iterable<TextRow>,
): Promise<ParsedAwardSheet> {
  let header: TextRow | null = null;
  let columns: AwardColumnIndex | null = null;
  const rows: AwardRowInput[] = [];
  for await (const line of sheet) {
    if (!line.cells.some((cell) => cell !== '')) continue;
    if (!header || !columns) {
      header = line;
      columns = columnsOf(line);
      continue;
    }
    rows.push(awardRow(line, columns));
    if (rows.length > MAX_AWARD_ROWS) throw tooManyRows();
  }
  if (!header || !columns) return fileProblem(1, '评定表是空的');
  const problems: RowProblem[] = [];
  if (columns.cardNo < 0 && columns.idNumber < 0) {
    problems.push({
      row: header.row,
      column: SHEET_AWARD_COLUMNS.cardNo,
      message: '缺少“卡号”或“身份证号”列',
    });
  }
  if (columns.rule < 0) {
    problems.push({
      row: header.row,
      column: SHEET_AWARD_COLUMNS.rule,
      message: '缺少“规则”列（填写规则编码或规则名称）',
    });
  }
  if (rows.length === 0) {
    problems.push({
      row: header.row + 1,
      column: SHEET_AWARD_COLUMNS.cardNo,
      message: '评定表没有数据行',
    });
  }
  return problems.length > 0 ? { rows: [], problems } : { rows, problems: [] };
}

function columnsOf(header: TextRow): AwardColumnIndex {
  const names = header.cells.map((cell) => cell.replace(/[\s*＊]/g, ''));
  const columnOf = (field: keyof typeof HEADERS): number =>
    names.findIndex((name) => HEADERS[field].includes(name));
  return {
    cardNo: columnOf('cardNo'),
    idNumber: columnOf('idNumber'),
    rule: columnOf('rule'),
    note: columnOf('note'),
  };
}

/** A data row as its four fields only: nothing else the sheet holds is kept. */
function awardRow(line: TextRow, columns: AwardColumnIndex): AwardRowInput {
  const cell = (index: number): string | null => (index < 0 ? null : line.cells[index] || null);
  return {
    row: line.row,
    cardNo: cell(columns.cardNo),
    idNumber: cell(columns.idNumber),
    rule: cell(columns.rule),
    note: cell(columns.note),
  };
}

function fileProblem(row: number, message: string): ParsedAwardSheet {
  return { rows: [], problems: [{ row, column: '文件', message }] };
}

function tooManyRows(): RowLimitExceededError {
  return new RowLimitExceededError(
    `评定表超过 ${MAX_AWARD_ROWS} 行的上限，未记入任何积分；请分批提交`,
    MAX_AWARD_ROWS,
  );
}

function readCsv(content: Buffer): TextRow[] {
  const options: Options = { bom: true, relax_column_count: true, trim: true };
  const records: string[][] = parse(decodeSheetText(content), options);
  return records.map((cells, index) => ({ row: index + 1, cells, numeric: [] }));
}
