import { QueryFailedError } from 'typeorm';
import {
  DATABASE_TIMEOUT,
  DatabaseUnavailableError,
  databaseOutage,
  isDuplicateKeyError,
} from './database-errors';

function driverError(code: string, extra: Record<string, unknown> = {}): Error {
  return Object.assign(new Error(code), { code, ...extra });
}

describe('databaseOutage', () => {
  it.each([
    ['ECONNREFUSED', 'unreachable'],
    ['ENOTFOUND', 'unreachable'],
    ['ECONNRESET', 'connection_lost'],
    ['PROTOCOL_CONNECTION_LOST', 'connection_lost'],
    ['ETIMEDOUT', 'timeout'],
    ['PROTOCOL_SEQUENCE_TIMEOUT', 'timeout'],
    [DATABASE_TIMEOUT, 'timeout'],
    ['ER_CON_COUNT_ERROR', 'overloaded'],
  ])('reads %s as %s, also inside a QueryFailedError', (code, outage) => {
    expect(databaseOutage(driverError(code))).toBe(outage);
    expect(databaseOutage(new QueryFailedError('SELECT 1', [], driverError(code)))).toBe(outage);
  });

  it('counts a fatal driver error without a code as a lost connection', () => {
    const closed = driverError('x', { code: undefined, fatal: true });
    closed.message = "Can't add new command when connection is in closed state";
    expect(databaseOutage(new QueryFailedError('ROLLBACK', [], closed))).toBe('connection_lost');
  });

  it('leaves statement errors to the other mappings', () => {
    const duplicate = driverError('ER_DUP_ENTRY', { errno: 1062 });
    expect(databaseOutage(new QueryFailedError('INSERT', [], duplicate))).toBeNull();
    expect(isDuplicateKeyError(new QueryFailedError('INSERT', [], duplicate))).toBe(true);
    expect(databaseOutage(driverError('ER_PARSE_ERROR', { errno: 1064 }))).toBeNull();
    expect(databaseOutage(new Error('boom'))).toBeNull();
    expect(databaseOutage(undefined)).toBeNull();
  });

  it('answers 503 with the message the till shows', () => {
    const error = new DatabaseUnavailableError('timeout');
    expect(error).toMatchObject({
      code: 'SERVICE_UNAVAILABLE',
      message: '数据库暂时不可用，请稍后重试',
      details: { service: 'database', outage: 'timeout' },
    });
  });
});
