import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** A managed category name (粮油, 副食, 日用品 …); limits and reports group by it. */
@Entity('product_categories')
export class ProductCategory {
  @PrimaryGeneratedColumn({ unsigned: true })
  id!: number;

  @Index({ unique: true })
  @Column({ type: 'varchar', length: 30 })
  name!: string;

  @Column({ type: 'smallint', unsigned: true, default: 0 })
  sortOrder!: number;

  /** Most units of this category one household may take in a month; null for no limit. */
  @Column({ type: 'int', unsigned: true, nullable: true })
  monthlyLimitPerHousehold!: number | null;

  @Column({ type: 'datetime', precision: 3 })
  createdAt!: Date;
}
