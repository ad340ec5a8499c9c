import type { Socket } from 'node:net';
import * as mysql from 'mysql2';
import {
  currentDatabaseDeadline,
  DatabaseTimeoutError,
  type DatabaseDeadline,
} from './database-deadline';

type Callback = (error: Error | null, ...results: unknown[]) => void;

/** What this file touches of a mysql2 pooled connection. */
interface PooledConnection {
  query: (...args: unknown[]) => unknown;
  release: () => void;
  /** The socket under the protocol (a TLS socket over it when TLS is on). */
  stream: Socket;
}

/** mysql2's Pool and PoolCluster: `getConnection([pattern, selector,] callback)`. */
interface ConnectionSource {
  getConnection: (...args: unknown[]) => void;
}

const bounded = new WeakSet<PooledConnection>();

/**
 * `callback`, called at most once: with the answer when it comes within the deadline, with a
 * DatabaseTimeoutError when it does not (`onTimeout` runs first). An answer arriving later goes
 * to `onLate` instead.
 */
function within(
  deadline: DatabaseDeadline,
  stage: 'acquire' | 'query',
  callback: Callback,
  handlers: { onTimeout?: (error: DatabaseTimeoutError) => void; onLate?: Callback },
): Callback {
  let settled = false;
  const timer = setTimeout(
    () => {
      settled = true;
      const error = new DatabaseTimeoutError(stage, deadline.limit);
      callback(error);
      handlers.onTimeout?.(error);
    },
    Math.max(0, deadline.remainingMs()),
  );
  return (error, ...results) => {
    if (settled) {
      handlers.onLate?.(error, ...results);
      return;
    }
    settled = true;
    clearTimeout(timer);
    callback(error, ...results);
  };
}

/**
 * Bounds every query on `connection` by the deadline of the work that sends it. When one runs
 * out, the connection is given up: its socket is destroyed with the timeout, so mysql2 fails every
 * command still queued on it at once, marks it fatal and takes it out of the pool. It is never
 * reused in an unknown state, and the server rolls back whatever transaction was open on it (a
 * COMMIT already on its way may still be applied: the transaction is then whole).
 */
function boundQueries(connection: PooledConnection): PooledConnection {
  if (bounded.has(connection)) return connection;
  bounded.add(connection);
  const query = connection.query.bind(connection);
  connection.query = (...args: unknown[]) => {
    const deadline = currentDatabaseDeadline();
    const last = args.length - 1;
    const callback = args[last];
    if (deadline && typeof callback === 'function') {
      args[last] = within(deadline, 'query', callback as Callback, {
        onTimeout: (error) => connection.stream.destroy(error),
      });
    }
    return query(...args);
  };
  return connection;
}

/**
 * Bounds `getConnection` by the deadline of the work asking: mysql2's pool has no acquire
 * timeout (a caller waits in its queue for as long as every connection is busy), and a new
 * connection to a frozen server waits for its greeting until connectTimeout. A connection that
 * arrives after its caller gave up goes straight back to the pool.
 */
function boundAcquire<T extends ConnectionSource>(source: T): T {
  const getConnection = source.getConnection.bind(source);
  source.getConnection = (...args: unknown[]) => {
    const callback = args.pop() as Callback;
    const deliver: Callback = (error, connection) =>
      callback(error, connection && boundQueries(connection as PooledConnection));
    const deadline = currentDatabaseDeadline();
    getConnection(
      ...args,
      deadline
        ? within(deadline, 'acquire', deliver, {
            onLate: (_error, connection) => (connection as PooledConnection | undefined)?.release(),
          })
        : deliver,
    );
  };
  return source;
}

/**
 * mysql2 as TypeORM's `driver` option, with every connection acquire and query bounded by the
 * DatabaseDeadline of the work running (none outside one: start-up, migrations, worker jobs).
 * mysql2 cannot do this itself: its pool has no acquire timeout, and its per-query `timeout`
 * starts only when a query reaches the head of its connection's queue and leaves the connection
 * in use (the late answer still arrives on it).
 */
export const mysqlWithDeadlines = {
  createPool: (options: mysql.PoolOptions) =>
    boundAcquire(mysql.createPool(options) as unknown as ConnectionSource),
  createPoolCluster: (options: mysql.PoolClusterOptions) =>
    boundAcquire(mysql.createPoolCluster(options) as unknown as ConnectionSource),
};
