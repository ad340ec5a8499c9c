import { Product } from './product.entity';
import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';

export const LOT_SOURCES = ['donation', 'transfer', 'adjustment', 'stocktake'] as const;
export type LotSource = (typeof LOT_SOURCES)[number];

/**
 * 批次: stock of one product from one source with one expiry, at one store. `quantity` is a cache
 * of the lot's movements (`npm run check:ledgers` proves it) guarded so it never drops below zero.
 */
@Entity('stock_lots')
@Index(['storeId', 'productId', 'expiryDate'])
@Index(['expiryDate'])
export class StockLot {
  @PrimaryGeneratedColumn({ unsigned: true })
  id!: number;

  @Column({ type: 'int', unsigned: true })
  storeId!: number;

  @Column({ type: 'int', unsigned: true })
  productId!: number;

  @ManyToOne(() => Product, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'product_id' })
  product?: Product;

  @Column({ type: 'enum', enum: LOT_SOURCES })
  sourceType!: LotSource;

  /** The document that brought the goods in (donation id, transfer id …). */
  @Column({ type: 'varchar', length: 40, nullable: true })
  sourceRef!: string | null;

  /** `YYYY-MM-DD`, or null for goods that do not expire. */
  @Column({ type: 'date', nullable: true })
  expiryDate!: string | null;

  /** Value of one unit in fen as fixed when the lot came in (intake value). */
  @Column({ type: 'int', unsigned: true })
  unitValueFen!: number;

  @Column({ type: 'int', unsigned: true })
  initialQuantity!: number;

  @Column({ type: 'int', unsigned: true })
  quantity!: number;

  @Column({ type: 'datetime', precision: 3 })
  receivedAt!: Date;
}
