import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

export const DONOR_KINDS = ['individual', 'company', 'organization', 'union_member'] as const;
export type DonorKind = (typeof DONOR_KINDS)[number];

export const DONOR_KIND_LABELS: Record<DonorKind, string> = {
  individual: '个人',
  company: '企业',
  organization: '单位/组织',
  union_member: '工会会员',
};

export const RECEIPT_PREFERENCES = ['per_donation', 'annual'] as const;
export type ReceiptPreference = (typeof RECEIPT_PREFERENCES)[number];

/** 捐赠人: a company, a person, a 帮扶单位 or a union member. */
@Entity('donors')
@Index(['name'])
@Index(['phone'])
export class Donor {
  @PrimaryGeneratedColumn({ unsigned: true })
  id!: number;

  @Column({ type: 'enum', enum: DONOR_KINDS })
  kind!: DonorKind;

  @Column({ type: 'varchar', length: 100 })
  name!: string;

  @Column({ type: 'varchar', length: 30, nullable: true })
  phone!: string | null;

  @Column({ type: 'varchar', length: 100, nullable: true })
  email!: string | null;

  @Column({ type: 'varchar', length: 200, nullable: true })
  address!: string | null;

  /** 统一社会信用代码 of a company or organisation (18 characters, check character validated). */
  @Index({ unique: true })
  @Column({ type: 'varchar', length: 18, nullable: true })
  creditCode!: string | null;

  /** Consent to appear on the public 荣誉榜. */
  @Column({ type: 'boolean', default: false })
  honorConsent!: boolean;

  @Column({ type: 'enum', enum: RECEIPT_PREFERENCES, default: 'per_donation' })
  receiptPreference!: ReceiptPreference;

  @Column({ type: 'datetime', precision: 3 })
  createdAt!: Date;

  @Column({ type: 'datetime', precision: 3 })
  updatedAt!: Date;
}
