import { bigintToNumber } from '@charity/common';
import {
  Column,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  OneToMany,
  PrimaryGeneratedColumn,
} from 'typeorm';
import { DonationLine } from './donation-line.entity';
import { Donor } from './donor.entity';

export const DONATION_STATUSES = ['active', 'voided'] as const;
export type DonationStatus = (typeof DONATION_STATUSES)[number];

/** 捐赠: goods in kind (valued per line at intake) and/or cash, with a gapless receipt number. */
@Entity('donations')
@Index(['storeId', 'receivedDate'])
@Index(['donorId', 'receivedDate'])
@Index(['storeId', 'idempotencyKey'], { unique: true })
@Index('idx_donations_report', ['receivedDate', 'storeId', 'voidedAt', 'donorId'])
@Index(['voidedAt'])
export class Donation {
  @PrimaryGeneratedColumn({ unsigned: true })
  id!: number;

  @Column({ type: 'int', unsigned: true })
  storeId!: number;

  @Column({ type: 'int', unsigned: true })
  donorId!: number;

  @ManyToOne(() => Donor, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'donor_id' })
  donor?: Donor;

  /** `JZ-<storeCode>-<year>-<6 digits>`, gapless per store and year. */
  @Index({ unique: true })
  @Column({ type: 'varchar', length: 32 })
  receiptNo!: string;

  @Column({ type: 'date' })
  receivedDate!: string;

  @Column({ type: 'bigint', unsigned: true, transformer: bigintToNumber })
  goodsValueFen!: number;

  @Column({ type: 'bigint', unsigned: true, transformer: bigintToNumber })
  cashFen!: number;

  @Column({ type: 'bigint', unsigned: true, transformer: bigintToNumber })
  totalValueFen!: number;

  @Column({ type: 'varchar', length: 200, nullable: true })
  note!: string | null;

  @Column({ type: 'enum', enum: DONATION_STATUSES })
  status!: DonationStatus;

  @Column({ type: 'varchar', length: 200, nullable: true })
  voidReason!: string | null;

  @Column({ type: 'int', unsigned: true, nullable: true })
  voidedBy!: number | null;

  @Column({ type: 'datetime', precision: 3, nullable: true })
  voidedAt!: Date | null;

  /** The clerk who took the goods in. */
  @Column({ type: 'int', unsigned: true })
  createdBy!: number;

  @Column({ type: 'datetime', precision: 3 })
  createdAt!: Date;

  /** Client's Idempotency-Key, unique per store, and a hash of the request it came with. */
  @Column({ type: 'varchar', length: 100, nullable: true })
  idempotencyKey!: string | null;

  @Column({ type: 'char', length: 64, nullable: true })
  requestHash!: string | null;

  @OneToMany(() => DonationLine, (line) => line.donation)
  lines?: DonationLine[];
}
