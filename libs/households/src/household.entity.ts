import { Region, Store } from '@charity/organisation';
import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';

/** 五保, 低保, 特困, other 建档立卡 households. */
export const HOUSEHOLD_CATEGORIES = ['wubao', 'dibao', 'tekun', 'other'] as const;
export type HouseholdCategory = (typeof HOUSEHOLD_CATEGORIES)[number];

export const CATEGORY_LABELS: Record<HouseholdCategory, string> = {
  wubao: '五保',
  dibao: '低保',
  tekun: '特困',
  other: '建档立卡',
};

/** `exited` is 已脱贫: the household keeps its history but no longer earns or spends. */
export const HOUSEHOLD_STATUSES = ['active', 'suspended', 'exited'] as const;
export type HouseholdStatus = (typeof HOUSEHOLD_STATUSES)[number];

export const STATUS_LABELS: Record<HouseholdStatus, string> = {
  active: '正常',
  suspended: '暂停',
  exited: '已脱贫',
};

/**
 * 兜底户. The ID number and phone are stored encrypted (AES-256-GCM) beside a keyed hash for
 * lookups and their masked form for display; the clear values never reach a response but the
 * county admin's audited reveal. `balance` caches the sum of the household's points entries.
 */
@Entity('households')
@Index(['regionId'])
@Index(['homeStoreId', 'status'])
@Index(['headName'])
@Index(['idNumberLast4'])
@Index(['phoneHash'])
@Index(['phoneLast4'])
export class Household {
  @PrimaryGeneratedColumn({ unsigned: true })
  id!: number;

  /** Printed on the card as QR and Code128; random, never derived from the ID number. */
  @Index({ unique: true })
  @Column({ type: 'varchar', length: 12 })
  cardNo!: string;

  @Column({ type: 'varchar', length: 50 })
  headName!: string;

  /** base64(iv ‖ tag ‖ ciphertext). */
  @Column({ type: 'varchar', length: 120 })
  idNumberCipher!: string;

  /** HMAC-SHA256 of the normalised ID number: unique, and how a full ID number is looked up. */
  @Index({ unique: true })
  @Column({ type: 'char', length: 64 })
  idNumberHash!: string;

  /** `410423********1234`. */
  @Column({ type: 'varchar', length: 18 })
  idNumberMasked!: string;

  @Column({ type: 'char', length: 4 })
  idNumberLast4!: string;

  @Column({ type: 'enum', enum: HOUSEHOLD_CATEGORIES })
  category!: HouseholdCategory;

  @Column({ type: 'smallint', unsigned: true })
  memberCount!: number;

  /** The village, or the township where villages are not set up. */
  @Column({ type: 'int', unsigned: true })
  regionId!: number;

  @ManyToOne(() => Region, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'region_id' })
  region?: Region;

  @Column({ type: 'int', unsigned: true })
  homeStoreId!: number;

  @ManyToOne(() => Store, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'home_store_id' })
  homeStore?: Store;

  @Column({ type: 'varchar', length: 120, nullable: true })
  phoneCipher!: string | null;

  @Column({ type: 'char', length: 64, nullable: true })
  phoneHash!: string | null;

  @Column({ type: 'varchar', length: 20, nullable: true })
  phoneMasked!: string | null;

  @Column({ type: 'char', length: 4, nullable: true })
  phoneLast4!: string | null;

  @Column({ type: 'varchar', length: 200, nullable: true })
  address!: string | null;

  @Column({ type: 'enum', enum: HOUSEHOLD_STATUSES, default: 'active' })
  status!: HouseholdStatus;

  /** Local date the household left (已脱贫), set with status `exited`. */
  @Column({ type: 'date', nullable: true })
  exitedOn!: string | null;

  @Column({ type: 'varchar', length: 200, nullable: true })
  statusReason!: string | null;

  /** Cache of SUM(points_entries.points); guarded so it never drops below zero. */
  @Column({ type: 'int', unsigned: true, default: 0 })
  balance!: number;

  @Column({ type: 'int', unsigned: true, nullable: true })
  createdBy!: number | null;

  @Column({ type: 'datetime', precision: 3 })
  createdAt!: Date;

  @Column({ type: 'datetime', precision: 3 })
  updatedAt!: Date;
}
