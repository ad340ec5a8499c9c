import { AppConfig } from '@charity/config';
import { MAINTENANCE_JOBS, QUEUES, SCHEDULES, type AuditRetentionJob } from '@charity/queue';
import { InjectQueue } from '@nestjs/bull';
import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import type { Queue } from 'bull';

/** Registers the repeatable jobs; Bull keys them by id and cron, so restarts do not duplicate them. */
@Injectable()
export class Schedules implements OnApplicationBootstrap {
  private readonly logger = new Logger(Schedules.name);

  constructor(
    @InjectQueue(QUEUES.maintenance) private readonly maintenance: Queue,
    private readonly config: AppConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const payload: AuditRetentionJob = {};
    await this.maintenance.add(MAINTENANCE_JOBS.auditRetention, payload, {
      jobId: SCHEDULES.auditRetention.jobId,
      repeat: { cron: SCHEDULES.auditRetention.cron, tz: this.config.timeZone },
    });
    this.logger.log(
      `scheduled ${MAINTENANCE_JOBS.auditRetention} at "${SCHEDULES.auditRetention.cron}" ${this.config.timeZone}`,
    );
  }
}
