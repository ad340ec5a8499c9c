import { Transform, type Readable, type TransformCallback } from 'node:stream';
import { fromBufferPromise, type Entry, type ZipFile } from 'yauzl';
import { SheetTooLargeError } from './household-errors';

/** All a workbook may inflate to: a 20,000-row roster is a few MB of XML. */
export const MAX_WORKBOOK_UNCOMPRESSED_BYTES = 20 * 1024 * 1024;
/** Parts of one workbook package: a roster has about ten; each sheet or picture adds one or two. */
export const MAX_WORKBOOK_ENTRIES = 50;

const megabytes = (bytes: number): string => (bytes / 1024 / 1024).toFixed(1);
const LIMIT_MB = MAX_WORKBOOK_UNCOMPRESSED_BYTES / 1024 / 1024;

/**
 * An uploaded XLSX's zip, opened by its central directory and checked before anything is
 * inflated: more than MAX_WORKBOOK_ENTRIES entries, or more than MAX_WORKBOOK_UNCOMPRESSED_BYTES
 * declared in all, is 413 PAYLOAD_TOO_LARGE. An entry is inflated only when read, and cut off
 * with the same 413 one byte past the size it declared, so a lying header inflates no more than
 * the checked total either.
 */
export class WorkbookZip {
  private readonly opened: Readable[] = [];

  private constructor(
    private readonly zipfile: ZipFile,
    private readonly entries: ReadonlyMap<string, Entry>,
  ) {}

  /** Throws SheetTooLargeError for a zip past the limits, yauzl's error for a broken one. */
  static async open(buffer: Buffer): Promise<WorkbookZip> {
    // entries one at a time, and sizes enforced by InflateLimit with our own code and message
    const zipfile = await fromBufferPromise(buffer, {
      lazyEntries: true,
      validateEntrySizes: false,
    });
    try {
      if (zipfile.entryCount > MAX_WORKBOOK_ENTRIES) throw tooManyEntries(zipfile.entryCount);
      const entries = new Map<string, Entry>();
      let declared = 0;
      for await (const entry of zipfile.eachEntry()) {
        declared += entry.uncompressedSize;
        entries.set(entry.fileName, entry);
      }
      if (declared > MAX_WORKBOOK_UNCOMPRESSED_BYTES) throw tooLarge(declared);
      return new WorkbookZip(zipfile, entries);
    } catch (error) {
      zipfile.close();
      throw error;
    }
  }

  has(path: string): boolean {
    return this.entries.has(path);
  }

  /** The entry at `path` as it inflates, or null when the zip has none. */
  async read(path: string): Promise<Readable | null> {
    const entry = this.entries.get(path);
    if (!entry) return null;
    const inflating = await this.zipfile.openReadStreamPromise(entry);
    const limited = new InflateLimit(entry);
    inflating.on('error', (error) => limited.destroy(error));
    this.opened.push(inflating, limited);
    return inflating.pipe(limited);
  }

  /** Stops whatever is still inflating (a reader may stop at its row limit). */
  close(): void {
    for (const stream of this.opened) stream.destroy();
    this.zipfile.close();
  }
}

/** Passes an entry's bytes through until they exceed what the central directory declared. */
class InflateLimit extends Transform {
  private inflated = 0;

  constructor(private readonly entry: Entry) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.inflated += chunk.length;
    if (this.inflated > this.entry.uncompressedSize) {
      callback(sizeMismatch(this.entry));
      return;
    }
    callback(null, chunk);
  }
}

function tooLarge(declaredBytes: number): SheetTooLargeError {
  return new SheetTooLargeError(
    `文件解压后超过 ${LIMIT_MB} MB（共 ${megabytes(declaredBytes)} MB），未读取其内容；` +
      '请删去无关的工作表、图片和空白行列后重新上传，或另存为“CSV UTF-8”',
    {
      reason: 'uncompressed_size',
      maxUncompressedBytes: MAX_WORKBOOK_UNCOMPRESSED_BYTES,
      declaredBytes,
    },
  );
}

function tooManyEntries(entries: number): SheetTooLargeError {
  return new SheetTooLargeError(
    `Excel 文件内部包含 ${entries} 个部件，超过 ${MAX_WORKBOOK_ENTRIES} 个的上限（工作表或图片过多），` +
      '未读取其内容；请删去多余的工作表和图片后重新上传，或另存为“CSV UTF-8”',
    { reason: 'entry_count', maxEntries: MAX_WORKBOOK_ENTRIES, entries },
  );
}

function sizeMismatch(entry: Entry): SheetTooLargeError {
  return new SheetTooLargeError(
    `文件中的 ${entry.fileName} 解压后超过其声明的大小，文件已损坏或被改动过，已停止读取；` +
      '请在 Excel 中重新保存后上传',
    { reason: 'size_mismatch', entry: entry.fileName, declaredBytes: entry.uncompressedSize },
  );
}
