import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { bigintToNumber } from '@charity/common';
import { HOUSEHOLD_CATEGORIES, type HouseholdCategory } from '@charity/households';
import { FULFILMENTS, type Fulfilment } from './cart-rules';

/**
 * `completed` at the counter; a delivery (上门服务) is `awaiting_delivery` until `delivered` or
 * `cancelled`; `voided` undoes a completed or delivered checkout. Cancelled and voided ones have
 * given their points and goods back.
 */
export const REDEMPTION_STATUSES = [
  'completed',
  'awaiting_delivery',
  'delivered',
  'cancelled',
  'voided',
] as const;
export type RedemptionStatus = (typeof REDEMPTION_STATUSES)[number];

/** Statuses whose points and goods stay spent: they count for limits and 人次. */
export const SPENT_STATUSES: readonly RedemptionStatus[] = [
  'completed',
  'awaiting_delivery',
  'delivered',
];

/** 兑换: one checkout of one household at one store. */
@Entity('redemptions')
@Index(['storeId', 'idempotencyKey'], { unique: true })
@Index(['householdId', 'businessMonth'])
@Index(['storeId', 'businessDate'])
@Index(['businessMonth', 'status'])
// the monthly report reads a month's redemptions from this index alone
@Index('idx_redemptions_report', [
  'businessMonth',
  'storeId',
  'status',
  'voidedAt',
  'householdId',
  'householdCategory',
  'pointsTotal',
  'goodsValueFen',
])
@Index(['voidedAt'])
@Index(['storeId', 'fulfilment', 'status'])
export class Redemption {
  @PrimaryGeneratedColumn({ unsigned: true })
  id!: number;

  /** `DH-QS01-2026-000045`, gapless per store and year. */
  @Index({ unique: true })
  @Column({ type: 'varchar', length: 40 })
  receiptNo!: string;

  @Column({ type: 'int', unsigned: true })
  storeId!: number;

  @Column({ type: 'int', unsigned: true })
  householdId!: number;

  /** The household's category when served: the aid report counts by it. */
  @Column({ type: 'enum', enum: HOUSEHOLD_CATEGORIES })
  householdCategory!: HouseholdCategory;

  @Column({ type: 'enum', enum: REDEMPTION_STATUSES })
  status!: RedemptionStatus;

  @Column({ type: 'enum', enum: FULFILMENTS, default: 'pickup' })
  fulfilment!: Fulfilment;

  @Column({ type: 'int', unsigned: true })
  pointsTotal!: number;

  /** Intake value of the goods handed out, from the lots consumed. */
  @Column({ type: 'bigint', unsigned: true, transformer: bigintToNumber })
  goodsValueFen!: number;

  @Column({ type: 'int', unsigned: true })
  balanceBefore!: number;

  @Column({ type: 'int', unsigned: true })
  balanceAfter!: number;

  @Column({ type: 'datetime', precision: 3 })
  occurredAt!: Date;

  /** Local date and month of `occurredAt`: limits and reports count by them. */
  @Column({ type: 'date' })
  businessDate!: string;

  @Column({ type: 'char', length: 7 })
  businessMonth!: string;

  /** The clerk (or manager) at the till. */
  @Column({ type: 'int', unsigned: true })
  createdBy!: number;

  @Column({ type: 'varchar', length: 100, nullable: true })
  idempotencyKey!: string | null;

  @Column({ type: 'char', length: 64, nullable: true })
  requestHash!: string | null;

  /** A manager's reason for letting this checkout past a limit. */
  @Column({ type: 'varchar', length: 200, nullable: true })
  limitOverrideReason!: string | null;

  @Column({ type: 'int', unsigned: true, nullable: true })
  limitOverrideBy!: number | null;

  @Column({ type: 'varchar', length: 200, nullable: true })
  deliveryAddress!: string | null;

  @Column({ type: 'varchar', length: 200, nullable: true })
  deliveryNote!: string | null;

  /** Who took the goods at the door. */
  @Column({ type: 'varchar', length: 50, nullable: true })
  receivedBy!: string | null;

  @Column({ type: 'datetime', precision: 3, nullable: true })
  deliveredAt!: Date | null;

  @Column({ type: 'int', unsigned: true, nullable: true })
  deliveredBy!: number | null;

  /** Why it was voided or cancelled. */
  @Column({ type: 'varchar', length: 200, nullable: true })
  voidReason!: string | null;

  @Column({ type: 'int', unsigned: true, nullable: true })
  voidedBy!: number | null;

  @Column({ type: 'datetime', precision: 3, nullable: true })
  voidedAt!: Date | null;
}
