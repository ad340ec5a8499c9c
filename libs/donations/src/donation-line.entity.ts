import { bigintToNumber } from '@charity/common';
import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { Donation } from './donation.entity';

/** One kind of goods in a donation; name, unit and value are fixed as they were at intake. */
@Entity('donation_lines')
@Index(['donationId', 'lineNo'], { unique: true })
@Index(['productId'])
export class DonationLine {
  @PrimaryGeneratedColumn({ unsigned: true })
  id!: number;

  @Column({ type: 'int', unsigned: true })
  donationId!: number;

  @ManyToOne(() => Donation, (donation) => donation.lines, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'donation_id' })
  donation?: Donation;

  @Column({ type: 'smallint', unsigned: true })
  lineNo!: number;

  @Column({ type: 'int', unsigned: true })
  productId!: number;

  @Column({ type: 'varchar', length: 80 })
  productName!: string;

  @Column({ type: 'varchar', length: 10 })
  unit!: string;

  @Column({ type: 'int', unsigned: true })
  quantity!: number;

  @Column({ type: 'int', unsigned: true })
  unitValueFen!: number;

  @Column({ type: 'bigint', unsigned: true, transformer: bigintToNumber })
  amountFen!: number;

  @Column({ type: 'date', nullable: true })
  expiryDate!: string | null;

  /** The stock lot the goods went into. */
  @Column({ type: 'int', unsigned: true })
  lotId!: number;
}
