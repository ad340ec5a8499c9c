import { AuditService } from '@charity/audit';
import { AppConfig } from '@charity/config';
import { StockService } from '@charity/inventory';
import {
  MAINTENANCE_JOBS,
  QUEUES,
  type AuditRetentionJob,
  type AuditRetentionResult,
  type ExpiryWriteOffJob,
  type ExpiryWriteOffResult,
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
    private readonly stock: StockService,
  ) {}

  /** Removes audit entries older than the retention period (AUDIT_RETENTION_DAYS). */
  @Process(MAINTENANCE_JOBS.auditRetention)
  async purgeAuditLog(job: Job<AuditRetentionJob>): Promise<AuditRetentionResult> {
    const retentionDays = job.data.retentionDays ?? this.config.auditRetentionDays;
    const removed = await this.audit.purgeOlderThan(retentionDays);
    this.logger.log(`audit retention: removed ${removed} entries older than ${retentionDays} days`);
    return { removed, retentionDays };
  }

  /** Writes off every lot past its expiry with `expiry_writeoff` movements, so waste is counted. */
  @Process(MAINTENANCE_JOBS.expiryWriteOff)
  async writeOffExpired(job: Job<ExpiryWriteOffJob>): Promise<ExpiryWriteOffResult> {
    const today = job.data.today ?? this.stock.today();
    const result = await this.stock.writeOffExpired(today);
    return { today, ...result };
  }
}
