import type { Role } from '@charity/common';
import type { Store } from '@charity/organisation';
import type { SignedIn } from './support/given';
import { createTestApp, type TestApp } from './support/test-app';
import { expectError } from './support/errors';

let serial = 0;
const n = (): number => ++serial;

const SECRETS = /passwordHash|tokenVersion|argon2/;

/**
 * The database is emptied once; each test makes its own users (unique names) and, where it
 * counts them, its own store, so tests do not depend on each other.
 */
describe('users', () => {
  let t: TestApp;
  let admin: SignedIn;
  let store: Store;

  const get = (path: string, auth = admin.auth) =>
    t.http.get(`/api/v1${path}`).set('Authorization', auth);
  const post = (path: string, body: object) =>
    t.http.post(`/api/v1${path}`).set('Authorization', admin.auth).send(body);
  const patch = (path: string, body: object) =>
    t.http.patch(`/api/v1${path}`).set('Authorization', admin.auth).send(body);
  const login = (username: string, password: string) =>
    t.http.post('/api/v1/auth/login').send({ username, password });
  const me = (auth: string) => t.http.get('/api/v1/auth/me').set('Authorization', auth);

  beforeAll(async () => {
    t = await createTestApp();
    await t.reset();
    admin = await t.given.signedIn('county_admin');
    store = await t.given.store();
  });
  afterAll(() => t.close());

  describe('creating', () => {
    it.each([
      ['county_admin', false],
      ['store_manager', true],
      ['clerk', true],
      ['auditor', false],
    ] as [Role, boolean][])(
      'creates a user with role %s, who can then sign in',
      async (role, inStore) => {
        const username = `new.${role}.${n()}`;
        const created = await post('/users', {
          username,
          displayName: '新同事',
          password: 'Welcome2026',
          role,
          ...(inStore ? { storeId: store.id } : {}),
        }).expect(201);
        expect(created.body).toEqual({
          id: expect.any(Number),
          username,
          displayName: '新同事',
          role,
          storeId: inStore ? store.id : null,
          active: true,
          // an admin chose the password: the new user must set their own at first login
          passwordOrigin: 'admin',
          mustChangePassword: true,
          lastLoginAt: null,
          createdAt: expect.any(String),
          updatedAt: expect.any(String),
        });
        expect(JSON.stringify(created.body)).not.toMatch(SECRETS);

        const session = await login(username, 'Welcome2026').expect(200);
        expect(session.body.user).toMatchObject({ id: created.body.id, role });
        expect(session.body.mustChangePassword).toBe(true);
        const read = await get(`/users/${created.body.id}`).expect(200);
        expect(read.body).toMatchObject({ username, lastLoginAt: expect.any(String) });
        expect(JSON.stringify(read.body)).not.toMatch(SECRETS);
      },
    );

    it.each([
      ['a clerk without a store', () => ({ role: 'clerk' }), 400, 'VALIDATION_FAILED'],
      [
        'a store manager with storeId null',
        () => ({ role: 'store_manager', storeId: null }),
        400,
        'VALIDATION_FAILED',
      ],
      [
        'a county admin with a store',
        (s: Store) => ({ role: 'county_admin', storeId: s.id }),
        400,
        'VALIDATION_FAILED',
      ],
      [
        'an auditor with a store',
        (s: Store) => ({ role: 'auditor', storeId: s.id }),
        400,
        'VALIDATION_FAILED',
      ],
      [
        'a clerk of a store that does not exist',
        () => ({ role: 'clerk', storeId: 987654 }),
        404,
        'NOT_FOUND',
      ],
    ])('refuses %s, creating nobody', async (_case, fields, status, code) => {
      const username = `refused.${n()}`;
      const body = { username, displayName: '不该存在', password: 'Welcome2026', ...fields(store) };
      const response = await post('/users', body);
      expectError(response, status, code);
      if (status === 400) {
        expect(response.body.message).toContain('storeId');
        expect(response.body.details.fields).toEqual([
          expect.objectContaining({ field: 'storeId' }),
        ]);
      }
      expect((await get(`/users?search=${username}`).expect(200)).body.total).toBe(0);
    });

    it('refuses a username that is taken, in any capitalisation', async () => {
      const taken = await t.given.user('clerk', store.id, `taken.${n()}`);
      for (const username of [taken.username, taken.username.toUpperCase()]) {
        const response = await post('/users', {
          username,
          displayName: '重名',
          password: 'Welcome2026',
          role: 'auditor',
        });
        expectError(response, 409, 'DUPLICATE');
        expect(response.body.message).toContain(username);
      }
      const listed = await get(`/users?search=${taken.username}`).expect(200);
      expect(listed.body.items).toEqual([expect.objectContaining({ id: taken.id, role: 'clerk' })]);
    });
  });

  describe('listing', () => {
    it('filters by store, role and active, searches names literally, and pages', async () => {
      const own = await t.given.store();
      const make = async (username: string, displayName: string, role: Role) =>
        (
          await post('/users', {
            username,
            displayName,
            password: 'Welcome2026',
            role,
            storeId: own.id,
          }).expect(201)
        ).body;
      const i = n();
      const manager = await make(`sun.mgr${i}`, '孙店长', 'store_manager');
      const zhao = await make(`zhao_${i}`, '赵小梅', 'clerk');
      const qian = await make(`qian-${i}`, '钱小梅', 'clerk');
      await patch(`/users/${qian.id}`, { active: false }).expect(200);

      const ids = async (query: string) => {
        const response = await get(`/users?storeId=${own.id}&${query}`).expect(200);
        expect(response.body.total).toBe(response.body.items.length);
        return response.body.items.map((u: { id: number }) => u.id);
      };
      expect(await ids('')).toEqual([manager.id, zhao.id, qian.id]);
      expect(await ids('role=clerk')).toEqual([zhao.id, qian.id]);
      expect(await ids('active=false')).toEqual([qian.id]);
      expect(await ids('active=true')).toEqual([manager.id, zhao.id]);
      expect(await ids(`search=${encodeURIComponent('小梅')}`)).toEqual([zhao.id, qian.id]);
      expect(await ids(`search=mgr${i}`)).toEqual([manager.id]);
      // _ and % are matched as themselves, not as LIKE wildcards
      expect(await ids('search=_')).toEqual([zhao.id]);
      expect(await ids('search=%25')).toEqual([]);

      const second = await get(`/users?storeId=${own.id}&pageSize=2&page=2`).expect(200);
      expect(second.body).toMatchObject({
        total: 3,
        page: 2,
        pageSize: 2,
        items: [{ id: qian.id }],
      });

      const auditor = await t.given.signedIn('auditor');
      const seenByAuditor = await get(`/users?storeId=${own.id}`, auditor.auth).expect(200);
      expect(seenByAuditor.body.items.map((u: { id: number }) => u.id)).toEqual([
        manager.id,
        zhao.id,
        qian.id,
      ]);
      expect(JSON.stringify(seenByAuditor.body)).not.toMatch(SECRETS);
    });

    it('answers 404 NOT_FOUND for a user that does not exist', async () => {
      expectError(await get('/users/987654'), 404, 'NOT_FOUND');
      expectError(await patch('/users/987654', { displayName: '无人' }), 404, 'NOT_FOUND');
    });
  });

  describe('changing', () => {
    it('disables an account at once; enabling it again does not revive old tokens', async () => {
      const clerk = await t.given.signedIn('clerk', store.id);
      await me(clerk.auth).expect(200);

      const off = await patch(`/users/${clerk.user.id}`, { active: false }).expect(200);
      expect(off.body).toMatchObject({ id: clerk.user.id, active: false });
      expect((await me(clerk.auth)).status).toBe(401);
      expectError(await login(clerk.user.username, 'Passw0rd!'), 401, 'ACCOUNT_DISABLED');

      await patch(`/users/${clerk.user.id}`, { active: true }).expect(200);
      expect((await me(clerk.auth)).status).toBe(401);
      const again = await t.given.signIn(clerk.user);
      await me(again.auth).expect(200);
    });

    it('resets a password: old password and tokens stop, the new one works', async () => {
      const clerk = await t.given.signedIn('clerk', store.id);
      const weak = await patch(`/users/${clerk.user.id}`, { password: 'weakpass' });
      expectError(weak, 400, 'VALIDATION_FAILED');
      await me(clerk.auth).expect(200);

      const reset = await patch(`/users/${clerk.user.id}`, { password: 'Fresh2026pw' }).expect(200);
      expect(JSON.stringify(reset.body)).not.toMatch(/Fresh2026pw|passwordHash|argon2/);
      expectError(await me(clerk.auth), 401, 'UNAUTHENTICATED');
      expectError(await login(clerk.user.username, 'Passw0rd!'), 401, 'INVALID_CREDENTIALS');
      await login(clerk.user.username, 'Fresh2026pw').expect(200);
    });

    it('moves a clerk to another store; the new session sees only the new store', async () => {
      const other = await t.given.store();
      const clerk = await t.given.signedIn('clerk', store.id);

      const moved = await patch(`/users/${clerk.user.id}`, { storeId: other.id }).expect(200);
      expect(moved.body).toMatchObject({ role: 'clerk', storeId: other.id });
      expect((await me(clerk.auth)).status).toBe(401);

      const session = await t.given.signIn(clerk.user);
      const stores = await get('/stores', session.auth).expect(200);
      expect(stores.body.items.map((s: Store) => s.id)).toEqual([other.id]);
      expectError(await get(`/stores/${store.id}`, session.auth), 403, 'FORBIDDEN');
    });

    it('makes a clerk a county admin only once the store is cleared', async () => {
      const clerk = await t.given.user('clerk', store.id);

      const kept = await patch(`/users/${clerk.id}`, { role: 'county_admin' });
      expectError(kept, 400, 'VALIDATION_FAILED');
      expect(kept.body.message).toContain('storeId');
      expect((await get(`/users/${clerk.id}`).expect(200)).body).toMatchObject({
        role: 'clerk',
        storeId: store.id,
      });

      const promoted = await patch(`/users/${clerk.id}`, { role: 'county_admin', storeId: null });
      expect(promoted.status).toBe(200);
      expect(promoted.body).toMatchObject({ role: 'county_admin', storeId: null });
      const session = await t.given.signIn(clerk);
      await get('/users', session.auth).expect(200);
    });

    it('renames a user, keeping rare characters intact', async () => {
      const clerk = await t.given.user('clerk', store.id);
      const renamed = await patch(`/users/${clerk.id}`, { displayName: '欧阳𠮷祥' }).expect(200);
      expect(renamed.body).toMatchObject({ displayName: '欧阳𠮷祥', role: 'clerk', active: true });
      expect((await get(`/users/${clerk.id}`).expect(200)).body.displayName).toBe('欧阳𠮷祥');
      const found = await get(`/users?search=${encodeURIComponent('𠮷祥')}`).expect(200);
      expect(found.body.items.map((u: { id: number }) => u.id)).toEqual([clerk.id]);
    });
  });
});
