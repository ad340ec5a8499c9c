// Runs in each e2e and web test file, after the test framework is installed.
import { loadConfig } from '@charity/config';
import Redis from 'ioredis';

/**
 * Each test file starts with nothing in Redis under its worker's prefix. Jobs an earlier file on
 * the same worker left waiting (receipt renders of a suite that ran no worker, say) would otherwise
 * run in this file's worker against this file's data and compete with its own jobs, and its login
 * throttle counts would carry over.
 */
beforeAll(async () => {
  const config = loadConfig(process.env);
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
});
