import { DomainError } from './domain-error';

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

/**
 * The code of the error a request's database work fails with when its time is up (see
 * DatabaseDeadline in libs/database): acquiring a connection or a query took longer than the
 * route allows.
 */
export const DATABASE_TIMEOUT = 'DATABASE_TIMEOUT';

/** Why the database could not serve a request. */
export type DatabaseOutage =
  /** Nothing accepts a connection (server down, refused, host unknown). */
  | 'unreachable'
  /** An open connection broke (server killed or restarted, network cut). */
  | 'connection_lost'
  /** No answer within the route's limit (server frozen or overloaded). */
  | 'timeout'
  /** The server refused more work (too many connections, shutting down). */
  | 'overloaded';

/** The outage a driver (mysql2) or Node.js error code stands for; null for any other code. */
function outageForCode(code: string): DatabaseOutage | null {
  switch (code) {
    case 'ECONNREFUSED':
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
    case 'ENOENT': // a Unix socket that is not there: the server is not running
      return 'unreachable';
    case 'ECONNRESET':
    case 'EPIPE':
    case 'PROTOCOL_CONNECTION_LOST':
    case 'ER_CONNECTION_KILLED':
      return 'connection_lost';
    case 'ETIMEDOUT':
    case 'PROTOCOL_SEQUENCE_TIMEOUT':
    case DATABASE_TIMEOUT:
      return 'timeout';
    case 'ER_CON_COUNT_ERROR':
    case 'ER_SERVER_SHUTDOWN':
    case 'ER_TOO_MANY_USER_CONNECTIONS':
      return 'overloaded';
    default:
      return null;
  }
}

/**
 * Whether `error` (a mysql2 error, or TypeORM's QueryFailedError around one) says the database
 * could not be reached or stopped answering, rather than that a statement was wrong. mysql2 marks
 * every error that leaves a connection unusable `fatal`, such as a command sent on a connection
 * already closed, and those count as a lost connection.
 */
export function databaseOutage(error: unknown): DatabaseOutage | null {
  if (typeof error !== 'object' || error === null) return null;
  const candidate = error as { code?: unknown; fatal?: unknown; driverError?: unknown };
  const byCode = typeof candidate.code === 'string' ? outageForCode(candidate.code) : null;
  if (byCode) return byCode;
  if (candidate.driverError !== undefined) return databaseOutage(candidate.driverError);
  return candidate.fatal === true ? 'connection_lost' : null;
}

/**
 * 503 for a request the database could not serve. Whatever the request began was rolled back,
 * except a transaction whose COMMIT had already been sent when the connection was given up: that
 * one is either committed whole or not at all, so a checkout sent again with the same
 * Idempotency-Key returns the first result or runs once.
 */
export class DatabaseUnavailableError extends DomainError {
  constructor(readonly outage: DatabaseOutage) {
    super('SERVICE_UNAVAILABLE', '数据库暂时不可用，请稍后重试', { service: 'database', outage });
  }
}
