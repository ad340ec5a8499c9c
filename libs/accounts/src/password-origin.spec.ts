import { passwordChangeRequired, type PasswordOrigin } from './password-origin';

describe('passwordChangeRequired', () => {
  it.each<[PasswordOrigin, boolean, 'development' | 'production' | 'test', boolean]>([
    ['admin', true, 'development', true],
    ['admin', true, 'production', true],
    ['bootstrap', true, 'development', true],
    ['bootstrap', true, 'production', true],
    // the demo county logs straight in outside production
    ['demo', true, 'development', false],
    ['demo', true, 'test', false],
    ['demo', true, 'production', true],
    ['self', false, 'production', false],
    ['admin', false, 'production', false],
  ])('origin %s, flag %s, %s: %s', (passwordOrigin, mustChangePassword, nodeEnv, expected) => {
    expect(passwordChangeRequired({ passwordOrigin, mustChangePassword }, nodeEnv)).toBe(expected);
  });
});
