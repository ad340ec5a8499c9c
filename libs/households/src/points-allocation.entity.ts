import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * How one points entry moved one grant: positive when it filled or restored the grant, negative
 * when it drew on it. Append-only. Every entry's points equal the sum of its allocations, and
 * every grant's `remaining` equals the sum of the allocations against it.
 */
@Entity('points_allocations')
@Index(['entryId'])
@Index(['grantId'])
export class PointsAllocation {
  @PrimaryGeneratedColumn({ type: 'bigint', unsigned: true })
  id!: string;

  @Column({ type: 'bigint', unsigned: true })
  entryId!: string;

  @Column({ type: 'int', unsigned: true })
  grantId!: number;

  @Column({ type: 'int' })
  points!: number;
}
