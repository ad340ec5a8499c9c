import { UnsupportedFileError } from './household-errors';

/**
 * What an uploaded sheet is, decided once for every import (困难户名单, 评定表): an XLSX
 * workbook or CSV text, anything else refused as 415 UNSUPPORTED_FILE naming what it looks like.
 */
export type SheetFormat = 'csv' | 'xlsx';

export interface SheetFile {
  buffer: Buffer;
  /** As uploaded; its extension decides between CSV and XLSX when it has one. */
  fileName?: string | null;
}

const ZIP_MAGIC = 0x04034b50; // PK\x03\x04: an XLSX is a ZIP archive
const OLE_MAGIC = 0xe011cfd0; // D0 CF 11 E0: Excel 97-2003 .xls, or an encrypted .xlsx

export function sheetFormatOf(file: SheetFile): SheetFormat {
  const { buffer } = file;
  const fileName = file.fileName ?? null;
  const extension = /\.([a-z0-9]{1,5})$/i.exec(fileName ?? '')?.[1]?.toLowerCase() ?? '';
  const magic = buffer.length >= 4 ? buffer.readUInt32LE(0) : 0;
  const unsupported = (message: string, reason: string): UnsupportedFileError =>
    new UnsupportedFileError(message, { fileName, reason });
  if (magic === OLE_MAGIC) {
    throw unsupported(
      '不支持 Excel 97-2003（.xls）或加密的 Excel 文件，请在 Excel 中另存为 .xlsx 或“CSV UTF-8”后上传',
      'legacy_excel',
    );
  }
  if (magic === ZIP_MAGIC) {
    if (extension === '' || extension === 'xlsx' || extension === 'xlsm') return 'xlsx';
    throw unsupported(`不支持 .${extension} 文件，请上传 .xlsx 或 CSV 文件`, 'wrong_type');
  }
  if (extension === 'xlsx' || extension === 'xlsm') {
    throw unsupported('文件扩展名是 .xlsx，但内容不是 Excel 工作簿', 'not_xlsx');
  }
  if (!['', 'csv', 'txt', 'tsv'].includes(extension)) {
    throw unsupported(`不支持 .${extension} 文件，请上传 .xlsx 或 CSV 文件`, 'wrong_type');
  }
  if (!isUtf16(buffer) && buffer.subarray(0, 8192).includes(0)) {
    throw unsupported('文件不是文本表格，请上传 .xlsx 或 CSV 文件', 'binary');
  }
  return 'csv';
}

function isUtf16(buffer: Buffer): boolean {
  return (
    buffer.length >= 2 &&
    ((buffer[0] === 0xff && buffer[1] === 0xfe) || (buffer[0] === 0xfe && buffer[1] === 0xff))
  );
}

/**
 * CSV text: UTF-8 (a BOM stripped) when the bytes are valid UTF-8, otherwise GB18030, a superset
 * of the GBK that Excel on a Chinese Windows writes; UTF-16 with a BOM ("Unicode 文本") too.
 */
export function decodeSheetText(buffer: Buffer): string {
  if (isUtf16(buffer)) {
    return new TextDecoder(buffer[0] === 0xff ? 'utf-16le' : 'utf-16be').decode(buffer);
  }
  for (const encoding of ['utf-8', 'gb18030']) {
    try {
      // TextDecoder drops a leading BOM by itself
      return new TextDecoder(encoding, { fatal: true }).decode(buffer);
    } catch {
      // not this encoding: try the next
    }
  }
  throw new UnsupportedFileError('无法识别文件的文字编码，请在 Excel 中另存为“CSV UTF-8”后上传', {
    reason: 'encoding',
  });
}
