import { ROLES, type Role } from '@charity/common';
import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** One attributable write: who, in which role and store, did what to which entity, when. */
@Entity('audit_entries')
@Index(['occurredAt'])
@Index(['entityType', 'entityId'])
@Index(['actorId', 'occurredAt'])
@Index(['storeId', 'occurredAt'])
export class AuditEntry {
  /** BIGINT, returned by mysql2 as a string. */
  @PrimaryGeneratedColumn({ type: 'bigint', unsigned: true })
  id!: string;

  @Column({ type: 'datetime', precision: 3 })
  occurredAt!: Date;

  /** Null for the system itself (schedules, bootstrap) and for failed logins. */
  @Column({ type: 'int', unsigned: true, nullable: true })
  actorId!: number | null;

  @Column({ type: 'varchar', length: 40 })
  actorUsername!: string;

  @Column({ type: 'enum', enum: [...ROLES, 'system', 'anonymous'] })
  actorRole!: Role | 'system' | 'anonymous';

  @Column({ type: 'int', unsigned: true, nullable: true })
  storeId!: number | null;

  /** Dotted verb such as `store.create` or `user.password_reset`. */
  @Column({ type: 'varchar', length: 60 })
  action!: string;

  @Column({ type: 'varchar', length: 40 })
  entityType!: string;

  @Column({ type: 'varchar', length: 40, nullable: true })
  entityId!: string | null;

  @Column({ type: 'varchar', length: 500 })
  summary!: string;

  @Column({ type: 'varchar', length: 64, nullable: true })
  requestId!: string | null;

  @Column({ type: 'varchar', length: 45, nullable: true })
  ip!: string | null;
}
