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

/** Local business date (`YYYY-MM-DD`) of an instant. */
export function businessDate(instant: Date, timeZone = DEFAULT_TIME_ZONE): string {
  return formatterFor(timeZone).format(instant);
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
