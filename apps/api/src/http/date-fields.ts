import { ValidateBy, buildMessage, type ValidationOptions } from 'class-validator';

const DATE = /^([1-9]\d{3})-(\d{2})-(\d{2})$/;

/**
 * An instant as `Date` reads it unambiguously: a date, or a date and time to the minute, second
 * or fraction, with `Z` or an offset (or without: the server's local time, as `Date` reads it).
 */
const INSTANT =
  /^([1-9]\d{3}-\d{2}-\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,6})?)?(?:Z|[+-](\d{2}):(\d{2}))?)?$/;

/**
 * True for a day that exists: `2026-02-28`, `2028-02-29`; not `2026-02-30` or `2026-13-01`.
 * Years from 1000 to 9999, the range the database's DATE columns keep.
 */
export function isCalendarDate(value: unknown): boolean {
  if (typeof value !== 'string') return false;
  const match = DATE.exec(value);
  if (!match) return false;
  const [year, month, day] = match.slice(1).map(Number) as [number, number, number];
  const date = new Date(Date.UTC(year, month - 1, day));
  return (
    date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day
  );
}

/** True for an ISO 8601 instant whose every part exists: no 2026-02-30, 24:00 or +25:00. */
export function isInstant(value: unknown): boolean {
  if (typeof value !== 'string') return false;
  const match = INSTANT.exec(value);
  if (!match || !isCalendarDate(match[1])) return false;
  // an absent part is NaN, which is never above its maximum
  const [hour, minute, second, offsetHours, offsetMinutes] = match.slice(2).map(Number);
  const outOfRange =
    hour > 23 || minute > 59 || second > 59 || offsetHours > 23 || offsetMinutes > 59;
  return !outOfRange && !Number.isNaN(Date.parse(value));
}

/** A local business date, `YYYY-MM-DD`, that is on the calendar. */
export const IsDateOnly = (options?: ValidationOptions): PropertyDecorator =>
  ValidateBy(
    {
      name: 'isDateOnly',
      validator: {
        validate: isCalendarDate,
        defaultMessage: buildMessage(
          (each) => `${each}$property must be a real date written YYYY-MM-DD`,
          options,
        ),
      },
    },
    options,
  );

/** A moment in time, ISO 8601 (`2026-11-01T08:00:00+08:00`, `2026-11-01`), on the calendar. */
export const IsInstant = (options?: ValidationOptions): PropertyDecorator =>
  ValidateBy(
    {
      name: 'isInstant',
      validator: {
        validate: isInstant,
        defaultMessage: buildMessage(
          (each) => `${each}$property must be a real ISO 8601 date or date and time`,
          options,
        ),
      },
    },
    options,
  );
