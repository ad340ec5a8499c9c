import type { AppConfig } from '@charity/config';
import type { DataSourceOptions } from 'typeorm';
import type { ServerType } from './database-lifecycle';
import { ENTITIES } from './entities';
import { MIGRATIONS } from './migrations';
import { SnakeNamingStrategy } from './snake-naming.strategy';

export function dataSourceOptions(config: AppConfig, type: ServerType): DataSourceOptions {
  return {
    type,
    host: config.database.host,
    port: config.database.port,
    username: config.database.username,
    password: config.database.password,
    database: config.database.database,
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
  };
}
