/**
 * 居民身份证号码 (GB 11643-1999): 17 digits — region code, birth date, sequence — and a check
 * character computed over them with ISO 7064 MOD 11-2.
 */
const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK_CHARACTERS = '10X98765432';

/** Trims and upper-cases the check character (`x` → `X`). */
export function normalizeIdNumber(value: string): string {
  return value.trim().toUpperCase();
}

export function idNumberCheckCharacter(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i += 1) sum += Number(first17[i]) * (WEIGHTS[i] ?? 0);
  return CHECK_CHARACTERS[sum % 11] ?? '';
}

/**
 * What is wrong with an ID number, in words a clerk understands, or null when it is valid.
 * `today` (`YYYY-MM-DD`) bounds the birth date.
 */
export function idNumberProblem(value: string, today: string): string | null {
  const id = normalizeIdNumber(value);
  if (!/^\d{17}[\dX]$/.test(id)) return '身份证号应为18位，前17位是数字，最后一位是数字或X';
  if (id[0] === '0') return '身份证号的地区码不正确';
  const birth = `${id.slice(6, 10)}-${id.slice(10, 12)}-${id.slice(12, 14)}`;
  const parsed = new Date(`${birth}T00:00:00Z`);
  if (
    Number.isNaN(parsed.getTime()) ||
    parsed.toISOString().slice(0, 10) !== birth ||
    birth < '1900-01-01' ||
    birth > today
  ) {
    return `身份证号中的出生日期 ${birth} 不正确`;
  }
  if (idNumberCheckCharacter(id.slice(0, 17)) !== id[17]) {
    return '身份证号校验位不正确，请核对是否输错';
  }
  return null;
}

/** A valid ID number from its first 17 digits (synthetic data for the demo county and tests). */
export function withCheckCharacter(first17: string): string {
  return first17 + idNumberCheckCharacter(first17);
}
