import type { AppConfig } from '@charity/config';
import { ThrottlerStorageRedisService } from '@nest-lab/throttler-storage-redis';

/**
 * Login attempts are counted in Redis, so every api replica sees the same count and a restart
 * does not forgive a guesser. The keys carry the queue prefix: instances and test workers that
 * share one Redis keep their own counts.
 */
export function createLoginThrottlerStorage(config: AppConfig): ThrottlerStorageRedisService {
  return new ThrottlerStorageRedisService({
    host: config.redis.host,
    port: config.redis.port,
    password: config.redis.password,
    db: config.redis.db,
    tls: config.redis.tls ? {} : undefined,
    keyPrefix: `${config.queuePrefix}:throttle:`,
    // while Redis is away a login fails after a few reconnects instead of hanging for ~20
    maxRetriesPerRequest: 3,
  });
}
