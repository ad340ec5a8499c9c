import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';

export const REGION_LEVELS = ['county', 'township', 'village'] as const;
export type RegionLevel = (typeof REGION_LEVELS)[number];

export const REGION_LEVEL_LABELS: Record<RegionLevel, string> = {
  county: '县',
  township: '乡镇',
  village: '村',
};

/** County (县) → township (乡镇/街道) → village (村/社区). */
@Entity('regions')
@Index(['parentId', 'name'], { unique: true })
export class Region {
  @PrimaryGeneratedColumn({ unsigned: true })
  id!: number;

  @Column({ type: 'varchar', length: 60 })
  name!: string;

  @Column({ type: 'enum', enum: REGION_LEVELS })
  level!: RegionLevel;

  @Column({ type: 'int', unsigned: true, nullable: true })
  parentId!: number | null;

  @ManyToOne(() => Region, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'parent_id' })
  parent?: Region;

  /** Administrative division code (行政区划代码), optional. */
  @Column({ type: 'varchar', length: 12, nullable: true })
  code!: string | null;

  @Column({ type: 'datetime', precision: 3 })
  createdAt!: Date;
}
