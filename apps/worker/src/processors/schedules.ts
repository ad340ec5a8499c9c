import { AppConfig } from '@charity/config';
import {
  DOCUMENT_JOBS,
  MAINTENANCE_JOBS,
  POINTS_JOBS,
  QUEUES,
  REPORT_JOBS,
  SCHEDULES,
  type AnnualDonorStatementsJob,
  type AuditRetentionJob,
  type ExpiryWriteOffJob,
  type MonthlyArchiveJob,
  type PointsAllotmentJob,
  type PointsExpiryJob,
  type PostAwardBatchesJob,
} from '@charity/queue';
import { InjectQueue } from '@nestjs/bull';
import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import type { Queue } from 'bull';

/** Registers the repeatable jobs; Bull keys them by id and cron, so restarts do not duplicate them. */
@Injectable()
export class Schedules implements OnApplicationBootstrap {
  private readonly logger = new Logger(Schedules.name);

  constructor(
    @InjectQueue(QUEUES.maintenance) private readonly maintenance: Queue,
    @InjectQueue(QUEUES.documents) private readonly documents: Queue,
    @InjectQueue(QUEUES.points) private readonly points: Queue,
    @InjectQueue(QUEUES.reports) private readonly reports: Queue,
    private readonly config: AppConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const auditRetention: AuditRetentionJob = {};
    await this.schedule(MAINTENANCE_JOBS.auditRetention, auditRetention, SCHEDULES.auditRetention);
    const expiryWriteOff: ExpiryWriteOffJob = {};
    await this.schedule(MAINTENANCE_JOBS.expiryWriteOff, expiryWriteOff, SCHEDULES.expiryWriteOff);
    const statements: AnnualDonorStatementsJob = {};
    await this.schedule(
      DOCUMENT_JOBS.annualDonorStatements,
      statements,
      SCHEDULES.annualDonorStatements,
      this.documents,
    );
    const pointsExpiry: PointsExpiryJob = {};
    await this.schedule(POINTS_JOBS.expiry, pointsExpiry, SCHEDULES.pointsExpiry, this.points);
    // no month in the payload: each firing pays the month it fires in
    const allotment: PointsAllotmentJob = {};
    await this.schedule(POINTS_JOBS.allotment, allotment, SCHEDULES.pointsAllotment, this.points);
    const awardBatches: PostAwardBatchesJob = {};
    await this.schedule(
      POINTS_JOBS.postAwardBatches,
      awardBatches,
      SCHEDULES.postAwardBatches,
      this.points,
    );
    // no month in the payload: each firing archives the month before the one it fires in
    const archive: MonthlyArchiveJob = {};
    await this.schedule(
      REPORT_JOBS.monthlyArchive,
      archive,
      SCHEDULES.monthlyArchive,
      this.reports,
    );
  }

  private async schedule(
    name: string,
    payload:
      | AuditRetentionJob
      | ExpiryWriteOffJob
      | AnnualDonorStatementsJob
      | PointsExpiryJob
      | PointsAllotmentJob
      | PostAwardBatchesJob
      | MonthlyArchiveJob,
    when: { jobId: string; cron: string },
    queue: Queue = this.maintenance,
  ): Promise<void> {
    await queue.add(name, payload, {
      jobId: when.jobId,
      repeat: { cron: when.cron, tz: this.config.timeZone },
    });
    this.logger.log(`scheduled ${name} at "${when.cron}" ${this.config.timeZone}`);
  }
}
