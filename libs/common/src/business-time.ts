/** The county's calendar. Instants are stored in UTC; dates and months are local. */
export const DEFAULT_TIME_ZONE = 'Asia/Shanghai';

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    // en-CA formats as YYYY-MM-DD
    formatter = new Intl.DateTimeFormat('en-CA', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** Per zone, the last second asked for and its date: a checkout asks several times a second. */
const lastDates = new Map<string, { second: number; date: string }>();

/**
 * Local business date (`YYYY-MM-DD`) of an instant. Remembers the last second per zone, since
 * Intl's format costs more than the rest of a lookup; no zone's offset has a fraction of a second,
 * so a date never changes within one.
 */
export function businessDate(instant: Date, timeZone = DEFAULT_TIME_ZONE): string {
  const second = Math.floor(instant.getTime() / 1000);
  const last = lastDates.get(timeZone);
  if (last?.second === second) return last.date;
  const date = formatterFor(timeZone).format(instant);
  lastDates.set(timeZone, { second, date });
  return date;
}

/** Local month (`YYYY-MM`) of an instant. */
export function businessMonth(instant: Date, timeZone = DEFAULT_TIME_ZONE): string {
  return businessDate(instant, timeZone).slice(0, 7);
}

export function isValidTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return true;
  } catch {
    return false;
  }
}

const offsetFormatters = new Map<string, Intl.DateTimeFormat>();

/** How far the zone's wall clock is ahead of UTC at an instant, in ms. */
function zoneOffsetMs(instant: number, timeZone: string): number {
  let formatter = offsetFormatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    offsetFormatters.set(timeZone, formatter);
  }
  const part = (parts: Intl.DateTimeFormatPart[], type: string): number =>
    Number(parts.find((p) => p.type === type)?.value);
  const parts = formatter.formatToParts(new Date(instant));
  const wall = Date.UTC(
    part(parts, 'year'),
    part(parts, 'month') - 1,
    part(parts, 'day'),
    part(parts, 'hour'),
    part(parts, 'minute'),
    part(parts, 'second'),
  );
  return wall - Math.floor(instant / 1000) * 1000;
}

/** The instant a local date (`YYYY-MM-DD`) begins: `2026-11-01` in Shanghai is 2026-10-31T16:00Z. */
export function startOfBusinessDay(date: string, timeZone = DEFAULT_TIME_ZONE): Date {
  const wall = Date.parse(`${date}T00:00:00Z`);
  const first = wall - zoneOffsetMs(wall, timeZone);
  // across a DST change the offset at the answer can differ from the offset at the guess
  return new Date(wall - zoneOffsetMs(first, timeZone));
}

/** `YYYY-MM` shifted by whole months. */
export function shiftMonth(month: string, by: number): string {
  const index = Number(month.slice(0, 4)) * 12 + Number(month.slice(5, 7)) - 1 + by;
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`;
}
