import { randomInt } from 'node:crypto';

/** Letters and digits that cannot be mistaken for one another when read out or typed. */
const LETTERS = 'abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ';
const DIGITS = '23456789';
const ALPHABET = LETTERS + DIGITS;
const LENGTH = 14;

/**
 * A random password an admin hands over (the reset command): 14 characters with at least one
 * letter and one digit, so it passes PASSWORD_PATTERN (about 80 bits).
 */
export function generatePassword(): string {
  for (;;) {
    const chars = Array.from({ length: LENGTH }, () => ALPHABET[randomInt(ALPHABET.length)]);
    const password = chars.join('');
    if (/[A-Za-z]/.test(password) && /\d/.test(password)) return password;
  }
}
