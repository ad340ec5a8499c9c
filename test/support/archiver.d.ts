// archiver (ExcelJS's own zip writer) ships no types and @types/archiver is not installed: the
// part the hostile-upload fixtures use.
declare module 'archiver' {
  import type { Readable, Transform } from 'node:stream';

  interface Archiver extends Transform {
    append(source: Buffer | string | Readable, entry: { name: string }): this;
    finalize(): Promise<void>;
  }

  function archiver(format: 'zip', options?: { zlib?: { level?: number } }): Archiver;
  export = archiver;
}
