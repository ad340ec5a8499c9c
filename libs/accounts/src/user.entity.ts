import { ROLES, type Role } from '@charity/common';
import { Store } from '@charity/organisation';
import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { PASSWORD_ORIGINS, type PasswordOrigin } from './password-origin';

/** A member of staff. Store roles belong to one store; county roles to none. */
@Entity('users')
export class User {
  @PrimaryGeneratedColumn({ unsigned: true })
  id!: number;

  @Index({ unique: true })
  @Column({ type: 'varchar', length: 40 })
  username!: string;

  @Column({ type: 'varchar', length: 40 })
  displayName!: string;

  @Column({ type: 'varchar', length: 200, select: false })
  passwordHash!: string;

  /** Who set the current password (see PasswordOrigin). */
  @Column({ type: 'enum', enum: PASSWORD_ORIGINS, default: 'admin' })
  passwordOrigin!: PasswordOrigin;

  /** Set with a password someone else chose; cleared when the user sets their own. */
  @Column({ type: 'boolean', default: true })
  mustChangePassword!: boolean;

  @Column({ type: 'enum', enum: ROLES })
  role!: Role;

  @Column({ type: 'int', unsigned: true, nullable: true })
  storeId!: number | null;

  @ManyToOne(() => Store, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'store_id' })
  store?: Store;

  @Column({ type: 'boolean', default: true })
  active!: boolean;

  /** Bumped when the password changes or the account is disabled, so older tokens stop working. */
  @Column({ type: 'int', unsigned: true, default: 0 })
  tokenVersion!: number;

  @Column({ type: 'datetime', precision: 3, nullable: true })
  lastLoginAt!: Date | null;

  @Column({ type: 'datetime', precision: 3 })
  createdAt!: Date;

  @Column({ type: 'datetime', precision: 3 })
  updatedAt!: Date;
}
