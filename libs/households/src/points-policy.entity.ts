import { Column, Entity, PrimaryColumn } from 'typeorm';

export const CARD_NAME_DISPLAYS = ['masked', 'full'] as const;
export type CardNameDisplay = (typeof CARD_NAME_DISPLAYS)[number];

/** The county's points settings: one row (id 1), edited by the county admin. */
@Entity('points_policy')
export class PointsPolicy {
  @PrimaryColumn({ type: 'tinyint', unsigned: true })
  id!: number;

  /** Points expire this many months after they were granted; 0 means never. */
  @Column({ type: 'smallint', unsigned: true, default: 0 })
  expiryMonths!: number;

  /** Whether an exited (已脱贫) household may still spend what it holds. */
  @Column({ type: 'boolean', default: false })
  exitedMaySpend!: boolean;

  /** How the head's name is printed on the card. */
  @Column({ type: 'enum', enum: CARD_NAME_DISPLAYS, default: 'masked' })
  cardNameDisplay!: CardNameDisplay;

  /** Most checkouts (人次) one household may make in a month across the county; null for no limit. */
  @Column({ type: 'smallint', unsigned: true, nullable: true })
  monthlyVisitLimit!: number | null;

  /** A checkout may be voided on its business day and this many days after. */
  @Column({ type: 'smallint', unsigned: true, default: 0 })
  voidWindowDays!: number;

  @Column({ type: 'int', unsigned: true, nullable: true })
  updatedBy!: number | null;

  @Column({ type: 'datetime', precision: 3, nullable: true })
  updatedAt!: Date | null;
}
