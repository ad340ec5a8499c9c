import type { Queue } from 'bull';
import {
  DOCUMENT_JOBS,
  MAINTENANCE_JOBS,
  POINTS_JOBS,
  QUEUES,
  REPORT_JOBS,
  SCHEDULES,
  type QueueName,
} from './queues';

/** A repeatable job the worker keeps registered in Redis: its queue, job name, id and cron. */
export interface ScheduledJob {
  queue: QueueName;
  name: string;
  jobId: string;
  cron: string;
}

/**
 * Every schedule, in the county's time zone. Their payloads are empty: each firing works out
 * its own day or month (the allotment pays the month it fires in, the archive the month before).
 */
export const SCHEDULED_JOBS: readonly ScheduledJob[] = [
  { queue: QUEUES.maintenance, name: MAINTENANCE_JOBS.auditRetention, ...SCHEDULES.auditRetention },
  { queue: QUEUES.maintenance, name: MAINTENANCE_JOBS.expiryWriteOff, ...SCHEDULES.expiryWriteOff },
  {
    queue: QUEUES.documents,
    name: DOCUMENT_JOBS.annualDonorStatements,
    ...SCHEDULES.annualDonorStatements,
  },
  { queue: QUEUES.points, name: POINTS_JOBS.expiry, ...SCHEDULES.pointsExpiry },
  { queue: QUEUES.points, name: POINTS_JOBS.allotment, ...SCHEDULES.pointsAllotment },
  { queue: QUEUES.points, name: POINTS_JOBS.postAwardBatches, ...SCHEDULES.postAwardBatches },
  { queue: QUEUES.reports, name: REPORT_JOBS.monthlyArchive, ...SCHEDULES.monthlyArchive },
];

/** How a schedule reads in logs and health answers. */
export function describeSchedule(schedule: ScheduledJob): string {
  return `${schedule.queue}/${schedule.name} (${schedule.cron})`;
}

/**
 * The schedules Redis does not hold: Bull keeps each as an entry of its queue's `repeat` set
 * (name, job id, time zone and cron), which a Redis restarted empty or flushed has lost, and then
 * nothing fires them again until they are added anew.
 */
export async function missingSchedules(
  queueOf: (name: QueueName) => Queue,
  timeZone: string,
): Promise<ScheduledJob[]> {
  const names = [...new Set(SCHEDULED_JOBS.map((schedule) => schedule.queue))];
  const registered = new Map(
    await Promise.all(
      names.map(async (name) => [name, await queueOf(name).getRepeatableJobs()] as const),
    ),
  );
  return SCHEDULED_JOBS.filter(
    (schedule) =>
      !registered
        .get(schedule.queue)
        ?.some(
          (job) =>
            job.name === schedule.name &&
            job.id === schedule.jobId &&
            job.cron === schedule.cron &&
            job.tz === timeZone,
        ),
  );
}
