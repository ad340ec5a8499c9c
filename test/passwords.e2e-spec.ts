import {
  DEMO_STAFF_PASSWORD,
  findUnsafeAccounts,
  hashPassword,
  UnsafeAccountsError,
  UsersService,
  type PasswordOrigin,
  type User,
} from '@charity/accounts';
import { SYSTEM_ACTOR, type Role } from '@charity/common';
import { DEV_DEFAULTS } from '@charity/config';
import type { Store } from '@charity/organisation';
import { randomUUID } from 'node:crypto';
import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { expectError } from './support/errors';
import { TEST_PASSWORD, type SignedIn } from './support/given';
import { createTestApp, type TestApp } from './support/test-app';

const run = promisify(execFile);

interface PasswordRow {
  passwordHash: string;
  passwordOrigin: PasswordOrigin;
  mustChangePassword: number;
  tokenVersion: number;
}

/**
 * A password someone else chose is changed at first login, and nothing else answers until then;
 * the reset command; and production's start check. The migration has its own suite
 * (password-origin-migration).
 */
describe('passwords', () => {
  let t: TestApp;
  let admin: SignedIn;
  let store: Store;

  const login = (username: string, password: string) =>
    t.http.post('/api/v1/auth/login').send({ username, password });
  const changePassword = (auth: string, body: object) =>
    t.http.post('/api/v1/auth/password').set('Authorization', auth).send(body);
  const get = (path: string, auth: string) =>
    t.http.get(`/api/v1${path}`).set('Authorization', auth);
  const passwordOf = async (id: number): Promise<PasswordRow> => {
    const [row] = await t.dataSource.query<PasswordRow[]>(
      `SELECT password_hash AS passwordHash, password_origin AS passwordOrigin,
              must_change_password AS mustChangePassword, token_version AS tokenVersion
         FROM users WHERE id = ?`,
      [id],
    );
    return row;
  };
  /** A user whose password came from `origin`, made as the bootstrap, demo loader or admin do. */
  const userWith = (passwordOrigin: PasswordOrigin, password: string, role: Role = 'clerk') =>
    t.app.get(UsersService).create(SYSTEM_ACTOR, {
      username: `pw_${passwordOrigin}_${randomUUID().slice(0, 8)}`,
      displayName: '测试改密',
      password,
      passwordOrigin,
      role,
      storeId: role === 'clerk' ? store.id : null,
    });
  const bearer = (body: { accessToken: string }) => `Bearer ${body.accessToken}`;

  beforeAll(async () => {
    t = await createTestApp();
  });
  beforeEach(async () => {
    await t.reset();
    admin = await t.given.signedIn('county_admin');
    store = await t.given.store();
  });
  afterAll(() => t.close());

  describe('a password an admin set', () => {
    it('holds the new user at the password change: every route but /auth/me answers 403', async () => {
      const created = await t.http
        .post('/api/v1/users')
        .set('Authorization', admin.auth)
        .send({
          username: 'new_clerk',
          displayName: '新店员',
          password: 'Welcome2026',
          role: 'clerk',
          storeId: store.id,
        })
        .expect(201);
      expect(created.body).toMatchObject({ passwordOrigin: 'admin', mustChangePassword: true });

      const session = await login('new_clerk', 'Welcome2026').expect(200);
      expect(session.body).toEqual({
        accessToken: expect.any(String),
        tokenType: 'Bearer',
        expiresIn: t.config.jwt.expiresIn,
        user: expect.objectContaining({ username: 'new_clerk', mustChangePassword: true }),
        mustChangePassword: true,
      });
      const auth = bearer(session.body);

      const refused = await get('/stores', auth);
      expectError(refused, 403, 'PASSWORD_CHANGE_REQUIRED');
      expect(refused.body.message).toContain('修改密码');
      expectError(await get(`/stores/${store.id}/stock`, auth), 403, 'PASSWORD_CHANGE_REQUIRED');
      const me = await get('/auth/me', auth).expect(200);
      expect(me.body).toMatchObject({ username: 'new_clerk', mustChangePassword: true });

      // the checkout reads the user in its own batch: it must refuse too, and take nothing
      const household = await t.given.household({ homeStoreId: store.id, points: 50 });
      const product = await t.given.product({ pointPrice: 10 });
      const lot = await t.given.lot(store.id, product.id, 5);
      const checkout = await t.http
        .post('/api/v1/redemptions')
        .set('Authorization', auth)
        .set('Idempotency-Key', randomUUID())
        .send({
          storeId: store.id,
          cardNo: household.cardNo,
          lines: [{ productId: product.id, quantity: 1 }],
        });
      expectError(checkout, 403, 'PASSWORD_CHANGE_REQUIRED');
      const [after] = await t.dataSource.query<{ balance: number; quantity: number }[]>(
        `SELECT h.balance, l.quantity FROM households h, stock_lots l WHERE h.id = ? AND l.id = ?`,
        [household.id, lot.id],
      );
      expect({ balance: Number(after.balance), quantity: Number(after.quantity) }).toEqual({
        balance: 50,
        quantity: 5,
      });
      expect(
        (
          await t.dataSource.query('SELECT id FROM redemptions WHERE household_id = ?', [
            household.id,
          ])
        ).length,
      ).toBe(0);
    });

    it('lets the user set their own: a new session, old tokens stop, the rest opens', async () => {
      const user = await userWith('admin', 'Welcome2026');
      const before = await passwordOf(user.id);
      const first = await login(user.username, 'Welcome2026').expect(200);

      const changed = await changePassword(bearer(first.body), {
        currentPassword: 'Welcome2026',
        newPassword: 'MyOwn-2027',
      }).expect(200);
      expect(changed.body).toMatchObject({
        tokenType: 'Bearer',
        mustChangePassword: false,
        user: { id: user.id, passwordOrigin: 'self', mustChangePassword: false },
      });

      expectError(await get('/auth/me', bearer(first.body)), 401, 'UNAUTHENTICATED');
      await get('/stores', bearer(changed.body)).expect(200);
      const after = await passwordOf(user.id);
      expect(after).toMatchObject({
        passwordOrigin: 'self',
        mustChangePassword: 0,
        tokenVersion: before.tokenVersion + 1,
      });
      expect(after.passwordHash).not.toBe(before.passwordHash);
      expectError(await login(user.username, 'Welcome2026'), 401, 'INVALID_CREDENTIALS');
      const again = await login(user.username, 'MyOwn-2027').expect(200);
      expect(again.body.mustChangePassword).toBe(false);
      await get('/stores', bearer(again.body)).expect(200);

      const audit = await t.dataSource.query<{ actorUsername: string }[]>(
        `SELECT actor_username AS actorUsername FROM audit_entries
          WHERE action = 'user.password_change' AND entity_id = ?`,
        [String(user.id)],
      );
      expect(audit).toEqual([{ actorUsername: user.username }]);
    });

    it.each([
      [
        'a wrong current password',
        { currentPassword: 'NotMine-2026', newPassword: 'MyOwn-2027' },
        422,
        'CURRENT_PASSWORD_INCORRECT',
        'currentPassword',
      ],
      [
        'the same password again',
        { currentPassword: 'Welcome2026', newPassword: 'Welcome2026' },
        400,
        'VALIDATION_FAILED',
        'newPassword',
      ],
      [
        'a weak new password',
        { currentPassword: 'Welcome2026', newPassword: 'short1' },
        400,
        'VALIDATION_FAILED',
        'newPassword',
      ],
      [
        'the published demo password',
        { currentPassword: 'Welcome2026', newPassword: DEMO_STAFF_PASSWORD },
        400,
        'VALIDATION_FAILED',
        'newPassword',
      ],
      [
        'the published admin password',
        { currentPassword: 'Welcome2026', newPassword: DEV_DEFAULTS.ADMIN_PASSWORD },
        400,
        'VALIDATION_FAILED',
        'newPassword',
      ],
      [
        'no current password',
        { newPassword: 'MyOwn-2027' },
        400,
        'VALIDATION_FAILED',
        'currentPassword',
      ],
    ])('refuses %s, changing nothing', async (_case, body, status, code, field) => {
      const user = await userWith('admin', 'Welcome2026');
      const before = await passwordOf(user.id);
      const session = await login(user.username, 'Welcome2026').expect(200);

      const response = await changePassword(bearer(session.body), body);
      expectError(response, status, code);
      expect(response.body.message).toMatch(/密码|newPassword|currentPassword/);
      expect(JSON.stringify(response.body.details)).toContain(field);

      expect(await passwordOf(user.id)).toEqual(before);
      const me = await get('/auth/me', bearer(session.body)).expect(200);
      expect(me.body.mustChangePassword).toBe(true);
    });

    it('on a reset by an admin: old tokens stop and the user must change it again', async () => {
      const clerk = await t.given.signedIn('clerk', store.id);
      const before = await passwordOf(clerk.user.id);
      expect(before).toMatchObject({ passwordOrigin: 'self', mustChangePassword: 0 });
      await get('/stores', clerk.auth).expect(200);

      const reset = await t.http
        .patch(`/api/v1/users/${clerk.user.id}`)
        .set('Authorization', admin.auth)
        .send({ password: 'Handed-Over-1' })
        .expect(200);
      expect(reset.body).toMatchObject({ passwordOrigin: 'admin', mustChangePassword: true });
      expect(await passwordOf(clerk.user.id)).toMatchObject({
        passwordOrigin: 'admin',
        mustChangePassword: 1,
        tokenVersion: before.tokenVersion + 1,
      });
      expectError(await get('/auth/me', clerk.auth), 401, 'UNAUTHENTICATED');

      const session = await login(clerk.user.username, 'Handed-Over-1').expect(200);
      expect(session.body.mustChangePassword).toBe(true);
      expectError(await get('/stores', bearer(session.body)), 403, 'PASSWORD_CHANGE_REQUIRED');
    });

    it('refuses a published password for a new user or a reset', async () => {
      const create = await t.http.post('/api/v1/users').set('Authorization', admin.auth).send({
        username: 'published_pw',
        displayName: '演示密码',
        password: DEMO_STAFF_PASSWORD,
        role: 'auditor',
      });
      expectError(create, 400, 'VALIDATION_FAILED');
      expect(create.body.message).toContain('不能使用公开的演示密码或初始密码');
      const clerk = await t.given.user('clerk', store.id);
      const reset = await t.http
        .patch(`/api/v1/users/${clerk.id}`)
        .set('Authorization', admin.auth)
        .send({ password: DEV_DEFAULTS.ADMIN_PASSWORD });
      expectError(reset, 400, 'VALIDATION_FAILED');
      expect(await passwordOf(clerk.id)).toMatchObject({ passwordOrigin: 'self' });
    });
  });

  it('holds the first admin at the password change, but lets the demo county straight in outside production', async () => {
    const first = await userWith('bootstrap', DEV_DEFAULTS.ADMIN_PASSWORD, 'county_admin');
    const held = await login(first.username, DEV_DEFAULTS.ADMIN_PASSWORD).expect(200);
    expect(held.body.mustChangePassword).toBe(true);
    expectError(await get('/users', bearer(held.body)), 403, 'PASSWORD_CHANGE_REQUIRED');
    // the queue board checks its token apart from the guards
    const board = await t.http.get('/admin/queues').set('Authorization', bearer(held.body));
    expectError(board, 403, 'PASSWORD_CHANGE_REQUIRED');

    const demo = await userWith('demo', DEMO_STAFF_PASSWORD);
    const session = await login(demo.username, DEMO_STAFF_PASSWORD).expect(200);
    expect(session.body.mustChangePassword).toBe(false);
    await get('/stores', bearer(session.body)).expect(200);
  });

  describe('npm run users:reset-password', () => {
    const resetCommand = (...usernames: string[]) =>
      run('npm', ['run', '--silent', 'users:reset-password', '--', ...usernames], {
        cwd: resolve(__dirname, '..'),
        env: { ...process.env, LOG_LEVEL: 'silent' },
      });

    it('sets a new password, printed once, that must be changed at the next login', async () => {
      const clerk = await t.given.signedIn('clerk', store.id);
      const before = await passwordOf(clerk.user.id);

      const { stdout } = await resetCommand(clerk.user.username);
      const printed = new RegExp(`^${clerk.user.username}: new password (\\S+) `).exec(stdout);
      expect(printed).not.toBeNull();
      const password = printed?.[1] ?? '';

      expect(await passwordOf(clerk.user.id)).toMatchObject({
        passwordOrigin: 'admin',
        mustChangePassword: 1,
        tokenVersion: before.tokenVersion + 1,
      });
      expectError(await get('/auth/me', clerk.auth), 401, 'UNAUTHENTICATED');
      expectError(await login(clerk.user.username, TEST_PASSWORD), 401, 'INVALID_CREDENTIALS');
      const session = await login(clerk.user.username, password).expect(200);
      expect(session.body.mustChangePassword).toBe(true);

      const audit = await t.dataSource.query<{ actorUsername: string; actorRole: string }[]>(
        `SELECT actor_username AS actorUsername, actor_role AS actorRole FROM audit_entries
          WHERE action = 'user.password_reset' AND entity_id = ?`,
        [String(clerk.user.id)],
      );
      expect(audit).toEqual([{ actorUsername: 'users:reset-password', actorRole: 'system' }]);
    }, 90_000);

    it('names an unknown user, exits 1 and changes nobody', async () => {
      const clerk: User = await t.given.user('clerk', store.id);
      const before = await passwordOf(clerk.id);
      const failed = await resetCommand(clerk.username, 'nobody_here').then(
        () => {
          throw new Error('expected the command to fail');
        },
        (error: { code: number; stderr: string }) => error,
      );
      expect(failed.code).toBe(1);
      expect(failed.stderr).toContain('No such user: nobody_here');
      expect(await passwordOf(clerk.id)).toEqual(before);
    }, 90_000);
  });
});

/** The production start check, as the api runs it before anything else in production. */
describe('accounts production refuses to start with', () => {
  let t: TestApp;
  const ADMIN_PASSWORD = 'Prod-Admin-2027';

  beforeAll(async () => {
    t = await createTestApp();
  });
  beforeEach(() => t.reset());
  afterAll(() => t.close());

  const make = (username: string, passwordOrigin: PasswordOrigin, password: string) =>
    t.app.get(UsersService).create(SYSTEM_ACTOR, {
      username,
      displayName: '启动检查',
      password,
      passwordOrigin,
      role: 'county_admin',
    });

  it('lists active demo accounts and a first admin still on another initial password', async () => {
    await make('demo_active', 'demo', DEMO_STAFF_PASSWORD);
    const disabled = await make('demo_disabled', 'demo', DEMO_STAFF_PASSWORD);
    await t.app.get(UsersService).update(SYSTEM_ACTOR, disabled.id, { active: false });
    await make('dev_admin', 'bootstrap', DEV_DEFAULTS.ADMIN_PASSWORD);
    // this deployment's own first admin, not yet signed in: a restart must work
    await make('prod_admin', 'bootstrap', ADMIN_PASSWORD);
    await make('handed_over', 'admin', 'Handed-Over-1');
    await make('own_choice', 'self', 'Own-Choice-1');

    const unsafe = await findUnsafeAccounts(t.dataSource, ADMIN_PASSWORD);
    expect(unsafe).toEqual([
      { username: 'demo_active', passwordOrigin: 'demo' },
      { username: 'dev_admin', passwordOrigin: 'bootstrap' },
    ]);
    const message = new UnsafeAccountsError(unsafe).message;
    expect(message).toContain('npm run users:reset-password -- demo_active');
    expect(message).toContain('npm run users:reset-password -- dev_admin');
    expect(message).toContain('npm run users:reset-password -- demo_active dev_admin');

    // once the first admin has chosen their own password, nothing stands in the way
    await t.dataSource.query(
      "UPDATE users SET password_origin = 'self', must_change_password = 0 WHERE username IN ('demo_active', 'dev_admin')",
    );
    expect(await findUnsafeAccounts(t.dataSource, ADMIN_PASSWORD)).toEqual([]);
  });

  describe('booting the api with NODE_ENV=production', () => {
    const saved = { ...process.env };
    afterEach(() => {
      process.env = { ...saved };
    });
    const production = (extra: Record<string, string> = {}) => {
      Object.assign(process.env, {
        NODE_ENV: 'production',
        JWT_SECRET: 'a-production-secret-that-is-long-enough-123',
        DATA_KEY: 'f'.repeat(64),
        ADMIN_PASSWORD,
        PUBLIC_BASE_URL: 'https://aixin.qingshan.gov.cn',
        ...extra,
      });
    };

    it('refuses to start, naming the accounts and the command that resets them', async () => {
      await make('qs01_clerk', 'demo', DEMO_STAFF_PASSWORD);
      await make('admin', 'bootstrap', DEV_DEFAULTS.ADMIN_PASSWORD);
      production();
      await expect(createTestApp()).rejects.toThrow(
        /Refusing to start in production[\s\S]*qs01_clerk[\s\S]*admin[\s\S]*npm run users:reset-password -- qs01_clerk admin/,
      );
    });

    it('refuses DEMO_DATA=true, naming the variable', async () => {
      production({ DEMO_DATA: 'true' });
      await expect(createTestApp()).rejects.toThrow(/DEMO_DATA: demo data .* never loaded/);
    });

    it('starts an empty database and restarts before its first admin signs in, but not with Admin@2026', async () => {
      production();
      const first = await createTestApp();
      try {
        const [created] = await first.dataSource.query<PasswordRow[]>(
          `SELECT password_origin AS passwordOrigin, must_change_password AS mustChangePassword
             FROM users`,
        );
        expect(created).toEqual({ passwordOrigin: 'bootstrap', mustChangePassword: 1 });
        expect((await first.dataSource.query('SELECT id FROM regions')).length).toBe(0);
      } finally {
        await first.close();
      }
      const again = await createTestApp();
      try {
        const session = await again.http
          .post('/api/v1/auth/login')
          .send({ username: again.config.admin.username, password: ADMIN_PASSWORD })
          .expect(200);
        expect(session.body.mustChangePassword).toBe(true);
        // as if the database had been started in development: the first admin on the default
        await again.dataSource.query('UPDATE users SET password_hash = ?', [
          await hashPassword(DEV_DEFAULTS.ADMIN_PASSWORD),
        ]);
      } finally {
        await again.close();
      }
      await expect(createTestApp()).rejects.toThrow(
        /Refusing to start in production[\s\S]*npm run users:reset-password -- admin/,
      );
    }, 90_000);
  });
});
