import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** One household's award by one rule in a batch. */
@Entity('point_award_batch_lines')
@Index(['batchId', 'rowNo'], { unique: true })
@Index(['householdId'])
export class PointAwardBatchLine {
  @PrimaryGeneratedColumn({ unsigned: true })
  id!: number;

  @Column({ type: 'int', unsigned: true })
  batchId!: number;

  /** The row in the submitted evaluation (1-based), named in every problem report. */
  @Column({ type: 'int', unsigned: true })
  rowNo!: number;

  @Column({ type: 'int', unsigned: true })
  householdId!: number;

  @Column({ type: 'int', unsigned: true })
  ruleId!: number;

  @Column({ type: 'int' })
  points!: number;

  @Column({ type: 'varchar', length: 200, nullable: true })
  note!: string | null;

  /** The award entry, once posted. */
  @Column({ type: 'bigint', unsigned: true, nullable: true })
  entryId!: string | null;
}
