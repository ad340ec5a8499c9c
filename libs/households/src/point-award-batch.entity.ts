import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** `pending` batches are on 公示 until `postOn`; posting applies every line at once. */
export const BATCH_STATUSES = ['pending', 'posted', 'withdrawn'] as const;
export type BatchStatus = (typeof BATCH_STATUSES)[number];

/** A village's month of 积分评定, applied all-or-nothing. */
@Entity('point_award_batches')
@Index(['status', 'postOn'])
@Index(['regionId', 'month'])
export class PointAwardBatch {
  @PrimaryGeneratedColumn({ unsigned: true })
  id!: number;

  /** The village (or township) evaluated. */
  @Column({ type: 'int', unsigned: true })
  regionId!: number;

  /** Evaluation month `YYYY-MM`; rule caps count in it. */
  @Column({ type: 'char', length: 7 })
  month!: string;

  @Column({ type: 'enum', enum: BATCH_STATUSES })
  status!: BatchStatus;

  /** Days on public notice; 0 posts at once. */
  @Column({ type: 'smallint', unsigned: true, default: 0 })
  noticeDays!: number;

  /** Local date the batch posts unless withdrawn. */
  @Column({ type: 'date' })
  postOn!: string;

  @Column({ type: 'int', unsigned: true })
  lineCount!: number;

  /** Net points of all lines. */
  @Column({ type: 'int' })
  pointsTotal!: number;

  @Column({ type: 'varchar', length: 200, nullable: true })
  note!: string | null;

  @Column({ type: 'int', unsigned: true })
  createdBy!: number;

  @Column({ type: 'datetime', precision: 3 })
  createdAt!: Date;

  @Column({ type: 'datetime', precision: 3, nullable: true })
  postedAt!: Date | null;

  @Column({ type: 'int', unsigned: true, nullable: true })
  withdrawnBy!: number | null;

  @Column({ type: 'datetime', precision: 3, nullable: true })
  withdrawnAt!: Date | null;

  @Column({ type: 'varchar', length: 200, nullable: true })
  withdrawReason!: string | null;

  /** Why the last automatic posting failed, for the batch to be withdrawn and resubmitted. */
  @Column({ type: 'varchar', length: 500, nullable: true })
  lastError!: string | null;
}
