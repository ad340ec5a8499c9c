import type { AppConfig, DatabaseConfig } from '@charity/config';
import type { DataSourceOptions } from 'typeorm';
import type { ServerType } from './database-lifecycle';
import { ENTITIES } from './entities';
import { MIGRATIONS } from './migrations';
import { SnakeNamingStrategy } from './snake-naming.strategy';

/**
 * With replicas, mysql2's pool cluster takes a node (the primary too) out of use after this many
 * failed connection attempts in a row, for NODE_OFFLINE_MS. With its default of 0 it would remove
 * the node until the process restarts: a primary that blipped would never be used again.
 */
const NODE_ERRORS_BEFORE_OFFLINE = 3;
const NODE_OFFLINE_MS = 5_000;

function credentials({ host, port, username, password, database }: DatabaseConfig) {
  return { host, port, username, password, database };
}

/**
 * One primary, or the primary plus read replicas (DATABASE_REPLICA_URLS). charset, timezone and
 * `extra` (the pool size) sit at the top level: TypeORM's mysql driver applies them to every node.
 */
export function dataSourceOptions(config: AppConfig, type: ServerType): DataSourceOptions {
  const common = {
    type,
    charset: 'utf8mb4_unicode_520_ci',
    // instants are written and read as UTC; local dates are stored beside them where needed
    timezone: 'Z',
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsTableName: 'migrations',
    synchronize: false,
    migrationsRun: false,
    namingStrategy: new SnakeNamingStrategy(),
    extra: { connectionLimit: 10 },
  } as const;
  if (config.databaseReplicas.length === 0) {
    return { ...common, ...credentials(config.database) };
  }
  return {
    ...common,
    replication: {
      master: credentials(config.database),
      slaves: config.databaseReplicas.map(credentials),
      // TypeORM otherwise sends every SELECT outside a transaction (find, QueryBuilder) to a
      // replica, so a page could miss the row it has just written; only `onReplica` reads there
      defaultMode: 'master',
      // try the next replica when one refuses a connection; replicas are taken round-robin
      // (mysql2 reads `defaultSelector`, so TypeORM's `selector` option would change nothing)
      canRetry: true,
      removeNodeErrorCount: NODE_ERRORS_BEFORE_OFFLINE,
      restoreNodeTimeout: NODE_OFFLINE_MS,
    },
  };
}
