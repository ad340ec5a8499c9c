import type { AddressInfo } from 'node:net';
import type { Response, Test } from 'supertest';
import type { SignedIn } from './support/given';
import { createTestApp, type TestApp } from './support/test-app';

let serial = 0;
const n = (): number => ++serial;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Entry {
  id: number;
  occurredAt: string;
  actorId: number | null;
  actorUsername: string;
  actorRole: string;
  storeId: number | null;
  action: string;
  entityType: string;
  entityId: string | null;
  summary: string;
  requestId: string | null;
  ip: string | null;
}

/** What one write case sends, and the entry it must leave behind. */
interface Arranged {
  act: () => Test;
  entry: (response: Response) => Omit<Entry, 'id' | 'occurredAt' | 'requestId' | 'ip'>;
}

/**
 * The database is emptied once; each test makes its own stores and users and reads the log
 * filtered by them, so entries written by other tests (and by the factories, as 'system') do not
 * get in the way.
 */
describe('audit log', () => {
  let t: TestApp;
  let admin: SignedIn;
  let auditor: SignedIn;

  const get = (path: string, auth = admin.auth) =>
    t.http.get(`/api/v1${path}`).set('Authorization', auth);
  const send = (method: 'post' | 'patch', path: string, body: object, auth = admin.auth) =>
    t.http[method](`/api/v1${path}`).set('Authorization', auth).send(body);
  const log = async (query: string): Promise<{ items: Entry[]; total: number }> =>
    (await get(`/audit-log?${query}`).expect(200)).body;
  const total = async () => (await log('pageSize=1')).total;

  beforeAll(async () => {
    t = await createTestApp();
    await t.reset();
    admin = await t.given.signedIn('county_admin');
    auditor = await t.given.signedIn('auditor');
  });
  afterAll(() => t.close());

  const byAdmin = () => ({
    actorId: admin.user.id,
    actorUsername: admin.user.username,
    actorRole: 'county_admin',
  });

  const WRITES: [string, () => Promise<Arranged>][] = [
    [
      'region.create',
      () => {
        const name = `审计县${n()}`;
        return Promise.resolve({
          act: () => send('post', '/regions', { name, level: 'county' }),
          entry: (response: Response) => ({
            ...byAdmin(),
            storeId: null,
            action: 'region.create',
            entityType: 'region',
            entityId: String(response.body.id),
            summary: `新建县级区域“${name}”`,
          }),
        });
      },
    ],
    [
      'store.create',
      async () => {
        const township = await t.given.region('township');
        const i = n();
        return {
          act: () =>
            send('post', '/stores', {
              code: `AU${i}`,
              name: `审计超市${i}`,
              regionId: township.id,
            }),
          entry: (response) => ({
            ...byAdmin(),
            storeId: response.body.id,
            action: 'store.create',
            entityType: 'store',
            entityId: String(response.body.id),
            summary: `新建门店“审计超市${i}”（AU${i}）`,
          }),
        };
      },
    ],
    [
      'store.update',
      async () => {
        const store = await t.given.store();
        return {
          act: () => send('patch', `/stores/${store.id}`, { phone: '0391-8889999', active: false }),
          entry: () => ({
            ...byAdmin(),
            storeId: store.id,
            action: 'store.update',
            entityType: 'store',
            entityId: String(store.id),
            // the changed fields, in any order
            summary: expect.stringMatching(
              new RegExp(`^修改门店“${store.name}”：(phone, active|active, phone)$`),
            ),
          }),
        };
      },
    ],
    [
      'store.update',
      async () => {
        const store = await t.given.store();
        const manager = await t.given.signedIn('store_manager', store.id);
        return {
          act: () => send('patch', `/stores/${store.id}`, { address: '新地址' }, manager.auth),
          entry: () => ({
            actorId: manager.user.id,
            actorUsername: manager.user.username,
            actorRole: 'store_manager',
            storeId: store.id,
            action: 'store.update',
            entityType: 'store',
            entityId: String(store.id),
            summary: `修改门店“${store.name}”：address`,
          }),
        };
      },
    ],
    [
      'user.create',
      async () => {
        const store = await t.given.store();
        const username = `audit.clerk${n()}`;
        return {
          act: () =>
            send('post', '/users', {
              username,
              displayName: '审计店员',
              password: 'Welcome2026',
              role: 'clerk',
              storeId: store.id,
            }),
          entry: (response) => ({
            ...byAdmin(),
            storeId: store.id,
            action: 'user.create',
            entityType: 'user',
            entityId: String(response.body.id),
            summary: `新建用户 ${username}（clerk）`,
          }),
        };
      },
    ],
    [
      'user.update',
      async () => {
        const clerk = await t.given.user('clerk');
        return {
          act: () => send('patch', `/users/${clerk.id}`, { displayName: '改名', active: false }),
          entry: () => ({
            ...byAdmin(),
            storeId: clerk.storeId,
            action: 'user.update',
            entityType: 'user',
            entityId: String(clerk.id),
            summary: `修改用户 ${clerk.username}：姓名，停用`,
          }),
        };
      },
    ],
    [
      'user.password_reset',
      async () => {
        const auditorToReset = await t.given.user('auditor');
        return {
          act: () => send('patch', `/users/${auditorToReset.id}`, { password: 'Fresh2026pw' }),
          entry: () => ({
            ...byAdmin(),
            storeId: null,
            action: 'user.password_reset',
            entityType: 'user',
            entityId: String(auditorToReset.id),
            summary: `修改用户 ${auditorToReset.username}：重置密码`,
          }),
        };
      },
    ],
    [
      'auth.login',
      async () => {
        const clerk = await t.given.user('clerk');
        return {
          act: () =>
            t.http
              .post('/api/v1/auth/login')
              .set('X-Request-Id', `audit-login-${n()}`)
              .send({ username: clerk.username, password: 'Passw0rd!' }),
          entry: () => ({
            actorId: clerk.id,
            actorUsername: clerk.username,
            actorRole: 'clerk',
            storeId: clerk.storeId,
            action: 'auth.login',
            entityType: 'user',
            entityId: String(clerk.id),
            summary: `${clerk.username} 登录`,
          }),
        };
      },
    ],
    [
      'auth.login_failed',
      async () => {
        const manager = await t.given.user('store_manager');
        return {
          act: () =>
            t.http
              .post('/api/v1/auth/login')
              .send({ username: manager.username, password: 'not-the-password1' }),
          entry: () => ({
            actorId: null,
            actorUsername: 'anonymous',
            actorRole: 'anonymous',
            storeId: manager.storeId,
            action: 'auth.login_failed',
            entityType: 'user',
            entityId: String(manager.id),
            summary: `登录失败：${manager.username}`,
          }),
        };
      },
    ],
  ];

  it.each(WRITES)(
    '%s leaves exactly one entry naming who, where, what and which request',
    async (action, arrange) => {
      const { act, entry } = await arrange();
      const before = await total();
      const startedAt = Date.now();

      const response = await act();
      expect(response.status).toBeLessThan(500);
      const requestId = response.headers['x-request-id'];
      expect(requestId).toMatch(/^[\w.-]+$/);
      const expected = entry(response);

      const found = await log(`action=${action}&entityId=${expected.entityId}`);
      expect(found.total).toBe(1);
      expect(found.items[0]).toEqual({
        id: expect.any(Number),
        occurredAt: expect.any(String),
        requestId,
        // supertest calls from this machine: IPv4, even when Node says ::ffff:127.0.0.1
        ip: '127.0.0.1',
        ...expected,
      });
      const occurredAt = Date.parse(found.items[0].occurredAt);
      expect(occurredAt).toBeGreaterThanOrEqual(startedAt - 1000);
      expect(occurredAt).toBeLessThanOrEqual(Date.now() + 1000);
      expect(await total()).toBe(before + 1);
    },
  );

  it('stores and shows IPv4 clients as IPv4, entries written before as well', async () => {
    const region = await t.given.region('township');
    // listening on every address (::), as `npm start` does, Node reports IPv4 clients as
    // ::ffff:127.0.0.1; supertest's own server would not show it
    const server = await createTestApp();
    await server.app.listen(0);
    const { port } = server.app.getHttpServer().address() as AddressInfo;
    let created: { status: number; body: { id: number } };
    try {
      const response = await fetch(`http://127.0.0.1:${port}/api/v1/stores`, {
        method: 'POST',
        headers: { Authorization: admin.auth, 'Content-Type': 'application/json' },
        body: JSON.stringify({ code: `IP${n()}`, name: `地址超市${n()}`, regionId: region.id }),
      });
      created = { status: response.status, body: (await response.json()) as { id: number } };
    } finally {
      await server.close();
    }
    expect(created.status).toBe(201);
    const [stored] = await t.dataSource.query<{ ip: string }[]>(
      "SELECT ip FROM audit_entries WHERE action = 'store.create' AND entity_id = ?",
      [String(created.body.id)],
    );
    expect(stored?.ip).toBe('127.0.0.1');
    // an entry from before: Node's dual-stack socket gave the mapped form
    await t.dataSource.query(
      "UPDATE audit_entries SET ip = '::ffff:10.20.30.40' WHERE action = 'store.create' AND entity_id = ?",
      [String(created.body.id)],
    );
    const found = await log(`action=store.create&entityId=${created.body.id}`);
    expect(found.items.map((item) => item.ip)).toEqual(['10.20.30.40']);
  });

  it('keeps the request id a client sends, so a support call can find the entry', async () => {
    const region = await t.given.region('township');
    const requestId = `support-ticket-${n()}`;
    const response = await t.http
      .post('/api/v1/stores')
      .set('Authorization', admin.auth)
      .set('X-Request-Id', requestId)
      .send({ code: `RQ${n()}`, name: `请求号超市${n()}`, regionId: region.id })
      .expect(201);
    expect(response.headers['x-request-id']).toBe(requestId);
    const found = await log(`action=store.create&entityId=${response.body.id}`);
    expect(found.items).toEqual([expect.objectContaining({ requestId })]);
  });

  it('filters by store, actor, action, entity and time, newest first, with pages', async () => {
    const store = await t.given.store();
    const manager = await t.given.signedIn('store_manager', store.id);
    for (const phone of ['0391-0000001', '0391-0000002', '0391-0000003']) {
      await send('patch', `/stores/${store.id}`, { phone }, manager.auth).expect(200);
      await sleep(5); // distinct timestamps for the from/to bounds below
    }
    await send('patch', `/stores/${store.id}`, { address: '县里改的地址' }).expect(200);

    const atStore = await log(`storeId=${store.id}`);
    expect(atStore.items.map((e) => [e.action, e.actorRole])).toEqual([
      ['store.update', 'county_admin'],
      ['store.update', 'store_manager'],
      ['store.update', 'store_manager'],
      ['store.update', 'store_manager'],
      ['auth.login', 'store_manager'],
      ['user.create', 'system'],
      ['store.create', 'system'],
    ]);
    expect(atStore.total).toBe(7);
    const times = atStore.items.map((e) => Date.parse(e.occurredAt));
    expect(times).toEqual([...times].sort((a, b) => b - a));

    const mine = await log(`actorId=${manager.user.id}`);
    expect(mine.items.map((e) => e.action)).toEqual([
      'store.update',
      'store.update',
      'store.update',
      'auth.login',
    ]);
    const updates = await log(`actorId=${manager.user.id}&action=store.update`);
    expect(updates.total).toBe(3);
    const [third, second, first] = updates.items;

    expect((await log(`entityType=store&entityId=${store.id}`)).total).toBe(5);
    expect(
      (await log(`entityType=user&entityId=${manager.user.id}`)).items.map((e) => e.action),
    ).toEqual(['auth.login', 'user.create']);

    const sinceSecond = await log(
      `actorId=${manager.user.id}&action=store.update&from=${second.occurredAt}`,
    );
    expect(sinceSecond.items.map((e) => e.id)).toEqual([third.id, second.id]);
    const beforeSecond = await log(
      `actorId=${manager.user.id}&action=store.update&to=${second.occurredAt}`,
    );
    expect(beforeSecond.items.map((e) => e.id)).toEqual([first.id]);

    const lastPage = await log(`storeId=${store.id}&pageSize=3&page=3`);
    expect(lastPage).toMatchObject({ total: 7, page: 3, pageSize: 3 });
    expect(lastPage.items.map((e) => e.action)).toEqual(['store.create']);
  });

  it('lets an auditor read the same log and keeps store staff out, even for their own store', async () => {
    const store = await t.given.store();
    const asAdmin = await get(`/audit-log?storeId=${store.id}`).expect(200);
    const asAuditor = await get(`/audit-log?storeId=${store.id}`, auditor.auth).expect(200);
    expect(asAuditor.body).toEqual(asAdmin.body);
    expect(asAuditor.body.total).toBe(1);

    for (const role of ['store_manager', 'clerk'] as const) {
      const staff = await t.given.signedIn(role, store.id);
      const refused = await get(`/audit-log?storeId=${store.id}`, staff.auth);
      expect({ status: refused.status, code: refused.body.code }).toEqual({
        status: 403,
        code: 'FORBIDDEN',
      });
    }
  });

  it('writes nothing for requests that are refused or invalid', async () => {
    const township = await t.given.region('township');
    const store = await t.given.store({ regionId: township.id });
    const manager = await t.given.signedIn('store_manager', store.id);
    const other = await t.given.store();
    const before = await total();

    const refused: [Test, number][] = [
      [send('post', '/stores', { code: 'bad', name: '', regionId: 0 }), 400],
      [
        send('post', '/users', {
          username: 'weak.pw',
          displayName: '弱',
          password: 'weak',
          role: 'auditor',
        }),
        400,
      ],
      [send('patch', `/stores/${store.id}`, { name: null }), 400],
      [send('patch', `/stores/${store.id}`, { colour: 'red' }), 400],
      [
        send('post', '/stores', { code: store.code, name: `重复${n()}`, regionId: township.id }),
        409,
      ],
      [
        send('post', '/stores', {
          code: `NE${n()}`,
          name: `县直${n()}`,
          regionId: township.parentId!,
        }),
        422,
      ],
      [send('post', '/regions', { name: '孤村', level: 'village' }), 422],
      [send('patch', `/stores/${other.id}`, { phone: '0391-1234567' }, manager.auth), 403],
      [send('patch', `/stores/${store.id}`, { name: '店长改名' }, manager.auth), 403],
      [send('post', '/regions', { name: '审计员建的县', level: 'county' }, auditor.auth), 403],
      [
        t.http
          .post('/api/v1/stores')
          .set('Authorization', admin.auth)
          .set('Content-Type', 'application/json')
          .send('{"code":'),
        400,
      ],
    ];
    for (const [request, status] of refused) expect((await request).status).toBe(status);

    expect(await total()).toBe(before);
    const stillOne = await log(`entityType=store&entityId=${store.id}`);
    expect(stillOne.items.map((e) => e.action)).toEqual(['store.create']);
  });
});
