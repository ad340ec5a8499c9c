import { AppConfig, loadConfig } from '@charity/config';
import { PointsLedger } from '@charity/households';
import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import Redis from 'ioredis';
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
  /**
   * Empties every table (except the migration log) so each test starts from nothing, and the
   * rate limiters' counts with them: user ids start again from 1.
   */
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
  try {
    await app.init();
  } catch (error) {
    // a refused start (production's checks) must not leave pools and queues open
    await app.close().catch(() => undefined);
    throw error;
  }
  const dataSource = app.get(DataSource);
  const http = request(app.getHttpServer());
  const config = app.get(AppConfig);
  const redis = new Redis(config.redis.url, { lazyConnect: true, maxRetriesPerRequest: 1 });
  return {
    app,
    http,
    dataSource,
    config,
    given: new Given(app, http),
    reset: async () => {
      await truncateAll(dataSource);
      await clearRateLimits(redis, config.queuePrefix);
      // the policy row is gone: the ledger must not keep answering from its copy
      app.get(PointsLedger).forgetPolicy();
    },
    close: async () => {
      redis.disconnect();
      await app.close();
    },
  };
}

/** Forgets every login and lookup count under this worker's prefix. */
async function clearRateLimits(redis: Redis, queuePrefix: string): Promise<void> {
  const stream = redis.scanStream({ match: `${queuePrefix}:throttle:*`, count: 1000 });
  for await (const keys of stream as AsyncIterable<string[]>) {
    if (keys.length > 0) await redis.unlink(...keys);
  }
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
