import { Column, Entity, PrimaryGeneratedColumn, Index } from 'typeorm';

/** 积分评定 rule: 庭院整洁 +5, 公益劳动 +10, 违规 -5 … */
@Entity('point_rules')
export class PointRule {
  @PrimaryGeneratedColumn({ unsigned: true })
  id!: number;

  @Index({ unique: true })
  @Column({ type: 'varchar', length: 30 })
  code!: string;

  @Index({ unique: true })
  @Column({ type: 'varchar', length: 60 })
  name!: string;

  /** Positive or negative, never zero. */
  @Column({ type: 'int' })
  points!: number;

  /** Most times one household may receive this rule in one month; null for no cap. */
  @Column({ type: 'smallint', unsigned: true, nullable: true })
  monthlyCap!: number | null;

  @Column({ type: 'varchar', length: 200, nullable: true })
  description!: string | null;

  @Column({ type: 'boolean', default: true })
  active!: boolean;

  @Column({ type: 'datetime', precision: 3 })
  createdAt!: Date;

  @Column({ type: 'datetime', precision: 3 })
  updatedAt!: Date;
}
