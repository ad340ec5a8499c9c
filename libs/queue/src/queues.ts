/** Queue names and the payload each job carries. Producers and processors import these only. */
export const QUEUES = {
  maintenance: 'maintenance',
  documents: 'documents',
  // 发放, expiry and batch posting: long runs that must not hold up the maintenance jobs
  points: 'points',
  // report exports: minutes of rendering must not hold up receipts
  reports: 'reports',
} as const;
export type QueueName = (typeof QUEUES)[keyof typeof QUEUES];

export const MAINTENANCE_JOBS = {
  auditRetention: 'audit-retention',
  expiryWriteOff: 'expiry-writeoff',
} as const;

export const DOCUMENT_JOBS = {
  donationReceipt: 'donation-receipt',
  annualDonorStatements: 'annual-donor-statements',
  redemptionReceipt: 'redemption-receipt',
} as const;

export interface RedemptionReceiptJob {
  redemptionId: number;
}

/** One render per redemption and state, as for donation receipts. */
export const redemptionReceiptJobId = (redemptionId: number, status: string): string =>
  `redemption-receipt:${redemptionId}:${status}`;

export const POINTS_JOBS = {
  allotment: 'points-allotment',
  expiry: 'points-expiry',
  postAwardBatches: 'post-award-batches',
} as const;

export interface PointsAllotmentJob {
  /** The month to pay (`YYYY-MM`); defaults to the current month in the county. */
  month?: string;
}

export interface PointsAllotmentResult {
  month: string;
  /** Households paid by this run. */
  households: number;
  points: number;
  /** Households already paid for the month (an earlier or concurrent run). */
  skipped: number;
}

/**
 * One queued run per month: Bull ignores a second add with an id it still holds, so a double
 * click queues one run. The run itself pays each household once whatever Bull does.
 */
export const pointsAllotmentJobId = (month: string): string => `points-allotment:${month}`;

export interface PointsExpiryJob {
  /** Local date whose due grants expire; defaults to today in the county. */
  today?: string;
}

export interface PointsExpiryResult {
  today: string;
  households: number;
  points: number;
}

export interface PostAwardBatchesJob {
  /** Local date by which a batch's notice period must have ended; defaults to today. */
  today?: string;
}

export interface PostAwardBatchesResult {
  today: string;
  posted: number;
  failed: number;
}

export interface AnnualDonorStatementsJob {
  /** The year to cover; defaults to the previous calendar year in the county. */
  year?: number;
}

export interface DonationReceiptJob {
  donationId: number;
}

/**
 * One job per donation and state: Bull ignores a second add with an id it still holds, so a
 * retried request cannot queue two renders, while a void (new state) queues a fresh one.
 */
export const donationReceiptJobId = (donationId: number, status: string): string =>
  `donation-receipt:${donationId}:${status}`;

export interface AuditRetentionJob {
  /** Overrides AUDIT_RETENTION_DAYS for this run (used by tests and manual runs). */
  retentionDays?: number;
}

export interface AuditRetentionResult {
  removed: number;
  retentionDays: number;
}

export interface ExpiryWriteOffJob {
  /** Local date whose earlier expiries are written off; defaults to today in the county. */
  today?: string;
}

export interface ExpiryWriteOffResult {
  today: string;
  lots: number;
  units: number;
  valueFen: number;
}

/** Cron schedules, in the county's time zone. */
export const REPORT_JOBS = {
  export: 'report-export',
  monthlyArchive: 'monthly-archive',
} as const;

export interface ReportExportJob {
  exportId: number;
}

/**
 * One job per export row, so a re-run schedule never queues it twice. The row's creation time is
 * part of the id: a database restored or emptied (as tests do) numbers rows from 1 again, and Bull
 * would silently drop a job whose id it still remembers.
 */
export const reportExportJobId = (exportId: number, createdAt: Date): string =>
  `report-export:${exportId}:${createdAt.getTime()}`;

export interface MonthlyArchiveJob {
  /** The month to archive; defaults to the month before the one the job fires in. */
  month?: string;
}

export const SCHEDULES = {
  auditRetention: { jobId: 'audit-retention-nightly', cron: '30 3 * * *' },
  // just after local midnight, so yesterday's last-day goods are gone before the shops open
  expiryWriteOff: { jobId: 'expiry-writeoff-nightly', cron: '5 0 * * *' },
  // early January, for the year just ended
  annualDonorStatements: { jobId: 'annual-donor-statements', cron: '0 2 5 1 *' },
  // after the stock write-off; points whose date has come are gone before the shops open
  pointsExpiry: { jobId: 'points-expiry-nightly', cron: '10 0 * * *' },
  // 发放 on the 1st, after that night's expiry, so the month starts with fresh points
  pointsAllotment: { jobId: 'points-allotment-monthly', cron: '30 0 1 * *' },
  // 积分评定 batches whose 公示 has ended take effect before the shops open
  postAwardBatches: { jobId: 'post-award-batches-nightly', cron: '0 1 * * *' },
  // the previous month's county report as PDF and XLSX, once its last writes have settled
  monthlyArchive: { jobId: 'monthly-report-archive', cron: '0 2 2 * *' },
} as const;

/** Completed jobs kept for inspection; `removeOnComplete: true` can make job.finished() hang. */
export const KEEP_COMPLETED_JOBS = 1000;
export const KEEP_FAILED_JOBS = 5000;
