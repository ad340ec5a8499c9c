/** Queue names and the payload each job carries. Producers and processors import these only. */
export const QUEUES = {
  maintenance: 'maintenance',
  documents: 'documents',
} as const;
export type QueueName = (typeof QUEUES)[keyof typeof QUEUES];

export const MAINTENANCE_JOBS = {
  auditRetention: 'audit-retention',
  expiryWriteOff: 'expiry-writeoff',
} as const;

export const DOCUMENT_JOBS = {
  donationReceipt: 'donation-receipt',
  annualDonorStatements: 'annual-donor-statements',
} as const;

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
export const SCHEDULES = {
  auditRetention: { jobId: 'audit-retention-nightly', cron: '30 3 * * *' },
  // just after local midnight, so yesterday's last-day goods are gone before the shops open
  expiryWriteOff: { jobId: 'expiry-writeoff-nightly', cron: '5 0 * * *' },
  // early January, for the year just ended
  annualDonorStatements: { jobId: 'annual-donor-statements', cron: '0 2 5 1 *' },
} as const;

/** Completed jobs kept for inspection; `removeOnComplete: true` can make job.finished() hang. */
export const KEEP_COMPLETED_JOBS = 1000;
export const KEEP_FAILED_JOBS = 5000;
