import { inflateSync } from 'node:zlib';

const WOFF_SIGNATURE = 0x774f4646; // 'wOFF'
const WOFF_HEADER_SIZE = 44;
const WOFF_ENTRY_SIZE = 20;
const SFNT_HEADER_SIZE = 12;
const SFNT_ENTRY_SIZE = 16;
// OpenType spec: head.checkSumAdjustment = 0xB1B0AFBA - checksum of the whole font.
const CHECKSUM_MAGIC = 0xb1b0afba;
const HEAD_TAG = 0x68656164; // 'head'
const HEAD_ADJUSTMENT_OFFSET = 8;

interface WoffTable {
  tag: number;
  offset: number;
  compLength: number;
  origLength: number;
  origChecksum: number;
}

/**
 * Decodes a WOFF 1.0 font back into the TrueType/OpenType file it wraps. pdfkit (fontkit) can read
 * WOFF directly but re-inflates the whole glyph table on every glyph lookup, which made one receipt
 * take seconds; handing it the decoded sfnt once keeps rendering in milliseconds.
 */
export function woffToSfnt(woff: Buffer): Buffer {
  if (woff.length < WOFF_HEADER_SIZE || woff.readUInt32BE(0) !== WOFF_SIGNATURE) {
    throw new Error('Not a WOFF 1.0 font (WOFF2 is not supported)');
  }
  const flavor = woff.readUInt32BE(4);
  const numTables = woff.readUInt16BE(12);
  if (numTables === 0 || WOFF_HEADER_SIZE + numTables * WOFF_ENTRY_SIZE > woff.length) {
    throw new Error('WOFF table directory is empty or runs past the end of the file');
  }

  const tables: WoffTable[] = [];
  for (let i = 0; i < numTables; i++) {
    const at = WOFF_HEADER_SIZE + i * WOFF_ENTRY_SIZE;
    const table: WoffTable = {
      tag: woff.readUInt32BE(at),
      offset: woff.readUInt32BE(at + 4),
      compLength: woff.readUInt32BE(at + 8),
      origLength: woff.readUInt32BE(at + 12),
      origChecksum: woff.readUInt32BE(at + 16),
    };
    if (table.offset + table.compLength > woff.length || table.compLength > table.origLength) {
      throw new Error(`WOFF table ${tagName(table.tag)} has an invalid offset or length`);
    }
    tables.push(table);
  }

  // Table data starts after the directory; each table starts on a 4-byte boundary.
  let size = SFNT_HEADER_SIZE + numTables * SFNT_ENTRY_SIZE;
  const offsets = tables.map((table) => {
    const offset = size;
    size += pad4(table.origLength);
    return offset;
  });

  const sfnt = Buffer.alloc(size); // zero-filled, so table padding is already in place
  const entrySelector = Math.floor(Math.log2(numTables));
  const searchRange = 2 ** entrySelector * 16;
  sfnt.writeUInt32BE(flavor, 0);
  sfnt.writeUInt16BE(numTables, 4);
  sfnt.writeUInt16BE(searchRange, 6);
  sfnt.writeUInt16BE(entrySelector, 8);
  sfnt.writeUInt16BE(numTables * 16 - searchRange, 10);

  let headOffset = -1;
  tables.forEach((table, i) => {
    const at = SFNT_HEADER_SIZE + i * SFNT_ENTRY_SIZE;
    sfnt.writeUInt32BE(table.tag, at);
    sfnt.writeUInt32BE(table.origChecksum, at + 4);
    sfnt.writeUInt32BE(offsets[i], at + 8);
    sfnt.writeUInt32BE(table.origLength, at + 12);

    const stored = woff.subarray(table.offset, table.offset + table.compLength);
    // WOFF stores a table uncompressed when zlib would not make it smaller.
    const data = table.compLength < table.origLength ? inflateSync(stored) : stored;
    if (data.length !== table.origLength) {
      throw new Error(`WOFF table ${tagName(table.tag)} inflated to the wrong length`);
    }
    data.copy(sfnt, offsets[i]);
    if (table.tag === HEAD_TAG) headOffset = offsets[i];
  });

  // The new layout changes the whole-file checksum, so head.checkSumAdjustment is recomputed.
  // The file's checksum is the header's plus each table's directory checksum (which the spec
  // defines with the adjustment zeroed and the table zero-padded): no need to re-read 10 MB.
  if (headOffset >= 0) {
    sfnt.writeUInt32BE(0, headOffset + HEAD_ADJUSTMENT_OFFSET);
    const headerSize = SFNT_HEADER_SIZE + numTables * SFNT_ENTRY_SIZE;
    const fileChecksum = tables.reduce(
      (sum, table) => (sum + table.origChecksum) >>> 0,
      checksum(sfnt.subarray(0, headerSize)),
    );
    sfnt.writeUInt32BE((CHECKSUM_MAGIC - fileChecksum) >>> 0, headOffset + HEAD_ADJUSTMENT_OFFSET);
  }
  return sfnt;
}

function pad4(length: number): number {
  return (length + 3) & ~3;
}

/** Sum of big-endian uint32 words modulo 2^32; `data.length` is a multiple of 4 here. */
function checksum(data: Buffer): number {
  let sum = 0;
  for (let at = 0; at < data.length; at += 4) {
    sum = (sum + data.readUInt32BE(at)) >>> 0;
  }
  return sum;
}

function tagName(tag: number): string {
  return Buffer.from([tag >>> 24, (tag >>> 16) & 0xff, (tag >>> 8) & 0xff, tag & 0xff]).toString(
    'latin1',
  );
}
