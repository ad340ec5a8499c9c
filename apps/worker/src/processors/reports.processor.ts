import { AppConfig } from '@charity/config';
import { DatabaseDeadline, withDatabaseDeadline } from '@charity/database';
import { ReportExportsService } from '@charity/reports';
import { QUEUES, REPORT_JOBS, type MonthlyArchiveJob, type ReportExportJob } from '@charity/queue';
import { OnQueueFailed, Process, Processor } from '@nestjs/bull';
import { Logger } from '@nestjs/common';
import type { Job } from 'bull';

/**
 * Report exports and the monthly archive. A worker that dies mid-export leaves its job stalled;
 * Bull hands it to a live worker, which renders again and completes the export once.
 */
@Processor(QUEUES.reports)
export class ReportsProcessor {
  private readonly logger = new Logger(ReportsProcessor.name);

  constructor(
    private readonly exports: ReportExportsService,
    private readonly config: AppConfig,
  ) {}

  /**
   * Bounded by DATABASE_REPORT_TIMEOUT_MS, as the api bounds a report: a database that stops
   * answering fails the attempt (Bull tries again later) instead of holding the job for as long.
   */
  @Process(REPORT_JOBS.export)
  async export(job: Job<ReportExportJob>): Promise<{ id: number; bytes: number | null }> {
    const deadline = new DatabaseDeadline(this.config.databaseTimeouts.reportMs);
    const done = await withDatabaseDeadline(deadline, () =>
      this.exports.run(job.data.exportId, async (percent) => {
        await job.progress(percent);
        await pauseForTests();
      }),
    );
    return { id: job.data.exportId, bytes: done?.bytes ?? null };
  }

  @Process(REPORT_JOBS.monthlyArchive)
  async archive(job: Job<MonthlyArchiveJob>): Promise<{ exports: number[] }> {
    return { exports: await this.exports.archiveMonth(job.data.month) };
  }

  /** Once Bull gives up on an export, its row says so instead of staying `running`. */
  @OnQueueFailed()
  async failed(job: Job<ReportExportJob>, error: Error): Promise<void> {
    if (job.name !== REPORT_JOBS.export) return;
    if (job.attemptsMade < (job.opts.attempts ?? 1)) return;
    this.logger.error(`report export ${job.data.exportId} failed: ${error.message}`);
    await this.exports.fail(job.data.exportId, error.message);
  }
}

/**
 * REPORT_EXPORT_STEP_DELAY_MS slows each export step, so the restart test can kill a worker
 * mid-export. Unset (as everywhere but that test) it costs nothing.
 */
async function pauseForTests(): Promise<void> {
  const ms = Number(process.env.REPORT_EXPORT_STEP_DELAY_MS ?? 0);
  if (ms > 0) await new Promise((resolve) => setTimeout(resolve, ms));
}
