import { AppConfig, loadConfig } from '@charity/config';
import { PointsLedger } from '@charity/households';
import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import type TestAgent from 'supertest/lib/agent';
import { DataSource } from 'typeorm';
import { ApiModule } from '../../apps/api/src/api.module';
import { configureApp } from '../../apps/api/src/configure-app';
import { Given } from './given';

export interface TestApp {
  app: INestApplication;
  http: TestAgent;
  dataSource: DataSource;
  config: AppConfig;
  given: Given;
  /** Empties every table (except the migration log) so each test starts from nothing. */
  reset(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Boots the real api (MariaDB/MySQL + Redis) in-process, as main.ts does; `env` overrides
 * variables of the test environment for this app only (a proxied DATABASE_URL, a limit).
 */
export async function createTestApp(env: Record<string, string> = {}): Promise<TestApp> {
  const moduleRef = await Test.createTestingModule({ imports: [ApiModule] })
    .overrideProvider(AppConfig)
    .useValue(loadConfig({ ...process.env, ...env }))
    .compile();
  const app = moduleRef.createNestApplication({ bodyParser: false });
  configureApp(app);
  await app.init();
  const dataSource = app.get(DataSource);
  const http = request(app.getHttpServer());
  return {
    app,
    http,
    dataSource,
    config: app.get(AppConfig),
    given: new Given(app, http),
    reset: async () => {
      await truncateAll(dataSource);
      // the policy row is gone: the ledger must not keep answering from its copy
      app.get(PointsLedger).forgetPolicy();
    },
    close: () => app.close(),
  };
}

export async function truncateAll(dataSource: DataSource): Promise<void> {
  const database = dataSource.options.database as string;
  if (!database.includes('test')) throw new Error(`refusing to truncate ${database}`);
  const tables = await dataSource.query<{ name: string }[]>(
    "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = ? AND table_type = 'BASE TABLE' AND table_name <> 'migrations'",
    [database],
  );
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.query('SET FOREIGN_KEY_CHECKS = 0');
    for (const { name } of tables) await runner.query(`TRUNCATE TABLE \`${name}\``);
    await runner.query('SET FOREIGN_KEY_CHECKS = 1');
  } finally {
    await runner.release();
  }
}
