const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;

/**
 * Most objects and arrays one JSON body may nest. The API's deepest body has four levels (a
 * donation, its lines, a line, the product it registers); far deeper input only exists to exhaust
 * the stack of whatever walks it recursively later (the validation pipe, class-transformer).
 */
export const MAX_JSON_DEPTH = 32;

/**
 * True when the UTF-8 JSON text opens more than `limit` objects or arrays inside one another.
 * One pass over the raw bytes, before parsing, with no recursion: brackets inside strings are
 * skipped, and every byte of a multi-byte UTF-8 character is above 0x7f, so never one of these.
 * Malformed text is left for the parser to refuse.
 */
export function nestsDeeperThan(utf8: Uint8Array, limit: number): boolean {
  let depth = 0;
  for (let i = 0; i < utf8.length; i++) {
    const byte = utf8[i];
    if (byte === QUOTE) {
      i = closingQuote(utf8, i);
      if (i < 0) return false;
    } else if (byte === OPEN_ARRAY || byte === OPEN_OBJECT) {
      if (++depth > limit) return true;
    } else if (byte === CLOSE_ARRAY || byte === CLOSE_OBJECT) {
      depth--;
    }
  }
  return false;
}

/** Where the string opened at `open` ends (found natively, strings being most of a body); -1: never. */
function closingQuote(utf8: Uint8Array, open: number): number {
  let quote = utf8.indexOf(QUOTE, open + 1);
  while (quote > 0) {
    let backslashes = 0;
    while (utf8[quote - 1 - backslashes] === BACKSLASH) backslashes++;
    if (backslashes % 2 === 0) return quote;
    quote = utf8.indexOf(QUOTE, quote + 1);
  }
  return -1;
}
