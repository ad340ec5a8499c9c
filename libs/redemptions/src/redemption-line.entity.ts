import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** One product of a checkout, priced in points when it was sold. */
@Entity('redemption_lines')
@Index(['redemptionId', 'lineNo'], { unique: true })
@Index(['productId'])
export class RedemptionLine {
  @PrimaryGeneratedColumn({ unsigned: true })
  id!: number;

  @Column({ type: 'int', unsigned: true })
  redemptionId!: number;

  @Column({ type: 'smallint', unsigned: true })
  lineNo!: number;

  @Column({ type: 'int', unsigned: true })
  productId!: number;

  @Column({ type: 'int', unsigned: true })
  categoryId!: number;

  @Column({ type: 'varchar', length: 80 })
  productName!: string;

  @Column({ type: 'varchar', length: 10 })
  unit!: string;

  @Column({ type: 'int', unsigned: true })
  quantity!: number;

  @Column({ type: 'int', unsigned: true })
  pointPrice!: number;

  @Column({ type: 'int', unsigned: true })
  points!: number;

  /** Intake value of the goods, from the lots they came out of. */
  @Column({ type: 'int', unsigned: true })
  valueFen!: number;
}
