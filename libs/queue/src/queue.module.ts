import { AppConfig } from '@charity/config';
import { BullModule } from '@nestjs/bull';
import { Module } from '@nestjs/common';
import Redis, { type RedisOptions } from 'ioredis';
import { KEEP_COMPLETED_JOBS, KEEP_FAILED_JOBS, QUEUES } from './queues';

const queueModules = Object.values(QUEUES).map((name) => BullModule.registerQueue({ name }));

/**
 * Bull on Redis. Every connection role gets its own client: Bull's blocking and subscriber
 * connections must not be shared and need `maxRetriesPerRequest: null`.
 */
@Module({
  imports: [
    BullModule.forRootAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => ({
        prefix: config.queuePrefix,
        createClient: (type: 'client' | 'subscriber' | 'bclient', options?: RedisOptions) =>
          new Redis(config.redis.url, {
            ...options,
            ...(type === 'client' ? {} : { maxRetriesPerRequest: null, enableReadyCheck: false }),
          }),
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
