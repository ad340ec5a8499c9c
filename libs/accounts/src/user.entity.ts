import { ROLES, type Role } from '@charity/common';
import { Store } from '@charity/organisation';
import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';

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

  @Column({ type: 'enum', enum: ROLES })
  role!: Role;

  @Column({ type: 'int', unsigned: true, nullable: true })
  storeId!: number | null;

  @ManyToOne(() => Store, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'store_id' })
  store?: Store;

  @Column({ type: 'boolean', default: true })
  active!: boolean;

  /** Bumped when the password is reset or the account disabled, so older tokens stop working. */
  @Column({ type: 'int', unsigned: true, default: 0 })
  tokenVersion!: number;

  @Column({ type: 'datetime', precision: 3, nullable: true })
  lastLoginAt!: Date | null;

  @Column({ type: 'datetime', precision: 3 })
  createdAt!: Date;

  @Column({ type: 'datetime', precision: 3 })
  updatedAt!: Date;
}
