import { deflateSync } from 'node:zlib';
import { woffToSfnt } from './woff-to-sfnt';

/** A WOFF 1.0 file around the given tables, compressing those zlib can shrink (as encoders do). */
/** OpenType table checksum: uint32 words of the zero-padded table, head's adjustment as 0. */
function tableChecksum(tag: string, data: Buffer): number {
  const padded = Buffer.concat([data, Buffer.alloc(-data.length & 3)]);
  if (tag === 'head') padded.writeUInt32BE(0, 8);
  return wholeFileChecksum(padded);
}

function woff(flavor: number, tables: { tag: string; data: Buffer }[]): Buffer {
  const stored = tables.map(({ data }) => {
    const packed = deflateSync(data);
    return packed.length < data.length ? packed : data;
  });
  const header = Buffer.alloc(44 + tables.length * 20);
  header.write('wOFF', 0, 'latin1');
  header.writeUInt32BE(flavor, 4);
  header.writeUInt16BE(tables.length, 12);
  let offset = header.length;
  tables.forEach((table, i) => {
    const at = 44 + i * 20;
    header.write(table.tag, at, 'latin1');
    header.writeUInt32BE(offset, at + 4);
    header.writeUInt32BE(stored[i].length, at + 8);
    header.writeUInt32BE(table.data.length, at + 12);
    header.writeUInt32BE(tableChecksum(table.tag, table.data), at + 16);
    offset += (stored[i].length + 3) & ~3;
  });
  const body = stored.map((data) => Buffer.concat([data, Buffer.alloc(-data.length & 3)]));
  const file = Buffer.concat([header, ...body]);
  file.writeUInt32BE(file.length, 8);
  return file;
}

function wholeFileChecksum(font: Buffer): number {
  let sum = 0;
  for (let at = 0; at < font.length; at += 4) sum = (sum + font.readUInt32BE(at)) >>> 0;
  return sum;
}

describe('woffToSfnt', () => {
  const head = Buffer.alloc(54, 7); // checkSumAdjustment (bytes 8–11) must be rewritten
  const glyf = Buffer.alloc(1001, 0x41); // compressible, and not a multiple of 4
  const name = Buffer.from([1, 2, 3, 4, 5, 6, 7]); // stored uncompressed: zlib cannot shrink it
  const font = woffToSfnt(
    woff(0x00010000, [
      { tag: 'glyf', data: glyf },
      { tag: 'head', data: head },
      { tag: 'name', data: name },
    ]),
  );

  function entry(i: number) {
    const at = 12 + i * 16;
    return {
      tag: font.toString('latin1', at, at + 4),
      checksum: font.readUInt32BE(at + 4),
      offset: font.readUInt32BE(at + 8),
      length: font.readUInt32BE(at + 12),
    };
  }

  it('writes the sfnt header with the binary-search fields for the table count', () => {
    expect(font.readUInt32BE(0)).toBe(0x00010000);
    expect(font.readUInt16BE(4)).toBe(3);
    expect(font.readUInt16BE(6)).toBe(32); // searchRange = 2^floor(log2 3) * 16
    expect(font.readUInt16BE(8)).toBe(1); // entrySelector
    expect(font.readUInt16BE(10)).toBe(16); // rangeShift = 3 * 16 - 32
  });

  it('restores every table, compressed or stored, at 4-byte aligned offsets', () => {
    const tables = [0, 1, 2].map(entry);
    expect(tables.map((t) => t.tag)).toEqual(['glyf', 'head', 'name']);
    expect(tables.map((t) => t.checksum)).toEqual([
      tableChecksum('glyf', glyf),
      tableChecksum('head', head),
      tableChecksum('name', name),
    ]);
    expect(tables[0].offset).toBe(12 + 3 * 16);
    expect(tables[1].offset).toBe(tables[0].offset + 1004);
    expect(tables[2].offset).toBe(tables[1].offset + 56);
    expect(font.length).toBe(tables[2].offset + 8);
    expect(font.subarray(tables[0].offset, tables[0].offset + tables[0].length)).toEqual(glyf);
    expect(font.subarray(tables[2].offset, tables[2].offset + tables[2].length)).toEqual(name);
    expect(font.subarray(tables[0].offset + 1001, tables[1].offset)).toEqual(Buffer.alloc(3));
  });

  it('recomputes head.checkSumAdjustment so the whole file sums to the OpenType magic', () => {
    expect(wholeFileChecksum(font)).toBe(0xb1b0afba);
    const headTable = font.subarray(entry(1).offset, entry(1).offset + 54);
    expect(headTable.subarray(12)).toEqual(head.subarray(12));
  });

  it('refuses WOFF2 and files that are not fonts', () => {
    const woff2 = Buffer.alloc(64);
    woff2.write('wOF2', 0, 'latin1');
    expect(() => woffToSfnt(woff2)).toThrow(/WOFF2 is not supported/);
    expect(() => woffToSfnt(Buffer.from('%PDF-1.7'))).toThrow(/Not a WOFF/);
  });

  it('refuses a table that points past the end of the file', () => {
    const broken = woff(0x00010000, [{ tag: 'glyf', data: glyf }]);
    broken.writeUInt32BE(broken.length, 44 + 4);
    expect(() => woffToSfnt(broken)).toThrow(/glyf has an invalid offset or length/);
  });
});
