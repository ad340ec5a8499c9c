import { AppConfig } from '@charity/config';
import { BullModule } from '@nestjs/bull';
import { Module } from '@nestjs/common';
import { KEEP_COMPLETED_JOBS, KEEP_FAILED_JOBS, QUEUES } from './queues';

const RECONNECT_MAX_DELAY_MS = 2000;

const queueModules = Object.values(QUEUES).map((name) => BullModule.registerQueue({ name }));

/**
 * Bull on Redis. Bull is given connection options, not clients: it then opens its own client,
 * subscriber and blocking connections with the options each needs (a shared ioredis instance
 * breaks the blocking ones) and closes them all when the queue closes.
 */
@Module({
  imports: [
    BullModule.forRootAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => ({
        prefix: config.queuePrefix,
        redis: {
          host: config.redis.host,
          port: config.redis.port,
          password: config.redis.password,
          db: config.redis.db,
          tls: config.redis.tls ? {} : undefined,
          // reconnect every 2 s at most while Redis is away (Bull's own backoff grows to 20 s), so
          // the queues work again within 2 s of its return
          retryStrategy: (attempt: number) => Math.min(attempt * 100, RECONNECT_MAX_DELAY_MS),
        },
        // a job whose worker died is stalled once its lock runs out, and a live worker retries it
        settings: { lockDuration: config.queueLockMs, stalledInterval: config.queueLockMs },
        defaultJobOptions: {
          attempts: 5,
          backoff: { type: 'exponential', delay: 2000 },
          removeOnComplete: KEEP_COMPLETED_JOBS,
          removeOnFail: KEEP_FAILED_JOBS,
        },
      }),
    }),
    ...queueModules,
  ],
  exports: queueModules,
})
export class QueueModule {}
