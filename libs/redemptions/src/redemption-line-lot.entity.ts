import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * Which lot (and so which donation) a line's goods came from: how a donor learns which
 * households their goods reached.
 */
@Entity('redemption_line_lots')
@Index(['redemptionId'])
@Index(['lotId'])
export class RedemptionLineLot {
  @PrimaryGeneratedColumn({ unsigned: true })
  id!: number;

  @Column({ type: 'int', unsigned: true })
  redemptionId!: number;

  @Column({ type: 'smallint', unsigned: true })
  lineNo!: number;

  @Column({ type: 'int', unsigned: true })
  lotId!: number;

  @Column({ type: 'int', unsigned: true })
  quantity!: number;

  @Column({ type: 'int', unsigned: true })
  unitValueFen!: number;
}
