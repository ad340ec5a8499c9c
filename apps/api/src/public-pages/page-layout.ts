import { createHash } from 'node:crypto';
import { html, SafeHtml } from './html';

// Phone-first and for elderly readers: large type, strong contrast, one column, no scripts and no
// files to fetch, so the page opens at once on a weak link. The style sits inline and the Content
// Security Policy allows exactly this text by its hash.
const STYLE = `
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%;text-size-adjust:100%}
body{margin:0;background:#f4f1ea;color:#1f1f1f;font:20px/1.6 system-ui,-apple-system,"PingFang SC","Noto Sans CJK SC","Microsoft YaHei",sans-serif}
main{max-width:560px;margin:0 auto;padding:16px}
.brand{margin:0 0 12px;font-size:18px;color:#5c5c5c;text-align:center}
.verdict{margin:0 0 16px;padding:20px 16px;border-radius:12px;text-align:center;color:#fff}
.verdict h1{margin:0;font-size:34px;line-height:1.3;letter-spacing:2px}
.verdict p{margin:8px 0 0;font-size:19px}
.genuine{background:#1b6e34}
.voided{background:#b3261e}
.unknown{background:#5f5f5f}
.facts{margin:0;padding:4px 16px;background:#fff;border-radius:12px}
.facts div{padding:12px 0;border-bottom:1px solid #e3ded3}
.facts div:last-child{border-bottom:0}
.facts dt{font-size:17px;color:#5c5c5c}
.facts dd{margin:2px 0 0;font-size:22px;font-weight:600;overflow-wrap:anywhere}
.facts .amount{font-size:30px}
.facts .capitals{display:block;font-size:20px;font-weight:400}
.note{margin:16px 0 0;font-size:18px;color:#3d3d3d}
footer{margin:20px 0 8px;font-size:16px;color:#6b6b6b;text-align:center}
`
  .trim()
  .replace(/\n/g, '');

/**
 * The Content-Security-Policy of every public page: nothing may load or run; only the page's own
 * inline style applies.
 */
export const PUBLIC_PAGE_CSP = [
  "default-src 'none'",
  `style-src 'sha256-${createHash('sha256').update(STYLE).digest('base64')}'`,
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** Built whole, so no formatting of the page's markup can add a byte the hash does not cover. */
const STYLE_ELEMENT = new SafeHtml(`<style>${STYLE}</style>`);

/** A whole public page around its main content. */
export function publicPage(page: { title: string; brand: string; main: SafeHtml }): string {
  return html`<!doctype html>
    <html lang="zh-CN">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="robots" content="noindex, nofollow" />
        <meta name="referrer" content="no-referrer" />
        <meta name="format-detection" content="telephone=no" />
        <title>${page.title}</title>
        ${STYLE_ELEMENT}
      </head>
      <body>
        <main>
          <p class="brand">${page.brand}</p>
          ${page.main}
        </main>
      </body>
    </html> `.text;
}
