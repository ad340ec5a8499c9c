import {
  assertValidCreditCode,
  creditCodeCheckCharacter,
  creditCodeProblem,
  InvalidCreditCodeError,
  isValidCreditCode,
  normalizeCreditCode,
} from './credit-code';

// Codes of real registered bodies, as printed on their business licences.
const REAL_CODES = [
  '91350100M000100Y43', // the example of GB 32100-2015 itself
  '91110000600037341L',
  '91440300708461136T',
  '91330000MA27U0WG6Q',
  '12100000400000624D', // a public institution (事业单位): registration authority 1
];

describe('unified social credit code (GB 32100-2015)', () => {
  it.each(REAL_CODES)('accepts the real code %s', (code) => {
    expect(creditCodeProblem(code)).toBeNull();
    expect(isValidCreditCode(code)).toBe(true);
    expect(() => assertValidCreditCode(code)).not.toThrow();
  });

  it('computes the check character from the 17 characters before it', () => {
    for (const code of REAL_CODES) {
      expect(creditCodeCheckCharacter(code.slice(0, 17))).toBe(code[17]);
    }
  });

  it('writes a remainder of 0 as the check character 0, not as the 31st character', () => {
    // weighted sum 0: 31 - 0 = 31, which the standard writes as 0
    expect(creditCodeCheckCharacter('0'.repeat(17))).toBe('0');
    // weighted sum 1 (weight 1 on the first character): 31 - 1 = 30, the last character Y
    expect(creditCodeCheckCharacter('1'.padEnd(17, '0'))).toBe('Y');
    // weighted sum 3 (weight 3 on the second character): 28, which is W (S and V are left out)
    expect(creditCodeCheckCharacter('01'.padEnd(17, '0'))).toBe('W');
  });

  it('refuses a changed check character and names the right one', () => {
    const problem = creditCodeProblem('91350100M000100Y44');
    expect(problem).toContain('3');
    expect(problem).toContain('校验位');
    try {
      assertValidCreditCode('91350100M000100Y44');
      throw new Error('expected a failure');
    } catch (error) {
      expect(error).toBeInstanceOf(InvalidCreditCodeError);
      const failure = error as InvalidCreditCodeError;
      expect(failure.code).toBe('INVALID_CREDIT_CODE');
      expect(failure.details).toMatchObject({
        creditCode: '91350100M000100Y44',
        expectedCheckCharacter: '3',
      });
    }
  });

  it('refuses one mistyped character in the body (the check catches it)', () => {
    expect(isValidCreditCode('91110000600037342L')).toBe(false);
    expect(isValidCreditCode('91440300708461163T')).toBe(false); // two digits swapped
  });

  it('refuses the wrong length and letters the standard leaves out', () => {
    expect(creditCodeProblem('91350100M000100Y4')).toContain('18');
    expect(creditCodeProblem('91350100M000100Y433')).toContain('18');
    expect(creditCodeProblem('')).toContain('18');
    for (const letter of ['I', 'O', 'S', 'V', 'Z']) {
      expect(creditCodeProblem(`91350100M000100${letter}43`)).toContain(letter);
    }
    // lower case is a different character until normalized
    expect(isValidCreditCode('91350100m000100y43')).toBe(false);
    const wrong = new InvalidCreditCodeError('91350100M00', 'too short');
    expect(wrong.details).not.toHaveProperty('expectedCheckCharacter');
  });

  it('normalizes blanks and lower case, as people type codes', () => {
    expect(normalizeCreditCode(' 91350100m000100y43 ')).toBe('91350100M000100Y43');
    expect(isValidCreditCode(normalizeCreditCode(' 91350100m000100y43 '))).toBe(true);
  });
});
