import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * Points a household received in one entry (an award, an allotment, a positive adjustment), with
 * the date they expire. Spending draws on the grants that expire soonest first; `remaining` is a
 * cache of the grant's allocations, the way a stock lot's quantity caches its movements.
 */
@Entity('points_grants')
@Index(['householdId', 'expiresOn'])
@Index(['expiresOn'])
export class PointsGrant {
  @PrimaryGeneratedColumn({ unsigned: true })
  id!: number;

  @Column({ type: 'int', unsigned: true })
  householdId!: number;

  /** The entry that granted the points. */
  @Index({ unique: true })
  @Column({ type: 'bigint', unsigned: true })
  entryId!: string;

  @Column({ type: 'int', unsigned: true })
  points!: number;

  @Column({ type: 'int', unsigned: true })
  remaining!: number;

  @Column({ type: 'date' })
  grantedOn!: string;

  /** First local date the points can no longer be spent; null when they never expire. */
  @Column({ type: 'date', nullable: true })
  expiresOn!: string | null;
}
