import { bigintToNumber } from '@charity/common';
import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import type { PointsEntryKind } from './points-entry.entity';

/** How the monthly report groups points entries; a reversal counts with what it reverses. */
export const POINTS_TOTAL_KINDS = ['issued', 'redeemed', 'expired', 'adjusted'] as const;
export type PointsTotalKind = (typeof POINTS_TOTAL_KINDS)[number];

export function pointsTotalKind(
  kind: PointsEntryKind,
  reversedKind?: PointsEntryKind,
): PointsTotalKind {
  switch (kind === 'reversal' ? reversedKind : kind) {
    case 'award':
    case 'allotment':
      return 'issued';
    case 'redemption':
      return 'redeemed';
    case 'expiry':
      return 'expired';
    default:
      return 'adjusted';
  }
}

/**
 * Σ points of the entries booked to a store in a month, by report kind (signed as in the
 * ledger). Kept in the same transaction as each entry, so the monthly report and the month-end
 * balance never scan the ledger; `npm run reports:rebuild` recomputes it from `points_entries`.
 */
@Entity('points_month_totals')
// a region's sum to date reads its stores' rows only
@Index('idx_points_month_totals_store', ['storeId', 'businessMonth', 'kind', 'points'])
export class PointsMonthTotal {
  @PrimaryColumn({ type: 'char', length: 7 })
  businessMonth!: string;

  @PrimaryColumn({ type: 'int', unsigned: true })
  storeId!: number;

  @PrimaryColumn({ type: 'enum', enum: POINTS_TOTAL_KINDS })
  kind!: PointsTotalKind;

  @Column({ type: 'bigint', transformer: bigintToNumber })
  points!: number;
}
