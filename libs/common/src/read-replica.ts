import { Logger } from '@nestjs/common';
import type { DataSource, QueryRunner } from 'typeorm';

export type ReadQuery = <T = unknown>(sql: string, params?: unknown[]) => Promise<T>;

const logger = new Logger('ReadReplica');

/**
 * Runs read-only work on one connection from a replica when replicas are configured
 * (`DATABASE_REPLICA_URLS`), on the primary otherwise. Reports read this way so their long scans
 * never compete with checkouts for the primary. A replica may lag the primary by a few seconds.
 * When no replica can be reached the work runs on the primary rather than failing.
 */
export async function onReplica<T>(
  dataSource: DataSource,
  work: (query: ReadQuery) => Promise<T>,
): Promise<T> {
  const runner = await connectForReads(dataSource);
  try {
    return await work(
      <R>(sql: string, params?: unknown[]) => runner.query(sql, params) as Promise<R>,
    );
  } finally {
    await runner.release();
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
