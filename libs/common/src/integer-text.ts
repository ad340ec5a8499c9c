import { Transform } from 'class-transformer';

/** How an integer is written in a query string or form field: no sign for 0, no leading zeros. */
const INTEGER_TEXT = /^(0|-?[1-9]\d*)$/;

/**
 * The number a query parameter or form field writes, read strictly: `12` and `-3` become numbers;
 * `1e20`, `1.5`, `0x1F`, ` 12`, `012`, `` and anything past 2^53 stay as they are, for IsInt
 * to refuse by name (Number() would turn them into 1e20, 1.5, 31, 12, 12 and 0). Anything that
 * is not text (an array from a repeated parameter, say) is left alone too.
 */
export function integerFromText(value: unknown): unknown {
  if (typeof value !== 'string' || !INTEGER_TEXT.test(value)) return value;
  const number = Number(value);
  return Number.isSafeInteger(number) ? number : value;
}

/** Reads the field with integerFromText; for query parameters and multipart form fields only. */
export const IntegerFromText = (): PropertyDecorator =>
  Transform(({ value }: { value: unknown }) => integerFromText(value));
