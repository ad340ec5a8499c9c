// Hostile spreadsheets, built with a real zip writer (archiver, which ExcelJS writes with) for the
// upload tests and `npm run bench:uploads`: a bomb of repeated inline-string rows, a workbook of
// many parts, a zip whose central directory understates what an entry inflates to, a shared
// strings table that fills the uncompressed cap.
import archiver from 'archiver';
import ExcelJS from 'exceljs';
import { Readable } from 'node:stream';

const MAIN = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const RELS = 'http://schemas.openxmlformats.org/package/2006/relationships';
const OFFICE_RELS = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
const XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';

/** The parts of a one-sheet workbook but the sheet, as Excel writes them. */
const PACKAGE: Record<string, string> = {
  '[Content_Types].xml':
    `${XML}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>' +
    '<Default Extension="xml" ContentType="application/xml"/>' +
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>' +
    '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>' +
    '</Types>',
  '_rels/.rels':
    `${XML}<Relationships xmlns="${RELS}">` +
    `<Relationship Id="rId1" Type="${OFFICE_RELS}/officeDocument" Target="xl/workbook.xml"/>` +
    '</Relationships>',
  'xl/workbook.xml':
    `${XML}<workbook xmlns="${MAIN}" xmlns:r="${OFFICE_RELS}">` +
    '<sheets><sheet name="名单" sheetId="1" r:id="rId1"/></sheets></workbook>',
  'xl/_rels/workbook.xml.rels':
    `${XML}<Relationships xmlns="${RELS}">` +
    `<Relationship Id="rId1" Type="${OFFICE_RELS}/worksheet" Target="worksheets/sheet1.xml"/>` +
    '</Relationships>',
};

const inline = (ref: string, text: string): string =>
  `<c r="${ref}" t="inlineStr"><is><t>${text}</t></is></c>`;

/** The roster header and one household, repeated: every row the same, so it deflates ~250:1. */
const HEADER_ROW = `<row r="1">${['姓名', '身份证号', '类别', '人口', '村', '卡号', '规则']
  .map((text, i) => inline(`${String.fromCharCode(65 + i)}1`, text))
  .join('')}</row>`;
const BOMB_ROW = `<row r="2">${[
  '王秀英',
  '11010519491231002X',
  '低保',
  '2',
  '西关村',
  'QS01000001',
  '庭院整洁',
]
  .map((text, i) => inline(`${String.fromCharCode(65 + i)}2`, text))
  .join('')}</row>`;

/** A zip of the given entries, deflated at level 9 as archiver streams them. */
export async function zipOf(entries: Record<string, string | Buffer | Readable>): Promise<Buffer> {
  const archive = archiver('zip', { zlib: { level: 9 } });
  const chunks: Buffer[] = [];
  archive.on('data', (chunk: Buffer) => chunks.push(chunk));
  const ended = new Promise<void>((resolve, reject) => {
    archive.on('end', resolve);
    archive.on('error', reject);
  });
  for (const [name, content] of Object.entries(entries)) archive.append(content, { name });
  await archive.finalize();
  await ended;
  return Buffer.concat(chunks);
}

/**
 * An XLSX whose one sheet is the roster header and then the same inline-string row, over and
 * over, until the sheet is `inflatedBytes` long: what the issue uploaded (245 MB inflated from
 * 714 KB). Generated as it is deflated, never held whole.
 */
export function inlineStringBomb(inflatedBytes: number): Promise<Buffer> {
  const block = Buffer.from(BOMB_ROW.repeat(Math.ceil(65_536 / Buffer.byteLength(BOMB_ROW))));
  const head = Buffer.from(`${XML}<worksheet xmlns="${MAIN}"><sheetData>${HEADER_ROW}`);
  const tail = Buffer.from('</sheetData></worksheet>');
  function* sheet(): Generator<Buffer> {
    yield head;
    for (let size = head.length + tail.length; size < inflatedBytes; size += block.length) {
      yield block;
    }
    yield tail;
  }
  return zipOf({ ...PACKAGE, 'xl/worksheets/sheet1.xml': Readable.from(sheet()) });
}

/**
 * An XLSX just under the caps: a shared strings table of distinct short strings filling
 * `inflatedBytes`, and a sheet of the roster header and one row using the first strings.
 */
export function sharedStringFlood(inflatedBytes: number): Promise<Buffer> {
  const head = `${XML}<sst xmlns="${MAIN}">`;
  const tail = '</sst>';
  function* strings(): Generator<string> {
    let size = head.length + tail.length;
    yield head;
    for (let i = 0; ; i += 4096) {
      let part = '';
      for (let j = i; j < i + 4096; j += 1) part += `<si><t>户${j}</t></si>`;
      size += Buffer.byteLength(part);
      if (size > inflatedBytes) break;
      yield part;
    }
    yield tail;
  }
  const shared = (ref: string, index: number): string => `<c r="${ref}" t="s"><v>${index}</v></c>`;
  const sheet =
    `${XML}<worksheet xmlns="${MAIN}"><sheetData>${HEADER_ROW}` +
    `<row r="2">${shared('A2', 0)}${shared('B2', 1)}${shared('C2', 2)}</row></sheetData></worksheet>`;
  return zipOf({
    ...PACKAGE,
    'xl/_rels/workbook.xml.rels':
      `${XML}<Relationships xmlns="${RELS}">` +
      `<Relationship Id="rId1" Type="${OFFICE_RELS}/worksheet" Target="worksheets/sheet1.xml"/>` +
      `<Relationship Id="rId2" Type="${OFFICE_RELS}/sharedStrings" Target="sharedStrings.xml"/>` +
      '</Relationships>',
    'xl/sharedStrings.xml': Readable.from(strings()),
    'xl/worksheets/sheet1.xml': sheet,
  });
}

/** A real workbook (ExcelJS) of `sheets` worksheets: each is one more zip entry. */
export async function manySheets(sheets: number): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  for (let i = 1; i <= sheets; i += 1) {
    workbook.addWorksheet(`第${i}页`).addRow(['姓名', '身份证号', '类别', '人口', '村']);
  }
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/**
 * `zip` with the central directory's uncompressed size of `entryName` set to `declaredBytes`,
 * as a crafted file would lie to a reader that trusts it.
 */
export function understated(zip: Buffer, entryName: string, declaredBytes: number): Buffer {
  const copy = Buffer.from(zip);
  const end = copy.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (end < 0) throw new Error('no end of central directory');
  const entries = copy.readUInt16LE(end + 10);
  let at = copy.readUInt32LE(end + 16);
  for (let i = 0; i < entries; i += 1) {
    if (copy.readUInt32LE(at) !== 0x02014b50) throw new Error(`no central header at ${at}`);
    const nameLength = copy.readUInt16LE(at + 28);
    const name = copy.toString('utf8', at + 46, at + 46 + nameLength);
    if (name === entryName) {
      copy.writeUInt32LE(declaredBytes, at + 24);
      return copy;
    }
    at += 46 + nameLength + copy.readUInt16LE(at + 30) + copy.readUInt16LE(at + 32);
  }
  throw new Error(`no entry ${entryName}`);
}
