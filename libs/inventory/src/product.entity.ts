import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { ProductCategory } from './product-category.entity';

@Entity('products')
@Index(['name'])
export class Product {
  @PrimaryGeneratedColumn({ unsigned: true })
  id!: number;

  @Column({ type: 'varchar', length: 80 })
  name!: string;

  @Column({ type: 'int', unsigned: true })
  categoryId!: number;

  @ManyToOne(() => ProductCategory, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'category_id' })
  category?: ProductCategory;

  /** 袋, 瓶, 件, kg … */
  @Column({ type: 'varchar', length: 10 })
  unit!: string;

  /** The manufacturer's EAN-13 or Code128, when the goods carry one. */
  @Index({ unique: true })
  @Column({ type: 'varchar', length: 48, nullable: true })
  barcode!: string | null;

  /**
   * Printed on our own labels: an EAN-13 in the in-store range (prefix 21) derived from the id,
   * so any scanner reads it. Assigned to every product, barcode or not.
   */
  @Index({ unique: true })
  @Column({ type: 'varchar', length: 13, nullable: true })
  internalCode!: string | null;

  /** Points one unit costs at the till. */
  @Column({ type: 'int', unsigned: true })
  pointPrice!: number;

  /** Reference value of one unit in fen; donations fix their own value per line at intake. */
  @Column({ type: 'int', unsigned: true })
  unitValueFen!: number;

  @Column({ type: 'int', unsigned: true, nullable: true })
  monthlyLimitPerHousehold!: number | null;

  @Column({ type: 'int', unsigned: true, default: 0 })
  lowStockThreshold!: number;

  @Column({ type: 'boolean', default: true })
  active!: boolean;

  @Column({ type: 'datetime', precision: 3 })
  createdAt!: Date;

  @Column({ type: 'datetime', precision: 3 })
  updatedAt!: Date;
}
