// Creates one fresh, migrated database per Jest worker before any suite runs.
// Jest does not apply moduleNameMapper to the global setup, so @charity/* resolve through tsconfig.
import 'tsconfig-paths/register';
import 'reflect-metadata';
import { loadConfig } from '@charity/config';
import { dataSourceOptions, ensureDatabase } from '@charity/database';
import { createConnection } from 'mysql2/promise';
import { DataSource } from 'typeorm';
import {
  assertTestDatabase,
  DEFAULT_DATABASE_URL,
  testDatabaseName,
  withDatabase,
} from './test-database';

interface JestGlobalConfig {
  maxWorkers: number;
}

async function prepare(baseUrl: string, workerId: number): Promise<void> {
  const database = testDatabaseName(workerId);
  assertTestDatabase(database);
  const config = loadConfig({
    NODE_ENV: 'test',
    DATABASE_URL: withDatabase(baseUrl, database),
  });
  const server = await createConnection({
    host: config.database.host,
    port: config.database.port,
    user: config.database.username,
    password: config.database.password,
  });
  try {
    await server.query(`DROP DATABASE IF EXISTS \`${database}\``);
  } finally {
    await server.end();
  }
  await ensureDatabase(config);
  const dataSource = await new DataSource(dataSourceOptions(config, 'mysql')).initialize();
  try {
    await dataSource.runMigrations({ transaction: 'each' });
  } finally {
    await dataSource.destroy();
  }
}

export default async function globalSetup(globalConfig: JestGlobalConfig): Promise<void> {
  // the e2e and web projects share these databases; Jest runs each project's setup in turn
  if (process.env.CHARITY_TEST_DATABASES_READY === '1') return;
  process.env.CHARITY_TEST_DATABASES_READY = '1';
  const baseUrl = process.env.DATABASE_URL ?? DEFAULT_DATABASE_URL;
  const workers = Array.from({ length: Math.max(1, globalConfig.maxWorkers) }, (_, i) => i + 1);
  await Promise.all(workers.map((id) => prepare(baseUrl, id)));
}
