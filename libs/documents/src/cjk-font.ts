import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { woffToSfnt } from './woff-to-sfnt';

// Noto Sans SC Regular (SIL OFL 1.1). The "_all" package holds one unsplit font per weight covering
// all of GB2312 and the GBK ideographs; its WOFF2 cannot be subset by pdfkit, so the WOFF is used.
const NOTO_SANS_SC_400 = '@openfonts/noto-sans-sc_all/files/noto-sans-sc-all-400.woff';

let cached: Buffer | undefined;

/**
 * The Chinese font every document embeds, as TrueType bytes. The WOFF is decoded once per process
 * (≈10 MB kept in memory); pdfkit then embeds only the glyphs a document uses.
 */
export function cjkFont(): Buffer {
  cached ??= woffToSfnt(readFileSync(fontPath()));
  return cached;
}

function fontPath(): string {
  // The apps are bundled by webpack, which rewrites a bare require.resolve into a module id;
  // a require created at run time resolves against the real node_modules instead.
  return createRequire(__filename).resolve(NOTO_SANS_SC_400);
}
