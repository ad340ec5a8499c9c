import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { Transfer } from './transfer.entity';

/** One sender lot's share of a transfer; the receiver gets a lot with the same expiry and value. */
@Entity('transfer_lines')
export class TransferLine {
  @PrimaryGeneratedColumn({ unsigned: true })
  id!: number;

  @Column({ type: 'int', unsigned: true })
  transferId!: number;

  @ManyToOne(() => Transfer, (transfer) => transfer.lines, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'transfer_id' })
  transfer?: Transfer;

  @Column({ type: 'int', unsigned: true })
  productId!: number;

  /** The sender's lot the goods left (indexed: donor impact follows goods from lot to lot). */
  @Index()
  @Column({ type: 'int', unsigned: true })
  fromLotId!: number;

  /** The receiver's lot, once received. */
  @Column({ type: 'int', unsigned: true, nullable: true })
  toLotId!: number | null;

  @Column({ type: 'int', unsigned: true })
  quantity!: number;

  @Column({ type: 'date', nullable: true })
  expiryDate!: string | null;

  @Column({ type: 'int', unsigned: true })
  unitValueFen!: number;
}
