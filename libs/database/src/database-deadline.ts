import { AsyncLocalStorage } from 'node:async_hooks';
import { DATABASE_TIMEOUT } from '@charity/common';

/**
 * How long one unit of work (an HTTP request) may spend waiting for the database: acquiring
 * connections and running queries, all counted from its start. When the time is up every
 * acquire and query still waiting fails with a DatabaseTimeoutError, and a connection whose query
 * was abandoned is closed, never returned to the pool (see deadline-driver.ts).
 */
export class DatabaseDeadline {
  constructor(
    private limitMs: number,
    private readonly startedAt = Date.now(),
  ) {}

  /** Gives the work another limit, counted from the same start (the route's own, once known). */
  setLimit(limitMs: number): void {
    this.limitMs = limitMs;
  }

  get limit(): number {
    return this.limitMs;
  }

  remainingMs(): number {
    return this.startedAt + this.limitMs - Date.now();
  }
}

const current = new AsyncLocalStorage<DatabaseDeadline>();

/** Runs `work` (and everything it starts) under `deadline`. */
export function withDatabaseDeadline<T>(deadline: DatabaseDeadline, work: () => T): T {
  return current.run(deadline, work);
}

/** The deadline of the work running now; undefined outside any (start-up, migrations, jobs). */
export function currentDatabaseDeadline(): DatabaseDeadline | undefined {
  return current.getStore();
}

/** What a query or an acquire fails with once its unit of work is out of time. */
export class DatabaseTimeoutError extends Error {
  readonly code = DATABASE_TIMEOUT;
  /** As mysql2 marks errors after which a connection is unusable. */
  readonly fatal = true;

  constructor(stage: 'acquire' | 'query', limitMs: number) {
    super(
      stage === 'acquire'
        ? `no database connection within the request's ${limitMs} ms`
        : `the database did not answer within the request's ${limitMs} ms`,
    );
    this.name = 'DatabaseTimeoutError';
  }
}
