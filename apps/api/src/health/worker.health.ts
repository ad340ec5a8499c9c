import { QUEUES } from '@charity/queue';
import { InjectQueue } from '@nestjs/bull';
import { Injectable } from '@nestjs/common';
import { HealthIndicatorService, type HealthIndicatorResult } from '@nestjs/terminus';
import type { Queue } from 'bull';
import { withinMs } from './redis.health';

/**
 * Whether a worker process is taking jobs from every queue: Bull names each worker's blocking
 * Redis connection after its queue, so Redis's client list shows who is listening. A Redis that
 * refuses CLIENT LIST (some hosted ones) cannot tell; the queue then counts as null, not down.
 */
@Injectable()
export class WorkerHealthIndicator {
  private readonly queues: Queue[];

  constructor(
    private readonly indicators: HealthIndicatorService,
    @InjectQueue(QUEUES.maintenance) maintenance: Queue,
    @InjectQueue(QUEUES.documents) documents: Queue,
    @InjectQueue(QUEUES.points) points: Queue,
    @InjectQueue(QUEUES.reports) reports: Queue,
  ) {
    this.queues = [maintenance, documents, points, reports];
  }

  async check(key: string): Promise<HealthIndicatorResult> {
    const indicator = this.indicators.check(key);
    try {
      const counts = Object.fromEntries(
        await Promise.all(
          this.queues.map(async (queue) => {
            const workers = (await withinMs(queue.getWorkers())) as unknown[] | undefined;
            return [queue.name, workers ? workers.length : null] as const;
          }),
        ),
      );
      const idle = Object.keys(counts).filter((name) => counts[name] === 0);
      if (idle.length === 0) return indicator.up({ workers: counts });
      return indicator.down({
        workers: counts,
        message: `no worker is taking jobs from ${idle.join(', ')}: their jobs wait until one starts`,
      });
    } catch (error) {
      return indicator.down({ message: error instanceof Error ? error.message : String(error) });
    }
  }
}
