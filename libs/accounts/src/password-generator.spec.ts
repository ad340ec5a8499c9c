import { generatePassword } from './password-generator';
import { PASSWORD_PATTERN } from './password-hasher';
import { PUBLISHED_PASSWORDS } from './password-origin';

describe('generatePassword', () => {
  it('makes passwords that pass the password rules and do not repeat', () => {
    const made = Array.from({ length: 500 }, () => generatePassword());
    for (const password of made) {
      expect(password).toMatch(PASSWORD_PATTERN);
      expect(password).toMatch(/^[a-km-zA-HJ-NP-Z2-9]{14}$/);
      expect(PUBLISHED_PASSWORDS).not.toContain(password);
    }
    expect(new Set(made).size).toBe(made.length);
  });
});
