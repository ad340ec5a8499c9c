import type { EventEmitter } from 'node:events';
import mysql from 'mysql2';

/**
 * A database cluster (Galera, group replication) hands out auto-increment ids in steps: node 2 of
 * three writes 2, 5, 8 … So the second row of a multi-row INSERT is not first id + 1, and code
 * that assumes it links rows to the wrong ones. `auto_increment_increment` and
 * `auto_increment_offset` make one server behave like that node, per session.
 */
export const STEPPED_SESSION_SQL =
  'SET SESSION auto_increment_increment = 3, auto_increment_offset = 2';

/** The `TEST_AUTO_INCREMENT_INCREMENT` step this run asks for, or undefined (a step of 1). */
export function requestedStep(value: string | undefined): 3 | undefined {
  if (value === undefined || value === '' || value === '1') return undefined;
  if (value === '3') return 3;
  throw new Error(`TEST_AUTO_INCREMENT_INCREMENT must be 1 or 3, not "${value}"`);
}

type Pool = EventEmitter;
interface Connection {
  query(sql: string, callback: (error: Error | null) => void): unknown;
}
interface Cluster {
  add(id: unknown, config?: unknown): void;
  _nodes: Record<string, { pool: Pool }>;
}

let stepping = false;

/**
 * From now on every pool that this test file's app opens (the main pool, the checkout's batched
 * pool, each node of a replica cluster) starts each new connection with `STEPPED_SESSION_SQL`,
 * before that connection runs anything else. Only this Jest module registry is affected, and only
 * sessions: the shared server's GLOBAL variables are left alone.
 */
export function stepAutoIncrement(): void {
  if (stepping) return;
  stepping = true;
  const createPool = mysql.createPool.bind(mysql);
  const createPoolCluster = mysql.createPoolCluster.bind(mysql);
  Object.assign(mysql, {
    createPool: (...args: Parameters<typeof mysql.createPool>) => stepped(createPool(...args)),
    createPoolCluster: (...args: Parameters<typeof mysql.createPoolCluster>) => {
      const cluster = createPoolCluster(...args) as unknown as Cluster;
      const add = cluster.add.bind(cluster);
      // mysql2 builds each node's pool inside `add`, not through createPool
      cluster.add = (id, config) => {
        const before = new Set(Object.keys(cluster._nodes));
        add(id, config);
        for (const [key, node] of Object.entries(cluster._nodes)) {
          if (!before.has(key)) stepped(node.pool);
        }
      };
      return cluster as unknown as ReturnType<typeof mysql.createPoolCluster>;
    },
  });
}

/** mysql2 emits 'connection' before handing a new connection out, so this query runs first. */
function stepped<T>(pool: T): T {
  (pool as unknown as Pool).on('connection', (connection: Connection) => {
    connection.query(STEPPED_SESSION_SQL, (error) => {
      // loudly: a run that silently fell back to a step of 1 would prove nothing
      if (error) throw error;
    });
  });
  return pool;
}
