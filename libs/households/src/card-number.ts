import { randomInt } from 'node:crypto';

/**
 * Household card numbers: `H` and ten digits, the last a Luhn check digit (`H4819302756`). The
 * letter keeps a card apart from product barcodes in the till's single scan field; the nine
 * random digits say nothing about the holder; the check digit catches a mistyped number.
 */
export const CARD_NUMBER_PATTERN = /^H\d{10}$/;

export function normalizeCardNumber(value: string): string {
  return value.trim().toUpperCase();
}

export function luhnCheckDigit(digits: string): number {
  let sum = 0;
  for (let i = 0; i < digits.length; i += 1) {
    // doubled from the rightmost payload digit, as the check digit will follow it
    let digit = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 0) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return (10 - (sum % 10)) % 10;
}

export function isValidCardNumber(value: string): boolean {
  const card = normalizeCardNumber(value);
  if (!CARD_NUMBER_PATTERN.test(card)) return false;
  return luhnCheckDigit(card.slice(1, 10)) === Number(card[10]);
}

/** A fresh random card number; uniqueness is the database's unique index to enforce. */
export function newCardNumber(): string {
  // the first digit is never 0 so a spreadsheet that reads the digits as a number keeps them all
  const payload = String(randomInt(100_000_000, 1_000_000_000));
  return `H${payload}${luhnCheckDigit(payload)}`;
}
