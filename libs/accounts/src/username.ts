/** A username: 3-40 letters, digits, `_`, `.` or `-`, unique whatever the case. */
export const USERNAME_PATTERN = /^[A-Za-z0-9_.-]{3,40}$/;

/**
 * A typed username in the one form login looks it up by and the login limiter counts attempts
 * on: full-width characters folded (an input method left in full-width mode), surrounding spaces
 * dropped, lower case.
 *
 * The database compares names ignoring case, accents, trailing spaces and zero-width characters
 * (`admin`, `admin  `, `ádmin` and `ad\u200bmin` are one name to it), so every spelling that
 * reaches one account must be counted as one. Login therefore asks the database only about a
 * normalised name that could be a username at all (isPossibleUsername); any other spelling is
 * an unknown user.
 */
export function normalizeUsername(typed: string): string {
  return typed.normalize('NFKC').trim().toLowerCase();
}

/** Whether a normalised name can belong to an account (see USERNAME_PATTERN). */
export function isPossibleUsername(normalised: string): boolean {
  return USERNAME_PATTERN.test(normalised);
}
