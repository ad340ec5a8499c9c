import type { EntityManager } from 'typeorm';
import { DomainError } from './domain-error';

/** A write dated inside a month the county union has closed (结账). */
export class MonthClosedError extends DomainError {
  constructor(month: string, date: string) {
    super(
      'MONTH_CLOSED',
      `${month.slice(0, 4)}年${Number(month.slice(5, 7))}月已结账，不能再登记该月（${date}）的业务；更正请记在本月`,
      { month, date },
    );
  }
}

/**
 * Refuses a write dated `date` when its month is closed. A month can only be closed after it has
 * ended, so a write dated in the current month (`today`'s) needs no check, and the hot paths pay
 * nothing. A back-dated write locks the month's row, creating it first so there is always a row to
 * lock; closing locks the same row, so a month is never closed while a write into it is still in
 * flight, and no write lands after its snapshot. The lock is exclusive (back-dated writes of one
 * month queue behind each other, which they are too rare to notice) because a distributed
 * MySQL-compatible database such as TiDB takes no shared locks.
 */
export async function assertMonthOpen(
  em: EntityManager,
  date: string,
  today: string,
): Promise<void> {
  const month = date.slice(0, 7);
  if (month >= today.slice(0, 7)) return;
  await em.query(`INSERT IGNORE INTO report_months (month, status) VALUES (?, 'open')`, [month]);
  const rows = await em.query<{ status: string }[]>(
    'SELECT status FROM report_months WHERE month = ? FOR UPDATE',
    [month],
  );
  if (rows[0]?.status === 'closed') throw new MonthClosedError(month, date);
}
