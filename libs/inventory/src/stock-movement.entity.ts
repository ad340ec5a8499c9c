import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

export const MOVEMENT_KINDS = [
  'donation_in',
  'redemption_out',
  'transfer_out',
  'transfer_in',
  'adjustment',
  'stocktake',
  'expiry_writeoff',
  'void_reversal',
] as const;
export type MovementKind = (typeof MOVEMENT_KINDS)[number];

/** One appended change of a lot. Never updated or deleted; a correction is a reversing row. */
@Entity('stock_movements')
@Index(['storeId', 'productId', 'occurredAt'])
@Index(['storeId', 'businessDate'])
@Index(['lotId'])
@Index(['refType', 'refId'])
export class StockMovement {
  /** BIGINT, returned by mysql2 as a string. */
  @PrimaryGeneratedColumn({ type: 'bigint', unsigned: true })
  id!: string;

  @Column({ type: 'int', unsigned: true })
  storeId!: number;

  @Column({ type: 'int', unsigned: true })
  productId!: number;

  @Column({ type: 'int', unsigned: true })
  lotId!: number;

  @Column({ type: 'enum', enum: MOVEMENT_KINDS })
  kind!: MovementKind;

  /** Signed: positive into the lot, negative out of it. */
  @Column({ type: 'int' })
  quantity!: number;

  /** Null for the system (nightly write-off). */
  @Column({ type: 'int', unsigned: true, nullable: true })
  actorId!: number | null;

  /** The document that caused it: `donation`, `redemption`, `transfer`, `adjustment` … */
  @Column({ type: 'varchar', length: 30 })
  refType!: string;

  @Column({ type: 'varchar', length: 40 })
  refId!: string;

  /** For a reversal: the movement it undoes. */
  @Column({ type: 'bigint', unsigned: true, nullable: true })
  reversesMovementId!: string | null;

  @Column({ type: 'varchar', length: 200, nullable: true })
  note!: string | null;

  @Column({ type: 'datetime', precision: 3 })
  occurredAt!: Date;

  /** Local (Asia/Shanghai) date of `occurredAt`. */
  @Column({ type: 'date' })
  businessDate!: string;
}
