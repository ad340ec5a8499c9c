import { Column, Entity, Index, OneToMany, PrimaryGeneratedColumn } from 'typeorm';
import { StocktakeLine } from './stocktake-line.entity';

export const STOCKTAKE_STATUSES = ['open', 'finalized', 'cancelled'] as const;
export type StocktakeStatus = (typeof STOCKTAKE_STATUSES)[number];

/** 盘点: counted quantities for a store, finalized by a manager into `stocktake` movements. */
@Entity('stocktakes')
@Index(['storeId', 'status'])
export class Stocktake {
  @PrimaryGeneratedColumn({ unsigned: true })
  id!: number;

  @Column({ type: 'int', unsigned: true })
  storeId!: number;

  @Column({ type: 'enum', enum: STOCKTAKE_STATUSES })
  status!: StocktakeStatus;

  @Column({ type: 'varchar', length: 200, nullable: true })
  note!: string | null;

  @Column({ type: 'int', unsigned: true })
  openedBy!: number;

  @Column({ type: 'datetime', precision: 3 })
  openedAt!: Date;

  @Column({ type: 'int', unsigned: true, nullable: true })
  closedBy!: number | null;

  @Column({ type: 'datetime', precision: 3, nullable: true })
  closedAt!: Date | null;

  @OneToMany(() => StocktakeLine, (line) => line.stocktake)
  lines?: StocktakeLine[];
}
