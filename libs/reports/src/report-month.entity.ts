import { Column, Entity, PrimaryColumn } from 'typeorm';

export const MONTH_STATUSES = ['open', 'closed'] as const;
export type MonthStatus = (typeof MONTH_STATUSES)[number];

/**
 * 结账: a month the county union has closed. Back-dated writes lock this row shared
 * (`assertMonthOpen`), closing locks it exclusively, so nothing lands in a month after its
 * snapshot. A row with `open` is a month that was never closed, or was reopened.
 */
@Entity('report_months')
export class ReportMonth {
  @PrimaryColumn({ type: 'char', length: 7 })
  month!: string;

  @Column({ type: 'enum', enum: MONTH_STATUSES, default: 'open' })
  status!: MonthStatus;

  @Column({ type: 'datetime', precision: 3, nullable: true })
  closedAt!: Date | null;

  @Column({ type: 'int', unsigned: true, nullable: true })
  closedBy!: number | null;

  @Column({ type: 'datetime', precision: 3, nullable: true })
  reopenedAt!: Date | null;

  @Column({ type: 'int', unsigned: true, nullable: true })
  reopenedBy!: number | null;

  @Column({ type: 'varchar', length: 200, nullable: true })
  reopenReason!: string | null;
}
