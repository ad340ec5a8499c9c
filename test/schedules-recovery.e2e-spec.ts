import { AppConfig, loadConfig } from '@charity/config';
import { missingSchedules, QUEUES, SCHEDULED_JOBS, type QueueName } from '@charity/queue';
import { getQueueToken } from '@nestjs/bull';
import { Test, type TestingModule } from '@nestjs/testing';
import type { Queue } from 'bull';
import Redis from 'ioredis';
import { WorkerModule } from '../apps/worker/src/worker.module';
import { eventually } from './support/eventually';
import { FaultProxy } from './support/fault-proxy';
import { createTestApp, type TestApp } from './support/test-app';

// A Redis restarted empty has lost the schedules, which live only there. Redis here is shared
// with other tests, so "restarted empty" is: every key under this worker's prefix deleted (never
// FLUSHDB), with the worker's connections cut by a proxy in between where a restart would cut them.

const config = loadConfig(process.env);

async function startWorker(env: Record<string, string>): Promise<TestingModule> {
  const worker = await Test.createTestingModule({ imports: [WorkerModule] })
    .overrideProvider(AppConfig)
    .useValue(loadConfig({ ...process.env, ...env }))
    .compile();
  await worker.init();
  return worker;
}

/** Deletes every key under the prefix, as a Redis restarted without its data would have none. */
async function emptyRedis(): Promise<void> {
  const redis = new Redis(config.redis.url, { lazyConnect: true, maxRetriesPerRequest: 3 });
  try {
    await redis.connect();
    const stream = redis.scanStream({ match: `${config.queuePrefix}:*`, count: 1000 });
    for await (const keys of stream as AsyncIterable<string[]>) {
      if (keys.length > 0) await redis.unlink(...keys);
    }
  } finally {
    redis.disconnect();
  }
}

describe('schedules after Redis restarts empty', () => {
  let t: TestApp;
  let worker: TestingModule | null = null;
  let proxy: FaultProxy | null = null;

  const queueOf = (name: QueueName) => t.app.get<Queue>(getQueueToken(name));
  const missing = () => missingSchedules(queueOf, config.timeZone);
  const healthy = () =>
    eventually(async () => {
      const response = await t.http.get('/health/worker');
      return response.status === 200 ? response : undefined;
    });

  beforeAll(async () => {
    t = await createTestApp();
  });

  afterEach(async () => {
    await worker?.close();
    worker = null;
    await proxy?.close();
    proxy = null;
  });

  afterAll(() => t.close());

  it('names on /health/worker the schedules Redis has lost', async () => {
    // a worker that would not look again for an hour
    worker = await startWorker({ SCHEDULE_CHECK_INTERVAL_MS: '3600000' });
    const up = await healthy();
    expect(up.body.info.worker).toMatchObject({ status: 'up', schedules: { missing: [] } });

    await emptyRedis();
    const response = await t.http.get('/health/worker');
    expect(response.status).toBe(503);
    const expected = SCHEDULED_JOBS.map(
      (schedule) => `${schedule.queue}/${schedule.name} (${schedule.cron})`,
    );
    expect(response.body.error.worker).toMatchObject({
      status: 'down',
      // the worker itself still listens on every queue
      workers: { maintenance: 1, documents: 1, points: 1, reports: 1 },
      schedules: { missing: expected },
    });
    for (const name of expected) expect(response.body.error.worker.message).toContain(name);
    expect(response.body.error.worker.message).toContain('schedules missing from Redis');
  });

  it('registers them again once the worker is connected to the restarted Redis', async () => {
    proxy = await FaultProxy.start({ host: config.redis.host, port: config.redis.port });
    worker = await startWorker({
      REDIS_URL: proxy.route(config.redis.url),
      SCHEDULE_CHECK_INTERVAL_MS: '3600000',
    });
    await healthy();
    expect(await missing()).toEqual([]);

    // Redis goes down and comes back without its data
    await proxy.kill();
    await emptyRedis();
    expect(await missing()).toHaveLength(SCHEDULED_JOBS.length);
    await proxy.resume();

    const back = await healthy();
    expect(back.body.info.worker).toMatchObject({ status: 'up', schedules: { missing: [] } });
    expect(await missing()).toEqual([]);
    // each once, in the county's time zone
    const points = await queueOf(QUEUES.points).getRepeatableJobs();
    expect(points.map((job) => job.tz)).toEqual([
      'Asia/Shanghai',
      'Asia/Shanghai',
      'Asia/Shanghai',
    ]);
  }, 60_000);

  it('registers them again at its periodic check when Redis was emptied under a live connection', async () => {
    worker = await startWorker({ SCHEDULE_CHECK_INTERVAL_MS: '500' });
    await healthy();
    await emptyRedis();
    await eventually(async () => ((await missing()).length === 0 ? true : undefined));
    expect((await healthy()).status).toBe(200);
  });
});
