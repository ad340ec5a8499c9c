import { AppConfig } from '@charity/config';
import {
  describeSchedule,
  missingSchedules,
  QUEUES,
  withinMs,
  type QueueName,
} from '@charity/queue';
import { InjectQueue } from '@nestjs/bull';
import { Injectable } from '@nestjs/common';
import { HealthIndicatorService, type HealthIndicatorResult } from '@nestjs/terminus';
import type { Queue } from 'bull';
import { PING_TIMEOUT_MS } from './redis.health';

/**
 * Whether a worker process is taking jobs from every queue, and whether Redis still holds every
 * schedule. Bull names each worker's blocking Redis connection after its queue, so Redis's client
 * list shows who is listening; a Redis that refuses CLIENT LIST (some hosted ones) cannot tell, and
 * the queue then counts as null, not down. Schedules live only in Redis: after a Redis restarted
 * empty they are missing until a worker registers them again (on reconnect, or at its next
 * periodic check), and this says which.
 */
@Injectable()
export class WorkerHealthIndicator {
  private readonly queues: Record<QueueName, Queue>;

  constructor(
    private readonly indicators: HealthIndicatorService,
    private readonly config: AppConfig,
    @InjectQueue(QUEUES.maintenance) maintenance: Queue,
    @InjectQueue(QUEUES.documents) documents: Queue,
    @InjectQueue(QUEUES.points) points: Queue,
    @InjectQueue(QUEUES.reports) reports: Queue,
  ) {
    this.queues = { maintenance, documents, points, reports };
  }

  async check(key: string): Promise<HealthIndicatorResult> {
    const indicator = this.indicators.check(key);
    try {
      const [counts, missing] = await Promise.all([
        this.workerCounts(),
        withinMs(
          missingSchedules((name) => this.queues[name], this.config.timeZone),
          PING_TIMEOUT_MS,
        ),
      ]);
      const idle = Object.keys(counts).filter((name) => counts[name] === 0);
      const schedules = { missing: missing.map(describeSchedule) };
      if (idle.length === 0 && missing.length === 0) {
        return indicator.up({ workers: counts, schedules });
      }
      const problems = [
        ...(idle.length > 0
          ? [`no worker is taking jobs from ${idle.join(', ')}: their jobs wait until one starts`]
          : []),
        ...(missing.length > 0
          ? [
              `schedules missing from Redis: ${schedules.missing.join(', ')}; they do not fire ` +
                'until a worker registers them again (on reconnecting to Redis, or at its next check)',
            ]
          : []),
      ];
      return indicator.down({ workers: counts, schedules, message: problems.join('; ') });
    } catch (error) {
      return indicator.down({ message: error instanceof Error ? error.message : String(error) });
    }
  }

  private async workerCounts(): Promise<Record<string, number | null>> {
    return Object.fromEntries(
      await Promise.all(
        Object.values(this.queues).map(async (queue) => {
          const workers = (await withinMs(queue.getWorkers(), PING_TIMEOUT_MS)) as
            unknown[] | undefined;
          return [queue.name, workers ? workers.length : null] as const;
        }),
      ),
    );
  }
}
