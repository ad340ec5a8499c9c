import type { AppConfig, DatabaseConfig } from '@charity/config';
import type { DataSourceOptions } from 'typeorm';
import type { MysqlDataSourceOptions } from 'typeorm/driver/mysql/MysqlDataSourceOptions.js';
import type { ServerType } from './database-lifecycle';
import { mysqlWithDeadlines } from './deadline-driver';
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

function credentials({ host, port, username, password, database, socketPath }: DatabaseConfig) {
  return { host, port, username, password, database, ...(socketPath ? { socketPath } : {}) };
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
    // mysql2 with each request's acquires and queries bounded by its DatabaseDeadline
    driver: mysqlWithDeadlines,
    // a server that accepts the TCP connection but never greets (frozen) fails the attempt
    connectTimeout: config.databaseTimeouts.connectMs,
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

/**
 * The checkout's own pool (`BATCHED_DATA_SOURCE` in DatabaseModule): the primary only, with mysql2's
 * `multipleStatements`, so a StatementBatch reaches the database in one round trip. Kept apart from
 * the main pool on purpose: every statement it runs is the checkout's own parameterised SQL, so
 * no other code path gains the ability to stack statements. mysql2's `trace` is off here: it captures
 * a stack for every query (3 % of the api's CPU under checkout load) only to show the caller when
 * a query fails, and a checkout's statements are all in one place (RedemptionsService.checkoutIn).
 */
export function batchedDataSourceOptions(config: AppConfig): MysqlDataSourceOptions {
  const { replication: _replication, ...primary } = dataSourceOptions(
    config,
    'mysql',
  ) as MysqlDataSourceOptions;
  return {
    ...primary,
    ...credentials(config.database),
    migrations: [],
    multipleStatements: true,
    trace: false,
  };
}
