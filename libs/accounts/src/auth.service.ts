import { AuditService } from '@charity/audit';
import { ValidationFailedError, type Actor, type BatchedCheck, type Role } from '@charity/common';
import { AppConfig } from '@charity/config';
import { Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { DataSource } from 'typeorm';
import {
  AccountDisabledError,
  CurrentPasswordIncorrectError,
  InvalidCredentialsError,
  PasswordChangeRequiredError,
  UnauthenticatedError,
} from './account-errors';
import { hashPassword, verifyPassword } from './password-hasher';
import { passwordChangeRequired, type PasswordState } from './password-origin';
import { User } from './user.entity';
import { isPossibleUsername, normalizeUsername } from './username';

/**
 * How long a verified token's signature check is reused. Only the signature and expiry check is
 * skipped: the user row is still read on every request.
 */
const VERIFIED_TOKEN_TTL_MS = 10_000;
/** Bounds the verified-token cache; the oldest entry goes first. */
const VERIFIED_TOKEN_LIMIT = 5_000;

/** The user's columns but the password hash, in the entity's order. */
const USER_COLUMNS = `id, username, display_name AS displayName, password_origin AS passwordOrigin,
  must_change_password AS mustChangePassword, role, store_id AS storeId, active,
  token_version AS tokenVersion, last_login_at AS lastLoginAt, created_at AS createdAt,
  updated_at AS updatedAt`;

type UserRow = Omit<User, 'passwordHash' | 'store' | 'active' | 'mustChangePassword'> & {
  active: number | boolean;
  mustChangePassword: number | boolean;
};

/** What the batched check reads of the user's row. */
type UserCheckRow = Pick<
  UserRow,
  'tokenVersion' | 'active' | 'passwordOrigin' | 'mustChangePassword'
>;

/** Any valid argon2id hash: verified against for unknown users only to spend the same time. */
const UNKNOWN_USER_HASH =
  '$argon2id$v=19$m=65536,t=3,p=4$CfYTLyC4TJ8CY9tC3EQ+7Q$hbWIBTmMFzItdyYDlsHm2GYNxR+Gu6Iz5rjUtFLviGQ';

export interface AccessTokenClaims {
  sub: number;
  /** The user's token version when the token was issued. */
  ver: number;
  /**
   * The user's name, role and store when the token was issued. Any change of role, store or
   * state bumps the version, so while `ver` is current these are too (authenticateInBatch).
   * Tokens issued before they were added lack them.
   */
  usr?: string;
  role?: Role;
  store?: number | null;
  /** Expiry, seconds since the epoch (set by the signer). */
  exp?: number;
}

export interface LoginResult {
  accessToken: string;
  tokenType: 'Bearer';
  expiresIn: string;
  user: User;
  /** Every route but the password change and /auth/me refuses the token until it is done. */
  mustChangePassword: boolean;
}

/** A provisional user from a token, and the check that confirms it inside the caller's batch. */
export interface BatchedAuthentication {
  user: User;
  check: BatchedCheck;
}

export interface RequestMeta {
  requestId?: string;
  ip?: string;
}

@Injectable()
export class AuthService {
  /** Tokens whose signature has been checked, until a few seconds on (never past their expiry). */
  private readonly verified = new Map<string, { claims: AccessTokenClaims; until: number }>();

  constructor(
    private readonly dataSource: DataSource,
    private readonly jwt: JwtService,
    private readonly audit: AuditService,
    private readonly config: AppConfig,
  ) {}

  async login(typedUsername: string, password: string, meta: RequestMeta): Promise<LoginResult> {
    // the name the login limiter counts on: no other spelling may reach the account
    const username = normalizeUsername(typedUsername);
    const user = isPossibleUsername(username)
      ? await this.dataSource
          .getRepository(User)
          .createQueryBuilder('u')
          .addSelect('u.passwordHash')
          .where('u.username = :username', { username })
          .getOne()
      : null;
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
      throw new InvalidCredentialsError();
    }
    if (!user.active) {
      throw new AccountDisabledError();
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
    const { passwordHash: _omitted, ...visible } = user;
    return this.session({ ...visible, lastLoginAt: now } as User);
  }

  /**
   * The signed-in user sets their own password: the current one must be right and the new one
   * different. Other sessions end (the token version moves on); the answer is a new session.
   */
  async changePassword(
    actor: Actor,
    currentPassword: string,
    newPassword: string,
  ): Promise<LoginResult> {
    const user = await this.dataSource
      .getRepository(User)
      .createQueryBuilder('u')
      .addSelect('u.passwordHash')
      .where('u.id = :id', { id: actor.userId })
      .getOne();
    if (!user) throw new UnauthenticatedError();
    if (!(await verifyPassword(user.passwordHash, currentPassword))) {
      throw new CurrentPasswordIncorrectError();
    }
    if (newPassword === currentPassword) {
      throw new ValidationFailedError('新密码不能与当前密码相同', {
        fields: [
          {
            field: 'newPassword',
            constraints: ['differsFromCurrent'],
            messages: ['newPassword must differ from currentPassword'],
          },
        ],
      });
    }
    const passwordHash = await hashPassword(newPassword);
    const now = new Date();
    await this.dataSource.transaction(async (em) => {
      // the hash just verified: a change or reset that came in meanwhile wins
      const result = await em
        .createQueryBuilder()
        .update(User)
        .set({
          passwordHash,
          passwordOrigin: 'self',
          mustChangePassword: false,
          tokenVersion: () => 'token_version + 1',
          updatedAt: now,
        })
        .where('id = :id AND password_hash = :old', { id: user.id, old: user.passwordHash })
        .execute();
      if (result.affected !== 1) {
        throw new UnauthenticatedError('密码已被修改，请重新登录');
      }
      await this.audit.record(em, actor, {
        action: 'user.password_change',
        entityType: 'user',
        entityId: user.id,
        summary: `${user.username} 修改了自己的密码`,
      });
    });
    const { passwordHash: _omitted, ...visible } = user;
    return this.session({
      ...visible,
      passwordOrigin: 'self',
      mustChangePassword: false,
      tokenVersion: user.tokenVersion + 1,
      updatedAt: now,
    } as User);
  }

  /**
   * Refuses a user who has to set their own password first (PASSWORD_CHANGE_REQUIRED); the auth
   * guard calls it on every route but the password change and /auth/me.
   */
  assertPasswordSettled(user: PasswordState): void {
    if (passwordChangeRequired(user, this.config.nodeEnv)) {
      throw new PasswordChangeRequiredError();
    }
  }

  /** Whether the user has to set their own password before anything else. */
  mustChangePassword(user: PasswordState): boolean {
    return passwordChangeRequired(user, this.config.nodeEnv);
  }

  private async session(user: User): Promise<LoginResult> {
    const claims: AccessTokenClaims = {
      sub: user.id,
      ver: user.tokenVersion,
      usr: user.username,
      role: user.role,
      store: user.storeId,
    };
    return {
      accessToken: await this.jwt.signAsync(claims),
      tokenType: 'Bearer',
      expiresIn: this.config.jwt.expiresIn,
      user,
      mustChangePassword: this.mustChangePassword(user),
    };
  }

  /**
   * Resolves a bearer token to the current user. The user is read on every request so a disabled
   * account or a reset password takes effect at once.
   */
  async authenticate(token: string): Promise<User> {
    const claims = await this.verify(token);
    // plain SQL: every request reads the user, and the ORM's find cost more CPU than the query
    const [row] = await this.dataSource.query<UserRow[]>(
      `SELECT ${USER_COLUMNS} FROM users WHERE id = ? LIMIT 1`,
      [claims.sub],
    );
    assertCurrent(row, claims);
    return toUser(row);
  }

  /**
   * authenticate() for a route that reads the user in its own first round trip (the till's
   * checkout): the user comes from the token's claims at once, and `check` queues the read of
   * the user's row into the route's batch and, once it has run, throws exactly as authenticate()
   * and assertPasswordSettled() would. The route must run the check before it writes or answers anything. Null for a token
   * issued without the user's role and store, which authenticate() handles.
   */
  async authenticateInBatch(token: string): Promise<BatchedAuthentication | null> {
    const claims = await this.verify(token);
    const { usr, role, store } = claims;
    if (usr === undefined || role === undefined || store === undefined) return null;
    const user = Object.assign(new User(), {
      id: claims.sub,
      username: usr,
      role,
      storeId: store,
      active: true,
      tokenVersion: claims.ver,
    });
    const check: BatchedCheck = (batch) => {
      const read = batch.select<UserCheckRow>(
        `SELECT token_version AS tokenVersion, active, password_origin AS passwordOrigin,
                must_change_password AS mustChangePassword
           FROM users WHERE id = ? LIMIT 1`,
        [claims.sub],
      );
      return () => {
        const row = batch.rowsOf(read)[0];
        assertCurrent(row, claims);
        // no batched route is one a user may call before changing the password
        this.assertPasswordSettled({ ...row, mustChangePassword: Boolean(row.mustChangePassword) });
      };
    };
    return { user, check };
  }

  /**
   * Checks the token's signature and expiry. A till sends the same token with every request, so
   * a checked token is remembered for a few seconds (HMAC verification was a large share of a
   * checkout's CPU); the user row is still read on every request.
   */
  private async verify(token: string): Promise<AccessTokenClaims> {
    const now = Date.now();
    const known = this.verified.get(token);
    if (known && known.until > now) return known.claims;
    let claims: AccessTokenClaims;
    try {
      claims = await this.jwt.verifyAsync<AccessTokenClaims>(token);
    } catch {
      this.verified.delete(token);
      throw new UnauthenticatedError();
    }
    const until = Math.min(
      now + VERIFIED_TOKEN_TTL_MS,
      claims.exp === undefined ? Infinity : claims.exp * 1000,
    );
    this.verified.delete(token);
    if (this.verified.size >= VERIFIED_TOKEN_LIMIT) {
      const oldest = this.verified.keys().next();
      if (!oldest.done) this.verified.delete(oldest.value);
    }
    this.verified.set(token, { claims, until });
    return claims;
  }
}

/** Throws unless the user's row still matches the token: same version, account active. */
function assertCurrent<Row extends Pick<UserRow, 'tokenVersion' | 'active'>>(
  row: Row | undefined,
  claims: AccessTokenClaims,
): asserts row is Row {
  if (!row || row.tokenVersion !== claims.ver) {
    throw new UnauthenticatedError();
  }
  if (!row.active) {
    throw new AccountDisabledError();
  }
}

/** A user row read in plain SQL, as the ORM would have hydrated it. */
function toUser(row: UserRow): User {
  return Object.assign(new User(), {
    id: row.id,
    username: row.username,
    displayName: row.displayName,
    passwordOrigin: row.passwordOrigin,
    mustChangePassword: Boolean(row.mustChangePassword),
    role: row.role,
    storeId: row.storeId,
    active: Boolean(row.active),
    tokenVersion: row.tokenVersion,
    lastLoginAt: row.lastLoginAt,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  });
}

export function toActor(user: User): Actor {
  return { userId: user.id, username: user.username, role: user.role, storeId: user.storeId };
}
