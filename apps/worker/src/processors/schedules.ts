import { AppConfig } from '@charity/config';
import {
  describeSchedule,
  missingSchedules,
  QUEUES,
  type QueueName,
  type ScheduledJob,
} from '@charity/queue';
import { InjectQueue } from '@nestjs/bull';
import {
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import type { Queue } from 'bull';

/**
 * Keeps the repeatable jobs (SCHEDULED_JOBS) registered. Bull keys them by name, id, time zone and
 * cron, so registering one again changes nothing, and several workers do not duplicate them.
 * They live only in Redis: a Redis restarted empty (or flushed) has none, and nothing would fire
 * again while the worker, reconnected, looks healthy. So the worker looks again whenever a queue's
 * Redis connection is ready after a reconnect, and every SCHEDULE_CHECK_INTERVAL_MS in any case
 * (a Redis emptied without dropping the connection), and registers what is missing.
 */
@Injectable()
export class Schedules implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(Schedules.name);
  private readonly queues: Record<QueueName, Queue>;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | null = null;
  /** A check asked for while one runs: it runs again after, as the first may predate a reconnect. */
  private again = false;
  private readonly onReady = () => void this.check('Redis connection ready again');

  constructor(
    @InjectQueue(QUEUES.maintenance) maintenance: Queue,
    @InjectQueue(QUEUES.documents) documents: Queue,
    @InjectQueue(QUEUES.points) points: Queue,
    @InjectQueue(QUEUES.reports) reports: Queue,
    private readonly config: AppConfig,
  ) {
    this.queues = { maintenance, documents, points, reports };
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.registerMissing('start');
    for (const queue of Object.values(this.queues)) queue.client.on('ready', this.onReady);
    this.timer = setInterval(() => void this.check('periodic check'), this.config.scheduleCheckMs);
  }

  /** Before Bull closes the queues (at application shutdown). */
  onModuleDestroy(): void {
    clearInterval(this.timer);
    for (const queue of Object.values(this.queues)) queue.client.off('ready', this.onReady);
  }

  /** Registers what is missing; never rejects (a Redis still away is logged and tried again). */
  check(reason: string): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = this.registerMissing(reason)
      .catch((error: unknown) =>
        this.logger.warn(`could not check the schedules (${reason}): ${String(error)}`),
      )
      .finally(() => {
        this.running = null;
        if (this.again) {
          this.again = false;
          void this.check(reason);
        }
      });
    return this.running;
  }

  private async registerMissing(reason: string): Promise<void> {
    const missing = await missingSchedules((name) => this.queues[name], this.config.timeZone);
    if (missing.length === 0) return;
    if (reason !== 'start') {
      this.logger.warn(
        `schedules missing from Redis (${reason}): ${missing.map(describeSchedule).join(', ')}; registering them again`,
      );
    }
    for (const schedule of missing) await this.register(schedule);
  }

  private async register(schedule: ScheduledJob): Promise<void> {
    await this.queues[schedule.queue].add(
      schedule.name,
      {},
      { jobId: schedule.jobId, repeat: { cron: schedule.cron, tz: this.config.timeZone } },
    );
    this.logger.log(`scheduled ${schedule.name} at "${schedule.cron}" ${this.config.timeZone}`);
  }
}
