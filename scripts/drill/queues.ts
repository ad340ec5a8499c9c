// What the drill reads of the Bull queues straight from its own Redis.
import { QUEUES, type QueueName } from '@charity/queue';
import Redis from 'ioredis';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';

async function withRedis<T>(url: string, work: (redis: Redis) => Promise<T>): Promise<T> {
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    await redis.connect();
    return await work(redis);
  } finally {
    redis.disconnect();
  }
}

/** Repeatable jobs registered, all queues together (Bull keeps them in `<prefix>:<queue>:repeat`). */
export function schedules(url: string, prefix: string): Promise<number> {
  return withRedis(url, async (redis) => {
    let total = 0;
    for (const queue of Object.values(QUEUES)) {
      total += await redis.zcard(`${prefix}:${queue}:repeat`);
    }
    return total;
  });
}

/**
 * Waits until a queue has no job waiting or running, up to `withinMs`; resolves with the jobs
 * still there then (0 when it drained). Delayed jobs do not count: a repeatable job's next run
 * waits there.
 */
export async function drained(
  url: string,
  prefix: string,
  queue: QueueName,
  withinMs: number,
): Promise<number> {
  const started = performance.now();
  for (;;) {
    const left = await withRedis(url, async (redis) => {
      const [waiting, active] = await Promise.all([
        redis.llen(`${prefix}:${queue}:wait`),
        redis.llen(`${prefix}:${queue}:active`),
      ]);
      return waiting + active;
    });
    if (left === 0 || performance.now() - started > withinMs) return left;
    await sleep(250);
  }
}
