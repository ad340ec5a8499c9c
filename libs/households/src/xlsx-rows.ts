import { DomainError } from '@charity/common';
import ExcelJS from 'exceljs';
import { posix } from 'node:path';
import { Readable } from 'node:stream';
import { UnsupportedFileError } from './household-errors';
import type { SheetFile } from './sheet-file';
import { WorkbookZip } from './workbook-zip';

/** One non-blank worksheet row as text, cells by column (index 0 is column A; gaps are holes). */
export interface TextRow {
  /** The row number the spreadsheet shows. */
  row: number;
  cells: string[];
  /** Columns whose cell held a number, not text (Excel rounds long ID numbers). */
  numeric: boolean[];
}

type StreamedWorksheet = ExcelJS.stream.xlsx.WorksheetReader;

/** What ExcelJS 4.4's streaming WorkbookReader keeps and does per part, driven by `parse` below. */
interface WorkbookReaderParts {
  sharedStrings?: unknown[];
  workbookRels?: { Id: string; Target: string }[];
  model?: { sheets?: { rId: string }[] };
  _parseRels(entry: Readable): Promise<void>;
  _parseWorkbook(entry: Readable): Promise<void>;
  _parseSharedStrings(entry: Readable): AsyncGenerator<{ index: number; text: unknown }>;
  _parseWorksheet(
    entry: Readable,
    sheetNo: string,
  ): Generator<{ eventType: 'worksheet'; value: StreamedWorksheet }>;
}

/**
 * ExcelJS's streaming reader, fed from a checked WorkbookZip instead of unzipper. Its own
 * `parse` inflates whatever each local header leads to, however large, and parks worksheets
 * that come before the shared strings in temporary files; this one takes every part from the
 * central directory through the zip's inflate limit, in the order it needs them: relationships,
 * workbook, shared strings (kept as plain text), then the worksheets in tab order.
 */
class GuardedWorkbookReader extends ExcelJS.stream.xlsx.WorkbookReader {
  constructor(private readonly zip: WorkbookZip) {
    // the input stream is never read: parse() takes each part from `zip`
    super(Readable.from([]), {
      worksheets: 'emit',
      sharedStrings: 'emit',
      hyperlinks: 'ignore',
      styles: 'ignore',
      entries: 'ignore',
    });
  }

  override async *parse(): AsyncGenerator<{ eventType: 'worksheet'; value: StreamedWorksheet }> {
    const parts = this as unknown as WorkbookReaderParts;
    await parts._parseRels(await this.part('xl/_rels/workbook.xml.rels'));
    await parts._parseWorkbook(await this.part('xl/workbook.xml'));
    const strings: string[] = [];
    const sharedStrings = await this.zip.read('xl/sharedStrings.xml');
    if (sharedStrings) {
      for await (const { index, text } of parts._parseSharedStrings(sharedStrings)) {
        strings[index] = plainText(text);
      }
    }
    parts.sharedStrings = strings;
    for (const sheet of parts.model?.sheets ?? []) {
      const target = parts.workbookRels?.find((rel) => rel.Id === sheet.rId)?.Target;
      if (target === undefined) continue;
      const path = target.startsWith('/') ? target.slice(1) : posix.join('xl', target);
      const entry = await this.zip.read(posix.normalize(path));
      if (!entry) continue;
      // the number names the sheet as ExcelJS does (sheet3.xml → 3); we read rows only
      yield* parts._parseWorksheet(entry, /(\d+)\.xml$/.exec(path)?.[1] ?? '0');
    }
  }

  private async part(path: string): Promise<Readable> {
    const entry = await this.zip.read(path);
    if (!entry) throw new Error(`not a workbook: no ${path}`);
    return entry;
  }
}

/**
 * The worksheets of an uploaded XLSX in tab order, each a stream of its non-blank rows as text,
 * read as they inflate so a reader can stop at its row limit. The zip's limits give 413
 * PAYLOAD_TOO_LARGE; a file that is not a readable workbook 415 UNSUPPORTED_FILE.
 */
export async function* xlsxWorksheets(file: SheetFile): AsyncGenerator<AsyncGenerator<TextRow>> {
  let zip: WorkbookZip;
  try {
    zip = await WorkbookZip.open(file.buffer);
  } catch (error) {
    throw unreadable(file, error);
  }
  try {
    const sheets: AsyncIterable<StreamedWorksheet> = new GuardedWorkbookReader(zip);
    try {
      for await (const sheet of sheets) yield rowsOf(file, sheet);
    } catch (error) {
      throw unreadable(file, error);
    }
  } finally {
    zip.close();
  }
}

async function* rowsOf(file: SheetFile, sheet: StreamedWorksheet): AsyncGenerator<TextRow> {
  try {
    for await (const row of sheet) {
      const cells: string[] = [];
      const numeric: boolean[] = [];
      let blank = true;
      row.eachCell({ includeEmpty: false }, (cell, column) => {
        const value = cellText(cell.value);
        if (value.text === '') return;
        cells[column - 1] = value.text;
        numeric[column - 1] = value.numeric;
        blank = false;
      });
      if (!blank) yield { row: row.number, cells, numeric };
    }
  } catch (error) {
    throw unreadable(file, error);
  }
}

function unreadable(file: SheetFile, error: unknown): unknown {
  if (error instanceof DomainError) return error;
  return new UnsupportedFileError('无法读取该 Excel 文件，请确认是 .xlsx 格式且未加密', {
    fileName: file.fileName ?? null,
    reason: 'unreadable_xlsx',
  });
}

/** A shared string as text: rich text's runs joined, formatting dropped. */
function plainText(text: unknown): string {
  if (typeof text === 'string') return text;
  if (text !== null && typeof text === 'object' && 'richText' in text) {
    const runs = (text as { richText: { text?: string | null }[] }).richText;
    return runs.map((run) => run.text ?? '').join('');
  }
  return '';
}

function cellText(value: ExcelJS.CellValue): { text: string; numeric: boolean } {
  if (value === null || value === undefined) return { text: '', numeric: false };
  if (typeof value === 'number') return { text: String(value), numeric: true };
  if (typeof value === 'string') return { text: value.trim(), numeric: false };
  if (typeof value === 'boolean') return { text: value ? 'TRUE' : 'FALSE', numeric: false };
  if (value instanceof Date) return { text: value.toISOString().slice(0, 10), numeric: false };
  if ('richText' in value) {
    return { text: plainText(value).trim(), numeric: false };
  }
  if ('formula' in value || 'sharedFormula' in value) {
    const result = (value as { result?: unknown }).result;
    return result === undefined || (typeof result === 'object' && !(result instanceof Date))
      ? { text: '', numeric: false }
      : cellText(result as ExcelJS.CellValue);
  }
  if ('text' in value) return { text: String(value.text).trim(), numeric: false };
  return { text: '', numeric: false }; // #N/A and other error values
}
