import { AuditService } from '@charity/audit';
import {
  DuplicateError,
  escapeLike,
  ForbiddenError,
  isDuplicateKeyError,
  isStoreRole,
  NotFoundError,
  pageOf,
  skipOf,
  ValidationFailedError,
  type Actor,
  type Page,
  type PageQuery,
  type Role,
} from '@charity/common';
import { Store } from '@charity/organisation';
import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { hashPassword } from './password-hasher';
import type { PasswordOrigin } from './password-origin';
import { User } from './user.entity';

export interface NewUser {
  username: string;
  displayName: string;
  password: string;
  /**
   * Who chose the password: `admin` for an account an admin creates, `demo` and `bootstrap` for
   * first-start accounts. Anything but `self` must be changed at the first login.
   */
  passwordOrigin: PasswordOrigin;
  role: Role;
  storeId?: number | null;
}

export interface UserChanges {
  displayName?: string;
  role?: Role;
  storeId?: number | null;
  active?: boolean;
  /** A new password set by an admin (password reset): the user must change it at next login. */
  password?: string;
}

export interface UserFilter {
  role?: Role;
  storeId?: number;
  active?: boolean;
  search?: string;
}

@Injectable()
export class UsersService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
  ) {}

  async create(actor: Actor, input: NewUser): Promise<User> {
    return this.dataSource.transaction(async (tx) => {
      const storeId = input.storeId ?? null;
      await this.assertRoleStore(tx, input.role, storeId);
      const now = new Date();
      const user = tx.create(User, {
        username: input.username,
        displayName: input.displayName,
        passwordHash: await hashPassword(input.password),
        passwordOrigin: input.passwordOrigin,
        mustChangePassword: input.passwordOrigin !== 'self',
        role: input.role,
        storeId,
        active: true,
        tokenVersion: 0,
        lastLoginAt: null,
        createdAt: now,
        updatedAt: now,
      });
      try {
        await tx.insert(User, user);
      } catch (error) {
        if (isDuplicateKeyError(error)) {
          throw new DuplicateError(`用户名“${input.username}”已被使用`, {
            username: input.username,
          });
        }
        throw error;
      }
      await this.audit.record(tx, actor, {
        action: 'user.create',
        entityType: 'user',
        entityId: user.id,
        summary: `新建用户 ${user.username}（${user.role}）`,
        storeId,
      });
      return withoutHash(user);
    });
  }

  async update(actor: Actor, id: number, changes: UserChanges): Promise<User> {
    const demotesSelf = changes.role !== undefined && changes.role !== actor.role;
    if (actor.userId === id && (changes.active === false || demotesSelf)) {
      // the county would otherwise be able to lock out its last administrator
      throw new ForbiddenError('不能停用自己的账号或更改自己的角色，请让另一位管理员操作');
    }
    return this.dataSource.transaction(async (em) => {
      const user = await em.findOne(User, { where: { id }, lock: { mode: 'pessimistic_write' } });
      if (!user) throw new NotFoundError('user', id);
      const role = changes.role ?? user.role;
      const storeId = changes.storeId !== undefined ? changes.storeId : user.storeId;
      if (changes.role !== undefined || changes.storeId !== undefined) {
        await this.assertRoleStore(em, role, storeId);
      }
      const notes: string[] = [];
      if (changes.displayName !== undefined && changes.displayName !== user.displayName) {
        user.displayName = changes.displayName;
        notes.push('姓名');
      }
      if (role !== user.role || storeId !== user.storeId) {
        user.role = role;
        user.storeId = storeId;
        user.tokenVersion += 1;
        notes.push(`角色/门店 → ${role}${storeId === null ? '' : `@${storeId}`}`);
      }
      if (changes.active !== undefined && changes.active !== user.active) {
        user.active = changes.active;
        user.tokenVersion += 1;
        notes.push(changes.active ? '启用' : '停用');
      }
      let passwordHash: string | undefined;
      if (changes.password !== undefined) {
        passwordHash = await hashPassword(changes.password);
        user.tokenVersion += 1;
        user.passwordOrigin = 'admin';
        user.mustChangePassword = true;
        notes.push('重置密码');
      }
      user.updatedAt = new Date();
      await em.update(
        User,
        { id },
        {
          displayName: user.displayName,
          role: user.role,
          storeId: user.storeId,
          active: user.active,
          tokenVersion: user.tokenVersion,
          updatedAt: user.updatedAt,
          ...(passwordHash
            ? { passwordHash, passwordOrigin: 'admin' as const, mustChangePassword: true }
            : {}),
        },
      );
      await this.audit.record(em, actor, {
        action: changes.password !== undefined ? 'user.password_reset' : 'user.update',
        entityType: 'user',
        entityId: id,
        summary: `修改用户 ${user.username}：${notes.join('，') || '无变化'}`,
        storeId: user.storeId,
      });
      return user;
    });
  }

  async get(id: number): Promise<User> {
    const user = await this.dataSource.getRepository(User).findOneBy({ id });
    if (!user) throw new NotFoundError('user', id);
    return user;
  }

  async list(filter: UserFilter, page: PageQuery): Promise<Page<User>> {
    const qb = this.dataSource.getRepository(User).createQueryBuilder('u');
    if (filter.role !== undefined) qb.andWhere('u.role = :role', filter);
    if (filter.storeId !== undefined) qb.andWhere('u.storeId = :storeId', filter);
    if (filter.active !== undefined) qb.andWhere('u.active = :active', filter);
    if (filter.search) {
      qb.andWhere('(u.username LIKE :term OR u.displayName LIKE :term)', {
        term: `%${escapeLike(filter.search)}%`,
      });
    }
    const [items, total] = await qb
      .orderBy('u.id', 'ASC')
      .skip(skipOf(page))
      .take(page.pageSize)
      .getManyAndCount();
    return pageOf(items, total, page);
  }

  async count(): Promise<number> {
    return this.dataSource.getRepository(User).count();
  }

  private async assertRoleStore(
    em: EntityManager,
    role: Role,
    storeId: number | null,
  ): Promise<void> {
    if (isStoreRole(role)) {
      if (storeId === null) {
        throw new ValidationFailedError('店长和店员必须指定所属门店（storeId）', {
          fields: [
            {
              field: 'storeId',
              constraints: ['isDefined'],
              messages: ['storeId is required for store roles'],
            },
          ],
        });
      }
      const store = await em.findOneBy(Store, { id: storeId });
      if (!store) throw new NotFoundError('store', storeId);
    } else if (storeId !== null) {
      throw new ValidationFailedError('县级管理员和审计员不属于门店，storeId 必须为空', {
        fields: [
          {
            field: 'storeId',
            constraints: ['isEmpty'],
            messages: ['storeId must be null for county roles'],
          },
        ],
      });
    }
  }
}

function withoutHash(user: User): User {
  const copy = { ...user } as Partial<User>;
  delete copy.passwordHash;
  return copy as User;
}
