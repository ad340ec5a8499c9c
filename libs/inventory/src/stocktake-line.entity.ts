import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { Stocktake } from './stocktake.entity';

@Entity('stocktake_lines')
@Index(['stocktakeId', 'productId'], { unique: true })
export class StocktakeLine {
  @PrimaryGeneratedColumn({ unsigned: true })
  id!: number;

  @Column({ type: 'int', unsigned: true })
  stocktakeId!: number;

  @ManyToOne(() => Stocktake, (stocktake) => stocktake.lines, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'stocktake_id' })
  stocktake?: Stocktake;

  @Column({ type: 'int', unsigned: true })
  productId!: number;

  @Column({ type: 'int', unsigned: true })
  countedQuantity!: number;

  /** On-hand when finalized; null while the count is open (variances are computed live). */
  @Column({ type: 'int', unsigned: true, nullable: true })
  systemQuantity!: number | null;

  @Column({ type: 'datetime', precision: 3 })
  countedAt!: Date;
}
