import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { Region } from './region.entity';

/** A 爱心超市 shop, or the county warehouse, belonging to a township or village. */
@Entity('stores')
export class Store {
  @PrimaryGeneratedColumn({ unsigned: true })
  id!: number;

  /** Short code printed in receipt numbers (JZ-<code>-2026-000123). */
  @Index({ unique: true })
  @Column({ type: 'varchar', length: 10 })
  code!: string;

  @Index({ unique: true })
  @Column({ type: 'varchar', length: 80 })
  name!: string;

  @Column({ type: 'int', unsigned: true })
  regionId!: number;

  @ManyToOne(() => Region, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'region_id' })
  region?: Region;

  @Column({ type: 'varchar', length: 200, nullable: true })
  address!: string | null;

  @Column({ type: 'varchar', length: 30, nullable: true })
  phone!: string | null;

  @Column({ type: 'boolean', default: true })
  active!: boolean;

  @Column({ type: 'datetime', precision: 3 })
  createdAt!: Date;

  @Column({ type: 'datetime', precision: 3 })
  updatedAt!: Date;
}
