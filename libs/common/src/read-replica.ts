import { Logger } from '@nestjs/common';
import type { DataSource, QueryRunner } from 'typeorm';

export type ReadQuery = <T = unknown>(sql: string, params?: unknown[]) => Promise<T>;

const logger = new Logger('ReadReplica');

/**
 * Runs read-only work on connections from a replica when replicas are configured
 * (`DATABASE_REPLICA_URLS`), on the primary otherwise. Reports read this way so their long scans
 * never compete with checkouts for the primary. A replica may lag the primary by a few seconds.
 * When no replica can be reached the work runs on the primary rather than failing.
 *
 * With `connections` > 1 the work's concurrent queries (a Promise.all of independent figures) are
 * spread over that many connections, each query to the least busy one, so the database runs them
 * side by side instead of one after another on a single connection.
 */
export async function onReplica<T>(
  dataSource: DataSource,
  work: (query: ReadQuery) => Promise<T>,
  connections = 1,
): Promise<T> {
  const runners: QueryRunner[] = [];
  try {
    for (let i = 0; i < connections; i++) runners.push(await connectForReads(dataSource));
    const inFlight = runners.map(() => 0);
    return await work(async <R>(sql: string, params?: unknown[]) => {
      const index = inFlight.indexOf(Math.min(...inFlight));
      inFlight[index] += 1;
      try {
        return (await runners[index].query(sql, params)) as R;
      } finally {
        inFlight[index] -= 1;
      }
    });
  } finally {
    await Promise.all(runners.map((runner) => runner.release()));
  }
}

/**
 * TypeORM's mysql driver hands a 'slave' runner a connection from the replicas' pools when
 * replication is configured and from the one pool otherwise.
 */
async function connectForReads(dataSource: DataSource): Promise<QueryRunner> {
  const replica = dataSource.createQueryRunner('slave');
  try {
    await replica.connect();
    return replica;
  } catch (error) {
    await replica.release();
    if (!dataSource.driver.isReplicated) throw error;
    const reason = error instanceof Error ? error.message : String(error);
    logger.warn(`no read replica answered (${reason}); reading from the primary`);
    const primary = dataSource.createQueryRunner('master');
    await primary.connect();
    return primary;
  }
}
