import { DomainError } from '@charity/common';

/** The 31 characters GB 32100-2015 allows (no I, O, S, V, Z), in the order of their values. */
const CHARSET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28] as const;
export const CREDIT_CODE_LENGTH = 18;

/** Upper case without surrounding blanks: codes are often typed in lower case. */
export function normalizeCreditCode(code: string): string {
  return code.trim().toUpperCase();
}

/** The check character (18th) for the first 17 characters, which must be valid already. */
export function creditCodeCheckCharacter(first17: string): string {
  let sum = 0;
  for (let i = 0; i < WEIGHTS.length; i++) sum += CHARSET.indexOf(first17[i]) * WEIGHTS[i];
  return CHARSET[(31 - (sum % 31)) % 31];
}

/** Why a 统一社会信用代码 is not valid, or null when it is. */
export function creditCodeProblem(code: string): string | null {
  if (code.length !== CREDIT_CODE_LENGTH) {
    return `应为 ${CREDIT_CODE_LENGTH} 位，实际 ${code.length} 位`;
  }
  const bad = [...code].find((char) => !CHARSET.includes(char));
  if (bad !== undefined) {
    return `含有不允许的字符“${bad}”（只能是数字和除 I、O、S、V、Z 以外的大写字母）`;
  }
  const expected = creditCodeCheckCharacter(code.slice(0, 17));
  if (code[17] !== expected) return `校验位应为“${expected}”，不是“${code[17]}”`;
  return null;
}

export function isValidCreditCode(code: string): boolean {
  return creditCodeProblem(code) === null;
}

/** 422 INVALID_CREDIT_CODE; names the expected check character when only that is wrong. */
export class InvalidCreditCodeError extends DomainError {
  constructor(creditCode: string, reason: string) {
    const expected =
      creditCode.length === CREDIT_CODE_LENGTH && [...creditCode].every((c) => CHARSET.includes(c))
        ? creditCodeCheckCharacter(creditCode.slice(0, 17))
        : null;
    super('INVALID_CREDIT_CODE', `统一社会信用代码“${creditCode}”无效：${reason}`, {
      field: 'creditCode',
      creditCode,
      reason,
      ...(expected !== null ? { expectedCheckCharacter: expected } : {}),
    });
  }
}

/** Throws InvalidCreditCodeError unless the (normalized) code is valid. */
export function assertValidCreditCode(code: string): void {
  const problem = creditCodeProblem(code);
  if (problem !== null) throw new InvalidCreditCodeError(code, problem);
}
