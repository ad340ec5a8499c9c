import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * A closed month's report for one scope (`all`, `region:<id>`, `store:<id>`), frozen at closing.
 * Reopening the month deletes its snapshots; closing again takes new ones.
 */
@Entity('report_snapshots')
export class ReportSnapshot {
  @PrimaryColumn({ type: 'char', length: 7 })
  month!: string;

  @PrimaryColumn({ type: 'varchar', length: 30 })
  scope!: string;

  /** The MonthlyReport as JSON. */
  @Column({ type: 'mediumtext' })
  body!: string;

  @Column({ type: 'datetime', precision: 3 })
  createdAt!: Date;
}
