import type { AppConfig } from '@charity/config';
import { ThrottlerStorageRedisService } from '@nest-lab/throttler-storage-redis';
import { Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import type { ThrottlerStorage } from '@nestjs/throttler';
import Redis from 'ioredis';
import { withinMs } from '@charity/queue';

/** How long a limiter waits for Redis before it lets the request through uncounted. */
const REDIS_ANSWER_MS = 1000;
/** How long start-up waits for the first connection, so the first requests are counted too. */
const FIRST_CONNECTION_MS = 2000;
/** While Redis stays away, the warning is repeated at most this often. */
const WARNING_EVERY_MS = 60_000;

type Hits = Awaited<ReturnType<ThrottlerStorage['increment']>>;

const UNCOUNTED: Hits = { totalHits: 0, timeToExpire: 0, isBlocked: false, timeToBlockExpire: 0 };

/**
 * The rate limiters' counts (login attempts, household lookups), kept in Redis so every api
 * replica sees the same count and a restart does not forgive a guesser. The keys carry the queue
 * prefix: instances and test workers that share one Redis keep their own counts.
 *
 * A limiter never stops the work it guards: while Redis is unreachable, or does not answer within
 * REDIS_ANSWER_MS, a request goes through uncounted and a warning is logged (again once a minute
 * while it lasts). Commands are never queued for a reconnect (`enableOfflineQueue: false`), so
 * while Redis is down a request loses no time at all, and while it is frozen at most a second.
 */
export class RateLimitStorage implements ThrottlerStorage, OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(RateLimitStorage.name);
  private readonly redis: Redis;
  private readonly counts: ThrottlerStorageRedisService;
  private lastWarningAt = 0;
  /** Requests let through uncounted since Redis last answered. */
  private uncounted = 0;

  constructor(config: AppConfig) {
    this.redis = new Redis({
      host: config.redis.host,
      port: config.redis.port,
      password: config.redis.password,
      db: config.redis.db,
      tls: config.redis.tls ? {} : undefined,
      keyPrefix: `${config.queuePrefix}:throttle:`,
      lazyConnect: true,
      enableOfflineQueue: false,
      commandTimeout: REDIS_ANSWER_MS,
      maxRetriesPerRequest: 0,
    });
    // ioredis keeps reconnecting by itself; without a listener it would print each failure
    this.redis.on('error', (error: Error) => this.warn(error));
    this.counts = new ThrottlerStorageRedisService(this.redis);
  }

  async onModuleInit(): Promise<void> {
    try {
      await withinMs(this.redis.connect(), FIRST_CONNECTION_MS);
    } catch (error) {
      this.warn(error);
    }
  }

  onModuleDestroy(): void {
    this.redis.disconnect();
  }

  async increment(
    key: string,
    ttl: number,
    limit: number,
    blockDuration: number,
    throttlerName: string,
  ): Promise<Hits> {
    try {
      const hits = await this.counts.increment(key, ttl, limit, blockDuration, throttlerName);
      if (this.uncounted > 0) {
        this.logger.log(`Redis answers the rate limiters again (${this.uncounted} uncounted)`);
        this.uncounted = 0;
        this.lastWarningAt = 0;
      }
      return hits;
    } catch (error) {
      this.uncounted += 1;
      this.warn(error);
      return UNCOUNTED;
    }
  }

  private warn(error: unknown): void {
    const now = Date.now();
    if (now - this.lastWarningAt < WARNING_EVERY_MS) return;
    this.lastWarningAt = now;
    const reason = error instanceof Error ? error.message : String(error);
    this.logger.warn(
      `Redis does not answer the rate limiters (${reason}): requests go through uncounted ` +
        `until it does (${this.uncounted} so far)`,
    );
  }
}
