import { AuditService } from '@charity/audit';
import { DomainError, type Actor } from '@charity/common';
import { AppConfig } from '@charity/config';
import { Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { DataSource } from 'typeorm';
import { verifyPassword } from './password-hasher';
import { User } from './user.entity';

/** Any valid argon2id hash: verified against for unknown users only to spend the same time. */
const UNKNOWN_USER_HASH =
  '$argon2id$v=19$m=65536,t=3,p=4$CfYTLyC4TJ8CY9tC3EQ+7Q$hbWIBTmMFzItdyYDlsHm2GYNxR+Gu6Iz5rjUtFLviGQ';

export interface AccessTokenClaims {
  sub: number;
  /** The user's token version when the token was issued. */
  ver: number;
}

export interface LoginResult {
  accessToken: string;
  tokenType: 'Bearer';
  expiresIn: string;
  user: User;
}

export interface RequestMeta {
  requestId?: string;
  ip?: string;
}

@Injectable()
export class AuthService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly jwt: JwtService,
    private readonly audit: AuditService,
    private readonly config: AppConfig,
  ) {}

  async login(username: string, password: string, meta: RequestMeta): Promise<LoginResult> {
    const user = await this.dataSource
      .getRepository(User)
      .createQueryBuilder('u')
      .addSelect('u.passwordHash')
      .where('u.username = :username', { username })
      .getOne();
    // an unknown name costs as much as a wrong password, so timing does not reveal user names
    const passwordOk = await verifyPassword(user?.passwordHash ?? UNKNOWN_USER_HASH, password);
    if (!user || !passwordOk) {
      await this.dataSource.transaction((em) =>
        this.audit.record(em, null, {
          action: 'auth.login_failed',
          entityType: 'user',
          entityId: user?.id ?? null,
          summary: `登录失败：${username.slice(0, 40)}`,
          storeId: user?.storeId ?? null,
          ...meta,
        }),
      );
      throw new DomainError('INVALID_CREDENTIALS', '用户名或密码错误');
    }
    if (!user.active) {
      throw new DomainError('ACCOUNT_DISABLED', '该账号已停用，请联系县总工会管理员');
    }
    const now = new Date();
    const actor: Actor = { ...toActor(user), ...meta };
    await this.dataSource.transaction(async (em) => {
      await em.update(User, { id: user.id }, { lastLoginAt: now });
      await this.audit.record(em, actor, {
        action: 'auth.login',
        entityType: 'user',
        entityId: user.id,
        summary: `${user.username} 登录`,
      });
    });
    const claims: AccessTokenClaims = { sub: user.id, ver: user.tokenVersion };
    const accessToken = await this.jwt.signAsync(claims);
    const { passwordHash: _omitted, ...visible } = user;
    return {
      accessToken,
      tokenType: 'Bearer',
      expiresIn: this.config.jwt.expiresIn,
      user: { ...visible, lastLoginAt: now } as User,
    };
  }

  /**
   * Resolves a bearer token to the current user. The user is read on every request so a disabled
   * account or a reset password takes effect at once.
   */
  async authenticate(token: string): Promise<User> {
    let claims: AccessTokenClaims;
    try {
      claims = await this.jwt.verifyAsync<AccessTokenClaims>(token);
    } catch {
      throw new DomainError('UNAUTHENTICATED', '登录已过期或无效，请重新登录');
    }
    const user = await this.dataSource.getRepository(User).findOneBy({ id: claims.sub });
    if (!user || user.tokenVersion !== claims.ver) {
      throw new DomainError('UNAUTHENTICATED', '登录已过期或无效，请重新登录');
    }
    if (!user.active) {
      throw new DomainError('ACCOUNT_DISABLED', '该账号已停用，请联系县总工会管理员');
    }
    return user;
  }
}

export function toActor(user: User): Actor {
  return { userId: user.id, username: user.username, role: user.role, storeId: user.storeId };
}
