/** True when a MySQL/MariaDB write failed on a unique key (ER_DUP_ENTRY). */
export function isDuplicateKeyError(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const candidate = error as { code?: unknown; errno?: unknown; driverError?: unknown };
  if (candidate.code === 'ER_DUP_ENTRY' || candidate.errno === 1062) return true;
  return candidate.driverError !== undefined && isDuplicateKeyError(candidate.driverError);
}

/** Escapes `%`, `_` and `\` so user input matches literally inside a LIKE pattern. */
export function escapeLike(term: string): string {
  return term.replace(/[\\%_]/g, (c) => `\\${c}`);
}
