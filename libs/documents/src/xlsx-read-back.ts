// For specs and scripts: prints a workbook as a user would, with LibreOffice headless, and reads
// the pages back with poppler-utils, so checks prove how it really prints. Not exported from the
// library's index.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

export const HAS_SOFFICE = spawnSync('soffice', ['--version']).error === undefined;

if (!HAS_SOFFICE) {
  console.warn(
    'soffice not found (Debian: apt-get install libreoffice-calc-nogui); checks skipped',
  );
}

export interface PrintedPage {
  /** In points; A4 landscape is 842 × 595. */
  width: number;
  height: number;
  /** pdftotext's layout text: each table row comes out as one line. */
  text: string;
}

/**
 * The workbook's pages as LibreOffice prints them to PDF. Each call has a profile of its own,
 * so parallel runs never share (or lock) one.
 */
export function printedPages(xlsx: Buffer): PrintedPage[] {
  const dir = mkdtempSync(join(tmpdir(), 'xlsx-print-'));
  try {
    const book = join(dir, 'book.xlsx');
    writeFileSync(book, xlsx);
    run('soffice', [
      `-env:UserInstallation=${pathToFileURL(join(dir, 'profile')).href}`,
      '--headless',
      '--convert-to',
      'pdf',
      '--outdir',
      dir,
      book,
    ]);
    const pdf = join(dir, 'book.pdf');
    const sizes = [
      ...run('pdfinfo', ['-f', '1', '-l', '9999', pdf]).matchAll(
        /^Page\s+\d+ size:\s+([\d.]+) x ([\d.]+) pts/gm,
      ),
    ].map((match) => ({ width: Number(match[1]), height: Number(match[2]) }));
    // pdftotext ends every page with a form feed
    const texts = run('pdftotext', ['-layout', pdf, '-']).split('\f').slice(0, sizes.length);
    return sizes.map((size, i) => ({ ...size, text: texts[i] ?? '' }));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function run(command: string, args: string[]): string {
  const result = spawnSync(command, args, { encoding: 'utf8', timeout: 120_000 });
  if (result.status !== 0) {
    throw new Error(`${command} failed (${result.status}): ${result.stderr || result.error}`);
  }
  return result.stdout;
}
