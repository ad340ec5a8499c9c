import { Column, Entity, Index, OneToMany, PrimaryGeneratedColumn } from 'typeorm';
import { TransferLine } from './transfer-line.entity';

export const TRANSFER_STATUSES = ['pending', 'received', 'cancelled'] as const;
export type TransferStatus = (typeof TRANSFER_STATUSES)[number];

/** Goods sent from one store to another; in transit while pending. */
@Entity('transfers')
@Index(['fromStoreId', 'createdAt'])
@Index(['toStoreId', 'status'])
export class Transfer {
  @PrimaryGeneratedColumn({ unsigned: true })
  id!: number;

  @Column({ type: 'int', unsigned: true })
  fromStoreId!: number;

  @Column({ type: 'int', unsigned: true })
  toStoreId!: number;

  @Column({ type: 'enum', enum: TRANSFER_STATUSES })
  status!: TransferStatus;

  @Column({ type: 'varchar', length: 200, nullable: true })
  note!: string | null;

  @Column({ type: 'int', unsigned: true })
  createdBy!: number;

  @Column({ type: 'datetime', precision: 3 })
  createdAt!: Date;

  @Column({ type: 'int', unsigned: true, nullable: true })
  closedBy!: number | null;

  /** When it was received or cancelled. */
  @Column({ type: 'datetime', precision: 3, nullable: true })
  closedAt!: Date | null;

  @OneToMany(() => TransferLine, (line) => line.transfer)
  lines?: TransferLine[];
}
