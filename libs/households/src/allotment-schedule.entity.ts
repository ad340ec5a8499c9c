import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { HOUSEHOLD_CATEGORIES, type HouseholdCategory } from './household.entity';

/** 发放: monthly points for one household category, by household size. */
@Entity('allotment_schedules')
export class AllotmentSchedule {
  @PrimaryGeneratedColumn({ unsigned: true })
  id!: number;

  @Index({ unique: true })
  @Column({ type: 'enum', enum: HOUSEHOLD_CATEGORIES })
  category!: HouseholdCategory;

  /** Points a month for a household of one. */
  @Column({ type: 'int', unsigned: true })
  basePoints!: number;

  /** Added for each member beyond the first. */
  @Column({ type: 'int', unsigned: true, default: 0 })
  perExtraMember!: number;

  @Column({ type: 'boolean', default: true })
  active!: boolean;

  @Column({ type: 'int', unsigned: true, nullable: true })
  updatedBy!: number | null;

  @Column({ type: 'datetime', precision: 3 })
  updatedAt!: Date;
}
