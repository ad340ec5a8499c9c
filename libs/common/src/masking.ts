/**
 * Masking of personal data for display (PRODUCT rule 9): responses, logs and documents show these
 * forms; the clear values stay with the people allowed to see them.
 */

/** A mainland mobile (11 digits from 1) or a landline with its area code (`0571-87654321`). */
export const PHONE_PATTERN = /^(?:1\d{10}|0\d{2,3}-?\d{7,8})$/;

/** `张三` → `张*`, `欧阳小明` → `欧***`: the first character stays, one star per other character. */
export function maskName(name: string): string {
  const chars = Array.from(name.trim());
  if (chars.length <= 1) return '*';
  return (
    chars[0] +
    chars
      .slice(1)
      .map((char) => (char === ' ' ? ' ' : '*'))
      .join('')
  );
}

/**
 * `13812345678` → `138****5678`; a landline keeps its area code and last four digits
 * (`0571-87654321` → `0571-****4321`). Anything shorter than 8 keeps only its last two.
 */
export function maskPhone(phone: string): string {
  const value = phone.trim();
  const landline = /^(0\d{2,3}-)(\d+)$/.exec(value);
  if (landline) return landline[1] + starsThenKeep(landline[2], 4);
  if (value.length < 8) return starsThenKeep(value, 2);
  return value.slice(0, 3) + starsThenKeep(value.slice(3), 4);
}

/** `zhangsan@example.com` → `z*******@example.com`; the domain stays. */
export function maskEmail(email: string): string {
  const value = email.trim();
  const at = value.lastIndexOf('@');
  if (at <= 0) return maskName(value);
  const local = value.slice(0, at);
  const kept = local.length > 1 ? local[0] : '';
  return kept + '*'.repeat(local.length - kept.length) + value.slice(at);
}

/**
 * Keeps the first part of an address, at most 6 characters and never more than half of it
 * (`河南省洛阳市栾川县城关镇幸福路 8 号` → `河南省洛阳市****`), so the house is not found from it.
 */
export function maskAddress(address: string): string {
  const chars = Array.from(address.trim());
  const keep = Math.min(6, Math.floor(chars.length / 2));
  return chars.slice(0, keep).join('') + '****';
}

/**
 * A 居民身份证 number as everyone may see it: the six-digit region code and the last four stay
 * (`410423********1234`).
 */
export function maskIdNumber(idNumber: string): string {
  const value = idNumber.trim().toUpperCase();
  if (value.length <= 10) return starsThenKeep(value, 2);
  return value.slice(0, 6) + '*'.repeat(value.length - 10) + value.slice(-4);
}

/** Replaces all but the last `keep` characters of `text` with stars. */
function starsThenKeep(text: string, keep: number): string {
  const kept = Math.min(keep, text.length);
  return '*'.repeat(text.length - kept) + text.slice(text.length - kept);
}

const ID_NUMBER_IN_TEXT = /(?<![0-9])([1-9]\d{5})\d{8}(\d{3}[0-9Xx])(?![0-9A-Za-z])/g;
const MOBILE_IN_TEXT = /(?<![0-9])(1\d{2})\d{4}(\d{4})(?![0-9])/g;

/**
 * Masks anything in free text (a logged URL, a query string) that looks like an ID number or a
 * mobile number, so searching for a person by either never writes it to a log.
 */
export function maskPersonalDataInText(text: string): string {
  return text.replace(ID_NUMBER_IN_TEXT, '$1********$2').replace(MOBILE_IN_TEXT, '$1****$2');
}
