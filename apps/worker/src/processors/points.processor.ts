import { businessMonth } from '@charity/common';
import { AppConfig } from '@charity/config';
import { AllotmentsService, PointAwardBatchesService, PointsLedger } from '@charity/households';
import {
  POINTS_JOBS,
  QUEUES,
  type PointsAllotmentJob,
  type PointsAllotmentResult,
  type PointsExpiryJob,
  type PointsExpiryResult,
  type PostAwardBatchesJob,
  type PostAwardBatchesResult,
} from '@charity/queue';
import { Process, Processor } from '@nestjs/bull';
import type { Job } from 'bull';

/**
 * The month a `points-allotment` job pays: the one it names, or the county's month at `now`
 * (the monthly schedule fires at 00:30 on the 1st, local time, which is still the last day of
 * the previous month in UTC).
 */
export function allotmentMonthOf(job: PointsAllotmentJob, now: Date, timeZone: string): string {
  return job.month ?? businessMonth(now, timeZone);
}

/**
 * 发放, expiry and the posting of 积分评定 batches. Each job is safe to run twice or to retry
 * after a crash: the services skip what is already done.
 */
@Processor(QUEUES.points)
export class PointsProcessor {
  constructor(
    private readonly allotments: AllotmentsService,
    private readonly ledger: PointsLedger,
    private readonly batches: PointAwardBatchesService,
    private readonly config: AppConfig,
  ) {}

  @Process(POINTS_JOBS.allotment)
  allot(job: Job<PointsAllotmentJob>): Promise<PointsAllotmentResult> {
    const month = allotmentMonthOf(job.data, new Date(), this.config.timeZone);
    return this.allotments.run(month, {
      onChunk: async (progress) => {
        await job.progress(progress);
      },
    });
  }

  @Process(POINTS_JOBS.expiry)
  expire(job: Job<PointsExpiryJob>): Promise<PointsExpiryResult> {
    return this.ledger.expireDue(job.data.today ?? this.ledger.today());
  }

  @Process(POINTS_JOBS.postAwardBatches)
  postAwardBatches(job: Job<PostAwardBatchesJob>): Promise<PostAwardBatchesResult> {
    return this.batches.postDue(job.data.today ?? this.ledger.today());
  }
}
