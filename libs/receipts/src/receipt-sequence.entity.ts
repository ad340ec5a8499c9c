import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * The last receipt number used per series, store and year. Numbers are taken inside the
 * transaction that issues the receipt, under this row's lock, so they are gapless: a rolled-back
 * document gives its number back.
 */
@Entity('receipt_sequences')
export class ReceiptSequence {
  /** `JZ` donations (捐赠), `DH` redemptions (兑换). */
  @PrimaryColumn({ type: 'varchar', length: 4 })
  series!: string;

  @PrimaryColumn({ type: 'int', unsigned: true })
  storeId!: number;

  @PrimaryColumn({ type: 'smallint', unsigned: true })
  year!: number;

  @Column({ type: 'int', unsigned: true })
  lastNumber!: number;
}
