import { isValidCardNumber, luhnCheckDigit, newCardNumber } from './card-number';

describe('card numbers', () => {
  it('are H, nine random digits and a Luhn check digit', () => {
    const cards = Array.from({ length: 500 }, () => newCardNumber());
    for (const card of cards) {
      expect(card).toMatch(/^H[1-9]\d{9}$/);
      expect(isValidCardNumber(card)).toBe(true);
    }
    expect(new Set(cards).size).toBeGreaterThan(495);
  });

  it('catch a mistyped digit or swapped neighbours', () => {
    // the textbook example: 7992739871 takes the check digit 3
    expect(luhnCheckDigit('7992739871')).toBe(3);
    expect(luhnCheckDigit('799273987')).toBe(5);
    expect(isValidCardNumber('H7992739875')).toBe(true);
    expect(isValidCardNumber('h7992739875 ')).toBe(true);
    expect(isValidCardNumber('H7992739876')).toBe(false);
    expect(isValidCardNumber('H7992739785')).toBe(false);
    expect(isValidCardNumber('H799273987')).toBe(false);
    expect(isValidCardNumber('6901234567892')).toBe(false);
  });
});
