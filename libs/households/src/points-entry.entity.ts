import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

export const POINTS_ENTRY_KINDS = [
  'award',
  'allotment',
  'adjustment',
  'redemption',
  'reversal',
  'expiry',
] as const;
export type PointsEntryKind = (typeof POINTS_ENTRY_KINDS)[number];

/**
 * One appended change of a household's points. Never updated or deleted: a correction is a
 * `reversal` entry naming the entry it undoes. How each entry moved the household's grants is
 * kept in `points_allocations`.
 */
@Entity('points_entries')
@Index(['householdId', 'id'])
@Index(['kind', 'businessDate'])
@Index(['storeId', 'businessDate'])
@Index(['sourceType', 'sourceId'])
@Index(['householdId', 'ruleId', 'period'])
// 发放 exactly once per household and month, whatever the worker does
@Index(['householdId', 'allotmentMonth'], { unique: true })
// a reversal undoes its entry once
@Index(['reversesEntryId'], { unique: true })
export class PointsEntry {
  /** BIGINT, returned by mysql2 as a string. */
  @PrimaryGeneratedColumn({ type: 'bigint', unsigned: true })
  id!: string;

  @Column({ type: 'int', unsigned: true })
  householdId!: number;

  @Column({ type: 'enum', enum: POINTS_ENTRY_KINDS })
  kind!: PointsEntryKind;

  /** Signed and never zero. */
  @Column({ type: 'int' })
  points!: number;

  /** The household's balance right after this entry. */
  @Column({ type: 'int', unsigned: true })
  balanceAfter!: number;

  /** The store the change is booked to (the actor's, or the household's home store). */
  @Column({ type: 'int', unsigned: true })
  storeId!: number;

  /** Null for the system (allotments, expiry, posting after 公示). */
  @Column({ type: 'int', unsigned: true, nullable: true })
  actorId!: number | null;

  @Column({ type: 'datetime', precision: 3 })
  occurredAt!: Date;

  /** Local (Asia/Shanghai) date the entry counts on. */
  @Column({ type: 'date' })
  businessDate!: string;

  @Column({ type: 'varchar', length: 200 })
  reason!: string;

  /** What caused it: `rule`, `manual`, `batch`, `allotment`, `redemption`, `expiry` … */
  @Column({ type: 'varchar', length: 30 })
  sourceType!: string;

  @Column({ type: 'varchar', length: 40, nullable: true })
  sourceId!: string | null;

  @Column({ type: 'int', unsigned: true, nullable: true })
  ruleId!: number | null;

  @Column({ type: 'int', unsigned: true, nullable: true })
  batchId!: number | null;

  /** For awards: the evaluation month (`YYYY-MM`) the rule's monthly cap counts in. */
  @Column({ type: 'char', length: 7, nullable: true })
  period!: string | null;

  /** For allotments only: the month paid (`YYYY-MM`); unique per household. */
  @Column({ type: 'char', length: 7, nullable: true })
  allotmentMonth!: string | null;

  @Column({ type: 'bigint', unsigned: true, nullable: true })
  reversesEntryId!: string | null;
}
