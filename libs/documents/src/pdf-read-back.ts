// For specs and scripts: reads rendered PDFs back with poppler-utils and zbar-tools, so checks
// prove text and barcodes are really in the output. Not exported from the library's index.
import { spawnSync } from 'node:child_process';

function installed(tool: string): boolean {
  return spawnSync(tool, ['--help']).error === undefined;
}

export const HAS_POPPLER = installed('pdftotext') && installed('pdftoppm');
export const HAS_ZBAR = installed('zbarimg');

if (!HAS_POPPLER) {
  console.warn(
    'pdftotext/pdftoppm not found (Debian: apt-get install poppler-utils); checks skipped',
  );
}
if (!HAS_ZBAR) {
  console.warn('zbarimg not found (Debian: apt-get install zbar-tools); scan checks skipped');
}

/** The PDF's text; in reading layout by default, so each table row comes out as one line. */
export function pdfText(pdf: Buffer, options: { page?: number; layout?: boolean } = {}): string {
  const pages =
    options.page === undefined ? [] : ['-f', String(options.page), '-l', String(options.page)];
  const layout = options.layout === false ? [] : ['-layout'];
  return spawnSync('pdftotext', [...layout, ...pages, '-', '-'], { input: pdf, encoding: 'utf8' })
    .stdout;
}

export function pageCount(pdf: Buffer): number {
  return pdf.toString('latin1').match(/\/Type \/Page\b(?!s)/g)?.length ?? 0;
}
