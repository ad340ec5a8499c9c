/** True when a MySQL/MariaDB write failed on a unique key (ER_DUP_ENTRY). */
export function isDuplicateKeyError(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const candidate = error as { code?: unknown; errno?: unknown; driverError?: unknown };
  if (candidate.code === 'ER_DUP_ENTRY' || candidate.errno === 1062) return true;
  return candidate.driverError !== undefined && isDuplicateKeyError(candidate.driverError);
}

/**
 * True for a deadlock (1213) or lock wait timeout (1205): the database rolled the transaction
 * back, so nothing changed and the client may simply retry.
 */
export function isLockConflict(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const candidate = error as { errno?: unknown; driverError?: unknown };
  if (candidate.errno === 1213 || candidate.errno === 1205) return true;
  return candidate.driverError !== undefined && isLockConflict(candidate.driverError);
}

/** Escapes `%`, `_` and `\` so user input matches literally inside a LIKE pattern. */
export function escapeLike(term: string): string {
  return term.replace(/[\\%_]/g, (c) => `\\${c}`);
}
