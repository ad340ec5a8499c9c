import { printedSheet } from '@charity/documents';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { ImportRejectedError, InvalidSheetError, RowLimitExceededError } from './household-errors';
import type { RowProblem } from './household-errors';
import { CATEGORY_LABELS, HOUSEHOLD_CATEGORIES } from './household.entity';
import { withCheckCharacter } from './id-number';
import { decodeSheetText, sheetFormatOf, type SheetFile, type SheetFormat } from './sheet-file';
import { xlsxWorksheets, type TextRow } from './xlsx-rows';

/**
 * 困难户花名册 as county staff keep it: one household a row under a header of Chinese column
 * names, saved from Excel as .xlsx or CSV. This file reads such a sheet into cells keyed by
 * column; what the cells mean is the import service's business.
 */
export const HOUSEHOLD_SHEET_COLUMNS = [
  'headName',
  'idNumber',
  'category',
  'memberCount',
  'village',
  'phone',
  'address',
  'store',
] as const;
export type HouseholdSheetColumn = (typeof HOUSEHOLD_SHEET_COLUMNS)[number];

/** The header the template writes, and the name a problem uses when the file lacks the column. */
export const HOUSEHOLD_SHEET_LABELS: Record<HouseholdSheetColumn, string> = {
  headName: '姓名',
  idNumber: '身份证号',
  category: '类别',
  memberCount: '人口',
  village: '村',
  phone: '电话',
  address: '地址',
  store: '门店',
};

export const REQUIRED_SHEET_COLUMNS: readonly HouseholdSheetColumn[] = [
  'headName',
  'idNumber',
  'category',
  'memberCount',
  'village',
];

/** Header spellings seen in county and township rosters, compared after `headerKey`. */
const HEADER_ALIASES: Record<HouseholdSheetColumn, readonly string[]> = {
  headName: ['姓名', '户主姓名', '户主', '户主名', '户主名字', '名字', 'headname'],
  idNumber: [
    '身份证号',
    '身份证号码',
    '身份证',
    '户主身份证号',
    '户主身份证号码',
    '户主身份证',
    '公民身份号码',
    '身份证件号码',
    '证件号码',
    'idnumber',
  ],
  category: [
    '类别',
    '户类别',
    '类型',
    '户类型',
    '困难类别',
    '困难类型',
    '救助类别',
    '保障类别',
    '人员类别',
    'category',
  ],
  memberCount: [
    '人口',
    '家庭人口',
    '人口数',
    '家庭人口数',
    '户人口',
    '户人口数',
    '家庭成员数',
    '家庭人数',
    '人数',
    '成员数',
    'membercount',
  ],
  village: [
    '村',
    '所属村',
    '所在村',
    '村名',
    '村社区',
    '所属村社区',
    '村居',
    '社区',
    '镇/村',
    '乡镇/村',
    '乡/村',
    'village',
  ],
  phone: ['电话', '联系电话', '手机', '手机号', '手机号码', '电话号码', '联系方式', 'phone'],
  address: ['地址', '住址', '家庭住址', '家庭地址', '详细地址', '居住地址', '现住址', 'address'],
  store: [
    '门店',
    '门店编码',
    '门店代码',
    '门店编号',
    '所属门店',
    '爱心超市',
    '所属超市',
    '超市',
    'store',
    'storecode',
  ],
};

const COLUMN_BY_HEADER = new Map<string, HouseholdSheetColumn>(
  HOUSEHOLD_SHEET_COLUMNS.flatMap((column) =>
    HEADER_ALIASES[column].map((alias) => [alias, column] as const),
  ),
);

/** Whole upload cap; the api's multipart limit uses it too. */
export const MAX_SHEET_BYTES = 10 * 1024 * 1024;
/** Data rows in one import: a county's whole roster fits; beyond it is a wrong file. */
export const MAX_SHEET_ROWS = 20_000;
/** A title or a note may sit above the header (`某某镇困难户花名册`). */
const HEADER_SEARCH_ROWS = 10;
/** Blank lines tolerated on top of the row limit before a CSV counts as too long. */
const BLANK_LINE_SLACK = 1000;

/** The template's example row starts its name with this; such rows are never imported. */
export const EXAMPLE_ROW_MARKER = '示例';

export interface HouseholdSheetRow {
  /** The row number the spreadsheet shows (the header is usually row 1). */
  row: number;
  /** Trimmed text of the recognised columns; an empty cell is absent. */
  cells: Partial<Record<HouseholdSheetColumn, string>>;
  /** Columns whose XLSX cell held a number, not text (Excel rounds long ID numbers). */
  numeric: HouseholdSheetColumn[];
}

export interface HouseholdSheet {
  format: SheetFormat;
  headerRow: number;
  /** The recognised columns, each with its header as written in the file (for problems). */
  headers: Partial<Record<HouseholdSheetColumn, string>>;
  /** Non-blank data rows, example rows left out. */
  rows: HouseholdSheetRow[];
  /** Rows left out because they are the template's example. */
  exampleRows: number[];
}

/**
 * Reads an uploaded roster, row by row: the first sheet with a header among its first rows (a
 * workbook may open with a cover or notes sheet), each row reduced to the recognised columns as
 * it is read. Throws UnsupportedFileError for what is not CSV or XLSX (or a CSV in an unknown
 * encoding), SheetTooLargeError for a workbook past the zip's limits, InvalidSheetError for an
 * empty sheet or one without a header or data rows, RowLimitExceededError at the first data row
 * past `maxRows`, and ImportRejectedError when a required column is missing.
 */
export async function readHouseholdSheet(
  file: SheetFile,
  maxRows = MAX_SHEET_ROWS,
): Promise<HouseholdSheet> {
  if (file.buffer.length === 0) throw emptySheet();
  const format = sheetFormatOf(file);
  const sheets = format === 'xlsx' ? xlsxWorksheets(file) : [readCsv(file.buffer, maxRows)];
  let blank = true;
  for await (const sheet of sheets) {
    const found = await readRoster(sheet, maxRows);
    if (found === 'blank') continue;
    blank = false;
    if (found === 'no_header') continue;
    if (found.problems.length > 0) throw new ImportRejectedError(found.problems, found.rows.length);
    if (found.rows.length === 0) {
      throw new InvalidSheetError(
        found.exampleRows.length > 0
          ? '文件中只有示例行，没有可导入的数据行（以“示例”开头的行不导入）'
          : '文件中只有表头，没有数据行',
        { reason: 'no_rows', headerRow: found.headerRow },
      );
    }
    const { headerRow, headers, rows, exampleRows } = found;
    return { format, headerRow, headers, rows, exampleRows };
  }
  if (blank) throw emptySheet();
  throw new InvalidSheetError(
    `未找到表头：第一行应为列名，如 ${REQUIRED_SHEET_COLUMNS.map((c) => HOUSEHOLD_SHEET_LABELS[c]).join('、')}`,
    {
      reason: 'no_header',
      expected: REQUIRED_SHEET_COLUMNS.map((c) => HOUSEHOLD_SHEET_LABELS[c]),
    },
  );
}

/** The column a header names, or null for a column the import does not use (序号, 备注 …). */
export function columnForHeader(text: string): HouseholdSheetColumn | null {
  return COLUMN_BY_HEADER.get(headerKey(text)) ?? null;
}

/** Full-width forms folded, spaces, required-markers and bracketed notes (`（必填）`) dropped. */
function headerKey(text: string): string {
  return text
    .normalize('NFKC')
    .replace(/\([^)]*\)|\[[^\]]*\]|【[^】]*】/g, '')
    .replace(/[\s*:]/g, '')
    .toLowerCase();
}

function emptySheet(): InvalidSheetError {
  return new InvalidSheetError('上传的文件是空的', { reason: 'empty' });
}

function tooManyRows(maxRows: number): RowLimitExceededError {
  return new RowLimitExceededError(
    `名单超过 ${maxRows} 户的上限，一户都没有导入；请把文件拆成几份分批导入`,
    maxRows,
  );
}

/**
 * One sheet's roster: 'blank' without any text, 'no_header' when none of its first
 * HEADER_SEARCH_ROWS non-blank rows is a header, otherwise the rows under the header.
 */
async function readRoster(
  sheet: AsyncIterable<TextRow> | Iterable<TextRow>,
  maxRows: number,
): Promise<RosterRows | 'blank' | 'no_header'> {
  let roster: RosterRows | null = null;
  let seen = 0;
  for await (const line of sheet) {
    if (!line.cells.some((cell) => cell !== '')) continue;
    if (roster) {
      roster.add(line);
      continue;
    }
    if (line.cells.filter((cell) => columnForHeader(cell) !== null).length >= 2) {
      roster = new RosterRows(line, maxRows);
      continue;
    }
    seen += 1;
    if (seen === HEADER_SEARCH_ROWS) return 'no_header';
  }
  return roster ?? (seen === 0 ? 'blank' : 'no_header');
}

/**
 * The rows under a header, each kept as its recognised columns only, so what a sheet holds in
 * other columns is never retained; one data row past `maxRows` stops the reading.
 */
class RosterRows {
  readonly headerRow: number;
  /** The recognised columns, each with its header as written in the file (for problems). */
  readonly headers: Partial<Record<HouseholdSheetColumn, string>> = {};
  /** A duplicated or missing column; reported with the number of rows read. */
  readonly problems: RowProblem[] = [];
  readonly rows: HouseholdSheetRow[] = [];
  readonly exampleRows: number[] = [];
  private readonly indexOf = new Map<HouseholdSheetColumn, number>();

  constructor(
    header: TextRow,
    private readonly maxRows: number,
  ) {
    this.headerRow = header.row;
    header.cells.forEach((text, index) => {
      const column = columnForHeader(text);
      if (column === null) return;
      const first = this.headers[column];
      if (first !== undefined) {
        this.problems.push({
          row: header.row,
          column: text,
          message: `“${text}”与“${first}”是同一列（${HOUSEHOLD_SHEET_LABELS[column]}），请只保留一列`,
        });
        return;
      }
      this.indexOf.set(column, index);
      this.headers[column] = text;
    });
    for (const column of REQUIRED_SHEET_COLUMNS) {
      if (!this.indexOf.has(column)) {
        this.problems.push({
          row: header.row,
          column: HOUSEHOLD_SHEET_LABELS[column],
          message: `缺少必填列“${HOUSEHOLD_SHEET_LABELS[column]}”`,
        });
      }
    }
  }

  add(line: TextRow): void {
    const cells: Partial<Record<HouseholdSheetColumn, string>> = {};
    const numeric: HouseholdSheetColumn[] = [];
    for (const [column, index] of this.indexOf) {
      const text = line.cells[index] ?? '';
      if (text === '') continue;
      cells[column] = text;
      if (line.numeric[index]) numeric.push(column);
    }
    if (Object.keys(cells).length === 0) return; // only unknown columns filled in
    if (cells.headName?.replace(/^[（(【[]/, '').startsWith(EXAMPLE_ROW_MARKER)) {
      this.exampleRows.push(line.row);
      return;
    }
    this.rows.push({ row: line.row, cells, numeric });
    if (this.rows.length > this.maxRows) throw tooManyRows(this.maxRows);
  }
}

function readCsv(buffer: Buffer, maxRows: number): TextRow[] {
  const text = decodeSheetText(buffer).replace(/^\uFEFF/, '');
  const firstLine = text.slice(0, text.search(/\r?\n|$/));
  // Excel's "文本文件（制表符分隔）" and "Unicode 文本" separate by tabs
  const delimiter = firstLine.includes('\t') && !firstLine.includes(',') ? '\t' : ',';
  const limit = maxRows + HEADER_SEARCH_ROWS + BLANK_LINE_SLACK;
  let records: string[][];
  try {
    records = parse(text, {
      delimiter,
      relax_column_count: true,
      relax_quotes: true,
      skip_empty_lines: false,
      to: limit + 1,
    });
  } catch (error) {
    const line = (error as { lines?: unknown }).lines;
    throw new InvalidSheetError(
      `CSV 文件格式有误${typeof line === 'number' ? `（第 ${line} 行附近）` : ''}，请用 Excel 另存为“CSV UTF-8”或直接上传 .xlsx`,
      { reason: 'malformed', ...(typeof line === 'number' ? { line } : {}) },
    );
  }
  if (records.length > limit) throw tooManyRows(maxRows);
  return records.map((cells, index) => ({
    row: index + 1,
    cells: cells.map((cell) => cell.trim()),
    numeric: [],
  }));
}

/** The template's example: GB 11643's own sample number, a village as `镇/村`. */
const EXAMPLE_ROW: Record<HouseholdSheetColumn, string> = {
  headName: `${EXAMPLE_ROW_MARKER}：王秀英`,
  idNumber: withCheckCharacter('11010519491231002'),
  category: CATEGORY_LABELS.dibao,
  memberCount: '2',
  village: '城关镇/西关村',
  phone: '13812345678',
  address: '西关村三组12号',
  store: '',
};

const COLUMN_NOTES: Record<HouseholdSheetColumn, [required: boolean, note: string]> = {
  headName: [true, '户主姓名。以“示例”开头的行是示例，不会导入。'],
  idNumber: [
    true,
    '户主18位居民身份证号，末位可以是X。一人只能登记一次。请保持文本格式，勿改为数字。',
  ],
  category: [
    true,
    `${HOUSEHOLD_CATEGORIES.map((c) => CATEGORY_LABELS[c]).join('、')}之一；一般户、其他也记为${CATEGORY_LABELS.other}。`,
  ],
  memberCount: [true, '家庭人口数，1 到 30 的整数。'],
  village: [
    true,
    '所在村（社区）名称。有同名村时写作“镇/村”，如“城关镇/西关村”；乡镇下未设村的，填乡镇名。',
  ],
  phone: [false, '11位手机号，或带区号的固定电话（如 0391-1234567）。'],
  address: [false, '家庭住址，最多200字。'],
  store: [
    false,
    '所属爱心超市的门店编码或名称。不填时用导入时选择的门店；都没有时，用所在乡镇唯一的爱心超市。',
  ],
};

const TEMPLATE_WIDTHS: Partial<Record<HouseholdSheetColumn, number>> = {
  idNumber: 22,
  phone: 15,
  address: 30,
  village: 18,
  store: 14,
};

/** A blank roster to fill in: header and one example row; XLSX adds a 说明 sheet. */
export async function householdSheetTemplate(format: SheetFormat): Promise<Buffer> {
  const header = HOUSEHOLD_SHEET_COLUMNS.map((column) => HOUSEHOLD_SHEET_LABELS[column]);
  const example = HOUSEHOLD_SHEET_COLUMNS.map((column) => EXAMPLE_ROW[column]);
  if (format === 'csv') {
    const line = (cells: string[]): string => cells.map(csvCell).join(',');
    // the BOM makes Excel read the file as UTF-8 instead of the system's GBK
    return Buffer.from(`\uFEFF${line(header)}\r\n${line(example)}\r\n`, 'utf8');
  }
  const workbook = new ExcelJS.Workbook();
  const roster = workbook.addWorksheet(
    '困难户名单',
    printedSheet({ frozenRows: 1, repeatedRows: 1, scale: 'fitToWidth' }),
  );
  roster.columns = HOUSEHOLD_SHEET_COLUMNS.map((column) => ({
    header: HOUSEHOLD_SHEET_LABELS[column],
    key: column,
    width: TEMPLATE_WIDTHS[column] ?? 10,
    // text, so Excel keeps all 18 digits of an ID number and a phone's leading 0
    style: column === 'idNumber' || column === 'phone' ? { numFmt: '@' } : {},
  }));
  roster.getRow(1).font = { bold: true };
  roster.addRow(example);
  const categoryColumn = HOUSEHOLD_SHEET_COLUMNS.indexOf('category') + 1;
  for (let row = 2; row <= 1001; row += 1) {
    roster.getCell(row, categoryColumn).dataValidation = {
      type: 'list',
      allowBlank: true,
      formulae: [`"${HOUSEHOLD_CATEGORIES.map((c) => CATEGORY_LABELS[c]).join(',')}"`],
    };
  }

  const notes = workbook.addWorksheet(
    '说明',
    printedSheet({ frozenRows: 1, repeatedRows: 1, scale: 'fitToWidth' }),
  );
  // long notes wrap within the page instead of running on past it
  const wrapped: Partial<ExcelJS.Style> = { alignment: { wrapText: true, vertical: 'top' } };
  notes.columns = [{ width: 12 }, { width: 8 }, { width: 90, style: wrapped }];
  notes.addRow(['困难户导入说明']).font = { bold: true, size: 14 };
  notes.addRow([]);
  notes.addRow(['列名', '是否必填', '填写要求']).font = { bold: true };
  for (const column of HOUSEHOLD_SHEET_COLUMNS) {
    const [required, note] = COLUMN_NOTES[column];
    notes.addRow([HOUSEHOLD_SHEET_LABELS[column], required ? '必填' : '选填', note]);
  }
  notes.addRow([]);
  notes.addRow(['类别', '代码', '含义']).font = { bold: true };
  const meanings: Record<string, string> = {
    wubao: '农村五保供养对象',
    dibao: '城乡最低生活保障对象',
    tekun: '特困供养人员',
    other: '其他建档立卡困难户（一般户）',
  };
  for (const category of HOUSEHOLD_CATEGORIES) {
    notes.addRow([CATEGORY_LABELS[category], category, meanings[category]]);
  }
  notes.addRow([]);
  for (const text of [
    '表头须在第一行；列的顺序不限，可以多出其他列（如 序号、备注），导入时忽略。',
    '列名也可写作 户主姓名、身份证号码、家庭人口、联系电话、所属村 等常见写法。',
    `一次最多导入 ${MAX_SHEET_ROWS} 户，文件不超过 10 MB。`,
    '导入前逐行检查：只要有一处问题，整个文件都不导入，并列出每处问题的行号和列名；改正后重新上传即可。',
    '已登记过的身份证号不能再次导入。',
  ]) {
    notes.addRow(['', '', text]);
  }
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

function csvCell(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}
