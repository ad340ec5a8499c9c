import type { User } from '@charity/accounts';
import type { Role } from '@charity/common';
import type { Store } from '@charity/organisation';
import type { SignedIn } from './support/given';
import { createTestApp, type TestApp } from './support/test-app';
import { expectError } from './support/errors';

type Caller = Role | 'anonymous';
type Method = 'get' | 'post' | 'patch';

/** Rows every test in this file shares; none of the tests changes who may do what. */
interface World {
  storeA: Store;
  storeB: Store;
  /** A user nobody signs in as, for GET/PATCH /users/:id. */
  target: User;
  sessions: Record<Role, SignedIn>;
}

interface Call {
  method: Method;
  path: string;
  body?: object;
}

let serial = 0;
const unique = (): number => ++serial;

const ENDPOINTS = {
  'GET /regions': () => ({ method: 'get', path: '/api/v1/regions' }),
  'POST /regions': () => ({
    method: 'post',
    path: '/api/v1/regions',
    body: { name: `权限测试县${unique()}`, level: 'county' },
  }),
  'GET /stores': () => ({ method: 'get', path: '/api/v1/stores' }),
  'GET /stores/:ownId': (w) => ({ method: 'get', path: `/api/v1/stores/${w.storeA.id}` }),
  'POST /stores': (w) => {
    const n = unique();
    return {
      method: 'post',
      path: '/api/v1/stores',
      body: { code: `AC${n}`, name: `权限测试超市${n}`, regionId: w.storeA.regionId },
    };
  },
  'PATCH /stores/:ownId': (w) => ({
    method: 'patch',
    path: `/api/v1/stores/${w.storeA.id}`,
    body: { phone: `0391-555${1000 + unique()}` },
  }),
  'GET /users': () => ({ method: 'get', path: '/api/v1/users' }),
  'GET /users/:id': (w) => ({ method: 'get', path: `/api/v1/users/${w.target.id}` }),
  'POST /users': () => ({
    method: 'post',
    path: '/api/v1/users',
    body: {
      username: `ac_user_${unique()}`,
      displayName: '权限测试',
      password: 'Passw0rd!',
      role: 'auditor',
    },
  }),
  'PATCH /users/:id': (w) => ({
    method: 'patch',
    path: `/api/v1/users/${w.target.id}`,
    body: { displayName: `改名${unique()}` },
  }),
  'GET /audit-log': () => ({ method: 'get', path: '/api/v1/audit-log' }),
} satisfies Record<string, (w: World) => Call>;
type Endpoint = keyof typeof ENDPOINTS;

// prettier-ignore
const MATRIX: [Endpoint, county_admin: number, store_manager: number, clerk: number, auditor: number, anonymous: number][] = [
  ['GET /regions',         200, 200, 200, 200, 401],
  ['POST /regions',        201, 403, 403, 403, 401],
  ['GET /stores',          200, 200, 200, 200, 401],
  ['GET /stores/:ownId',   200, 200, 200, 200, 401],
  ['POST /stores',         201, 403, 403, 403, 401],
  ['PATCH /stores/:ownId', 200, 200, 403, 403, 401],
  ['GET /users',           200, 403, 403, 200, 401],
  ['GET /users/:id',       200, 403, 403, 200, 401],
  ['POST /users',          201, 403, 403, 403, 401],
  ['PATCH /users/:id',     200, 403, 403, 403, 401],
  ['GET /audit-log',       200, 403, 403, 200, 401],
];
const CALLERS: Caller[] = ['county_admin', 'store_manager', 'clerk', 'auditor', 'anonymous'];

const CASES = MATRIX.flatMap(([endpoint, ...statuses]) =>
  CALLERS.map((caller, i) => ({ endpoint, caller, status: statuses[i] })),
);

describe('access control', () => {
  let t: TestApp;
  let w: World;

  const send = (call: Call, auth?: string) => {
    const request = t.http[call.method](call.path);
    if (auth) request.set('Authorization', auth);
    return call.body === undefined ? request : request.send(call.body);
  };
  const as = (caller: Caller) => (caller === 'anonymous' ? undefined : w.sessions[caller].auth);

  beforeAll(async () => {
    t = await createTestApp();
    await t.reset();
    const storeA = await t.given.store();
    const storeB = await t.given.store();
    const [countyAdmin, storeManager, clerk, auditor] = await Promise.all([
      t.given.signedIn('county_admin'),
      t.given.signedIn('store_manager', storeA.id),
      t.given.signedIn('clerk', storeA.id),
      t.given.signedIn('auditor'),
    ]);
    w = {
      storeA,
      storeB,
      target: await t.given.user('clerk', storeB.id),
      sessions: { county_admin: countyAdmin, store_manager: storeManager, clerk, auditor },
    };
  });
  afterAll(() => t.close());

  it.each(CASES)('$caller: $endpoint → $status', async ({ endpoint, caller, status }) => {
    const response = await send(ENDPOINTS[endpoint](w), as(caller));
    if (status === 401) expectError(response, 401, 'UNAUTHENTICATED');
    else if (status === 403) expectError(response, 403, 'FORBIDDEN');
    else {
      // an error body would be shown here on failure
      const error = 'statusCode' in response.body ? response.body : undefined;
      expect({ status: response.status, error }).toEqual({ status });
    }
  });

  describe('store roles stay in their own store', () => {
    const OTHER_STORE: [string, (w: World) => Call][] = [
      ['GET /stores/:otherId', (w) => ({ method: 'get', path: `/api/v1/stores/${w.storeB.id}` })],
      [
        'PATCH /stores/:otherId',
        (w) => ({ method: 'patch', path: `/api/v1/stores/${w.storeB.id}`, body: { phone: '110' } }),
      ],
      // ids the router turns into numbers (2.0 → 2) must not slip past the scope check
      [
        'GET /stores/:otherId written as a decimal',
        (w) => ({ method: 'get', path: `/api/v1/stores/${w.storeB.id}.0` }),
      ],
      [
        'PATCH /stores/:otherId written with an exponent',
        (w) => ({
          method: 'patch',
          path: `/api/v1/stores/${w.storeB.id}e0`,
          body: { phone: '110' },
        }),
      ],
      [
        'GET /stores?storeId=other',
        (w) => ({ method: 'get', path: `/api/v1/stores?storeId=${w.storeB.id}` }),
      ],
      [
        'PATCH /stores/:ownId with body storeId=other',
        (w) => ({
          method: 'patch',
          path: `/api/v1/stores/${w.storeA.id}`,
          body: { storeId: w.storeB.id },
        }),
      ],
      // the scope is checked before validation, so a bad body cannot tell whether the store exists
      [
        'PATCH /stores/:otherId with an invalid body',
        (w) => ({
          method: 'patch',
          path: `/api/v1/stores/${w.storeB.id}`,
          body: { phone: 'not a phone', colour: 'red' },
        }),
      ],
      [
        'GET /stores?storeId=other&page=0',
        (w) => ({ method: 'get', path: `/api/v1/stores?storeId=${w.storeB.id}&page=0` }),
      ],
    ];
    const cases = OTHER_STORE.flatMap(([name, call]) =>
      (['store_manager', 'clerk'] as const).map((role) => ({ name, call, role })),
    );

    it.each(cases)('$role: $name → 403 FORBIDDEN', async ({ call, role }) => {
      expectError(await send(call(w), w.sessions[role].auth), 403, 'FORBIDDEN');
    });

    it('leaves the other store untouched after the refused writes', async () => {
      await send(
        { method: 'patch', path: `/api/v1/stores/${w.storeB.id}`, body: { phone: '110' } },
        w.sessions.store_manager.auth,
      ).expect(403);
      const storeB = await t.http
        .get(`/api/v1/stores/${w.storeB.id}`)
        .set('Authorization', w.sessions.county_admin.auth)
        .expect(200);
      expect(storeB.body).toMatchObject({ id: w.storeB.id, name: w.storeB.name, phone: null });
    });

    it.each(['county_admin', 'auditor'] as const)('%s reaches any store', async (role) => {
      const response = await t.http
        .get(`/api/v1/stores/${w.storeB.id}`)
        .set('Authorization', w.sessions[role].auth)
        .expect(200);
      expect(response.body).toMatchObject({ id: w.storeB.id, code: w.storeB.code });
    });

    it.each(['store_manager', 'clerk'] as const)(
      '%s of store A lists only store A, whatever the filter',
      async (role) => {
        const auth = w.sessions[role].auth;
        const all = await t.http.get('/api/v1/stores').set('Authorization', auth).expect(200);
        expect(all.body).toMatchObject({ total: 1, items: [{ id: w.storeA.id }] });
        expect(all.body.items).toHaveLength(1);

        const inB = await t.http
          .get(`/api/v1/stores?regionId=${w.storeB.regionId}`)
          .set('Authorization', auth)
          .expect(200);
        expect(inB.body).toMatchObject({ total: 0, items: [] });

        // a county user sees both for comparison
        const county = await t.http
          .get('/api/v1/stores')
          .set('Authorization', w.sessions.auditor.auth)
          .expect(200);
        expect(county.body.items.map((s: Store) => s.id)).toEqual(
          expect.arrayContaining([w.storeA.id, w.storeB.id]),
        );
      },
    );
  });

  describe('auditors read everything and write nothing', () => {
    // invalid bodies on purpose: the refusal comes before validation
    const WRITES: [string, (w: World) => Call][] = [
      ['POST /regions', () => ({ method: 'post', path: '/api/v1/regions', body: {} })],
      ['POST /stores', () => ({ method: 'post', path: '/api/v1/stores', body: { colour: 1 } })],
      [
        'PATCH /stores/:id',
        (w) => ({
          method: 'patch',
          path: `/api/v1/stores/${w.storeA.id}`,
          body: { active: false },
        }),
      ],
      ['POST /users', () => ({ method: 'post', path: '/api/v1/users', body: {} })],
      [
        'PATCH /users/:id',
        (w) => ({ method: 'patch', path: `/api/v1/users/${w.target.id}`, body: { active: false } }),
      ],
      [
        'PATCH /users/:ownId',
        (w) => ({
          method: 'patch',
          path: `/api/v1/users/${w.sessions.auditor.user.id}`,
          body: { role: 'county_admin' },
        }),
      ],
    ];

    it.each(WRITES)('%s → 403 FORBIDDEN', async (_name, call) => {
      expectError(await send(call(w), w.sessions.auditor.auth), 403, 'FORBIDDEN');
    });

    it('changes nothing when refused', async () => {
      for (const [, call] of WRITES) await send(call(w), w.sessions.auditor.auth).expect(403);
      const admin = w.sessions.county_admin.auth;
      const [store, target, self] = await Promise.all([
        t.http.get(`/api/v1/stores/${w.storeA.id}`).set('Authorization', admin).expect(200),
        t.http.get(`/api/v1/users/${w.target.id}`).set('Authorization', admin).expect(200),
        t.http.get('/api/v1/auth/me').set('Authorization', w.sessions.auditor.auth).expect(200),
      ]);
      expect(store.body.active).toBe(true);
      expect(target.body.active).toBe(true);
      expect(self.body.role).toBe('auditor');
    });
  });
});
