import { AuditService } from '@charity/audit';
import { AppConfig } from '@charity/config';
import {
  MAINTENANCE_JOBS,
  QUEUES,
  type AuditRetentionJob,
  type AuditRetentionResult,
} from '@charity/queue';
import { Process, Processor } from '@nestjs/bull';
import { Logger } from '@nestjs/common';
import type { Job } from 'bull';

@Processor(QUEUES.maintenance)
export class MaintenanceProcessor {
  private readonly logger = new Logger(MaintenanceProcessor.name);

  constructor(
    private readonly audit: AuditService,
    private readonly config: AppConfig,
  ) {}

  /** Removes audit entries older than the retention period (AUDIT_RETENTION_DAYS). */
  @Process(MAINTENANCE_JOBS.auditRetention)
  async purgeAuditLog(job: Job<AuditRetentionJob>): Promise<AuditRetentionResult> {
    const retentionDays = job.data.retentionDays ?? this.config.auditRetentionDays;
    const removed = await this.audit.purgeOlderThan(retentionDays);
    this.logger.log(`audit retention: removed ${removed} entries older than ${retentionDays} days`);
    return { removed, retentionDays };
  }
}
