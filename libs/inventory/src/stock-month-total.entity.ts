import { bigintToNumber } from '@charity/common';
import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** How the monthly report groups stock movements by value. */
export const STOCK_TOTAL_KINDS = ['received', 'given', 'expired', 'other'] as const;
export type StockTotalKind = (typeof STOCK_TOTAL_KINDS)[number];

/**
 * The report kind of a movement `m`, in SQL, for the summary upsert and its rebuild. Reversals
 * that put given-out goods back (a void, a cancelled delivery) count as given; a voided intake as
 * received.
 */
export const STOCK_TOTAL_KIND_SQL = `CASE
  WHEN m.kind = 'donation_in' THEN 'received'
  WHEN m.kind = 'redemption_out' THEN 'given'
  WHEN m.kind = 'expiry_writeoff' THEN 'expired'
  WHEN m.kind = 'void_reversal' AND m.ref_type IN ('redemption_void', 'delivery_cancel') THEN 'given'
  WHEN m.kind = 'void_reversal' AND m.ref_type = 'donation_void' THEN 'received'
  ELSE 'other' END`;

/**
 * Σ (quantity × the lot's intake value) of a store's movements in a month, by report kind
 * (signed: into stock positive). The value on hand at a month's end is the sum up to that month.
 * Kept in the same transaction as the movements; `npm run reports:rebuild` recomputes it.
 */
@Entity('stock_month_totals')
// a region's sum to date reads its stores' rows only
@Index('idx_stock_month_totals_store', ['storeId', 'businessMonth', 'kind', 'valueFen'])
export class StockMonthTotal {
  @PrimaryColumn({ type: 'char', length: 7 })
  businessMonth!: string;

  @PrimaryColumn({ type: 'int', unsigned: true })
  storeId!: number;

  @PrimaryColumn({ type: 'enum', enum: STOCK_TOTAL_KINDS })
  kind!: StockTotalKind;

  @Column({ type: 'bigint', transformer: bigintToNumber })
  valueFen!: number;
}
