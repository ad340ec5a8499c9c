import { businessDate } from '@charity/common';
import { AppConfig } from '@charity/config';
import { DonationReceiptsService, DonorStatementsService } from '@charity/donations';
import { RedemptionReceiptsService } from '@charity/redemptions';
import {
  DOCUMENT_JOBS,
  QUEUES,
  type AnnualDonorStatementsJob,
  type DonationReceiptJob,
  type RedemptionReceiptJob,
} from '@charity/queue';
import { Process, Processor } from '@nestjs/bull';
import type { Job } from 'bull';

/** Renders receipts after their documents commit; Bull retries a failed render with backoff. */
@Processor(QUEUES.documents)
export class DocumentsProcessor {
  constructor(
    private readonly donationReceipts: DonationReceiptsService,
    private readonly donorStatements: DonorStatementsService,
    private readonly redemptionReceipts: RedemptionReceiptsService,
    private readonly config: AppConfig,
  ) {}

  @Process(DOCUMENT_JOBS.redemptionReceipt)
  async renderRedemptionReceipt(job: Job<RedemptionReceiptJob>): Promise<{ bytes: number }> {
    const pdf = await this.redemptionReceipts.render(job.data.redemptionId);
    return { bytes: pdf.length };
  }

  @Process(DOCUMENT_JOBS.donationReceipt)
  async renderDonationReceipt(job: Job<DonationReceiptJob>): Promise<{ bytes: number }> {
    const pdf = await this.donationReceipts.render(job.data.donationId);
    return { bytes: pdf.length };
  }

  /** Statements for donors who asked for annual receipts, for the year just ended. */
  @Process(DOCUMENT_JOBS.annualDonorStatements)
  async renderAnnualStatements(
    job: Job<AnnualDonorStatementsJob>,
  ): Promise<{ year: number; statements: number }> {
    const thisYear = Number(businessDate(new Date(), this.config.timeZone).slice(0, 4));
    return this.donorStatements.renderAnnual(job.data.year ?? thisYear - 1);
  }
}
