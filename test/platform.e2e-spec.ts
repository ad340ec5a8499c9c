import { DEMO_PRODUCTS, DEMO_STAFF_PASSWORD, DEMO_STORES, DEMO_USERS } from '@charity/demo';
import { findStockLedgerMismatches } from '@charity/inventory';
import { MIGRATIONS } from '../libs/database/src/migrations';
import { createConnection } from 'mysql2/promise';
import { Test } from '@nestjs/testing';
import { WorkerModule } from '../apps/worker/src/worker.module';
import { eventually } from './support/eventually';
import { createTestApp, type TestApp } from './support/test-app';
import { testDatabaseName, withDatabase } from './test-database';

describe('platform', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('reports the database and Redis as up on /health without a login', async () => {
    const response = await t.http.get('/health').expect(200);
    expect(response.body).toMatchObject({
      status: 'ok',
      info: { database: { status: 'up' }, redis: { status: 'up' } },
    });
  });

  it('tells on /health/worker whether a worker takes jobs from every queue', async () => {
    const none = await t.http.get('/health/worker');
    expect(none.status).toBe(503);
    expect(none.body).toMatchObject({
      status: 'error',
      error: {
        worker: {
          status: 'down',
          workers: { maintenance: 0, documents: 0, points: 0, reports: 0 },
          message: expect.stringContaining('no worker is taking jobs from maintenance, documents'),
        },
      },
    });
    // the api itself is still healthy without one
    await t.http.get('/health').expect(200);

    const worker = await Test.createTestingModule({ imports: [WorkerModule] }).compile();
    await worker.init();
    try {
      const running = await eventually(async () => {
        const response = await t.http.get('/health/worker');
        return response.status === 200 ? response : undefined;
      });
      expect(running.body).toMatchObject({
        status: 'ok',
        info: {
          worker: {
            status: 'up',
            workers: { maintenance: 1, documents: 1, points: 1, reports: 1 },
          },
        },
      });
    } finally {
      await worker.close();
    }
    await eventually(async () =>
      (await t.http.get('/health/worker')).status === 503 ? true : undefined,
    );
  });

  it('serves the OpenAPI document with the documented routes', async () => {
    const response = await t.http.get('/api/docs-json').expect(200);
    const paths = Object.keys(response.body.paths as Record<string, unknown>);
    expect(paths).toEqual(
      expect.arrayContaining([
        '/api/v1/auth/login',
        '/api/v1/auth/me',
        '/api/v1/regions',
        '/api/v1/stores',
        '/api/v1/stores/{id}',
        '/api/v1/users',
        '/api/v1/users/{id}',
        '/api/v1/audit-log',
        '/health',
      ]),
    );
    expect(response.body.components.securitySchemes).toHaveProperty('bearer');
    await t.http.get('/api/docs').expect(200).expect('Content-Type', /html/);
  });

  it('echoes a caller request id, makes one up otherwise, and sends secure headers', async () => {
    const given = await t.http.get('/health').set('X-Request-Id', 'till-42-abc').expect(200);
    expect(given.headers['x-request-id']).toBe('till-42-abc');
    const made = await t.http.get('/api/v1/auth/me').expect(401);
    expect(made.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(made.headers['x-content-type-options']).toBe('nosniff');
    expect(made.headers['x-powered-by']).toBeUndefined();
  });

  it('answers an unknown route with 404 ROUTE_NOT_FOUND in the error shape', async () => {
    const response = await t.http.get('/api/v1/no-such-thing').expect(404);
    expect(response.body).toEqual({
      statusCode: 404,
      code: 'ROUTE_NOT_FOUND',
      message: '接口不存在：GET /api/v1/no-such-thing',
      details: {},
    });
  });

  describe('queue board at /admin/queues', () => {
    it('asks for a login, refuses store staff, and shows the board to a county admin', async () => {
      const none = await t.http.get('/admin/queues').expect(401);
      expect(none.body.code).toBe('UNAUTHENTICATED');

      const clerk = await t.given.signedIn('clerk');
      const refused = await t.http
        .get('/admin/queues')
        .set('Authorization', clerk.auth)
        .expect(403);
      expect(refused.body.code).toBe('FORBIDDEN');

      const admin = await t.given.signedIn('county_admin');
      const page = await t.http.get('/admin/queues').set('Authorization', admin.auth).expect(200);
      expect(page.text).toContain('<html');
      const queues = await t.http
        .get('/admin/queues/api/queues')
        .set('Authorization', admin.auth)
        .expect(200);
      expect(JSON.stringify(queues.body)).toContain('maintenance');
    });

    it('lets a browser open it once with ?token= and then keeps the token in a cookie', async () => {
      const admin = await t.given.signedIn('county_admin');
      const first = await t.http.get(`/admin/queues?token=${admin.token}`).expect(200);
      const cookie = first.headers['set-cookie'] as unknown as string[];
      expect(cookie.join(';')).toMatch(/queue_board_token=.+HttpOnly/);
      await t.http.get('/admin/queues/api/queues').set('Cookie', cookie).expect(200);
    });
  });
});

describe('CORS', () => {
  const saved = { ...process.env };
  let t: TestApp;

  beforeAll(async () => {
    process.env.CORS_ORIGINS = 'https://county.example, https://office.example';
    t = await createTestApp();
  });
  afterAll(async () => {
    process.env = saved;
    await t.close();
  });

  it('answers preflights for the configured origins only', async () => {
    const allowed = await t.http
      .options('/api/v1/stores')
      .set('Origin', 'https://office.example')
      .set('Access-Control-Request-Method', 'POST')
      .set('Access-Control-Request-Headers', 'authorization,content-type');
    expect(allowed.status).toBe(204);
    expect(allowed.headers['access-control-allow-origin']).toBe('https://office.example');

    const other = await t.http
      .options('/api/v1/stores')
      .set('Origin', 'https://evil.example')
      .set('Access-Control-Request-Method', 'POST');
    expect(other.headers['access-control-allow-origin']).toBeUndefined();
  });
});

describe('first start on an empty server', () => {
  const database = `${testDatabaseName(process.env.JEST_WORKER_ID ?? '1')}_boot`;
  const saved = { ...process.env };
  let server: Awaited<ReturnType<typeof createConnection>>;

  beforeAll(async () => {
    const url = new URL(process.env.DATABASE_URL ?? '');
    server = await createConnection({
      host: url.hostname,
      port: Number(url.port || 3306),
      user: decodeURIComponent(url.username),
      password: decodeURIComponent(url.password),
    });
    await server.query(`DROP DATABASE IF EXISTS \`${database}\``);
    Object.assign(process.env, {
      DATABASE_URL: withDatabase(process.env.DATABASE_URL ?? '', database),
      RUN_MIGRATIONS: 'true',
      DEMO_DATA: 'true',
    });
  });

  afterAll(async () => {
    process.env = saved;
    await server.query(`DROP DATABASE IF EXISTS \`${database}\``);
    await server.end();
  });

  it('creates the database, applies every migration and loads the demo county once', async () => {
    const first = await createTestApp();
    try {
      const [{ charset }] = await first.dataSource.query<{ charset: string }[]>(
        'SELECT default_character_set_name AS charset FROM information_schema.schemata WHERE schema_name = ?',
        [database],
      );
      expect(charset).toBe('utf8mb4');
      const applied = await first.dataSource.query<{ name: string }[]>(
        'SELECT name FROM migrations ORDER BY id',
      );
      expect(applied.map((row) => row.name)).toEqual(MIGRATIONS.map((migration) => migration.name));

      const initial = await first.http
        .post('/api/v1/auth/login')
        .send({ username: first.config.admin.username, password: first.config.admin.password })
        .expect(200);
      // the first admin's password is ADMIN_PASSWORD: it sets its own before anything else
      expect(initial.body.mustChangePassword).toBe(true);
      const admin = await first.http
        .post('/api/v1/auth/password')
        .set('Authorization', `Bearer ${initial.body.accessToken}`)
        .send({ currentPassword: first.config.admin.password, newPassword: 'County-Admin-2027' })
        .expect(200);
      const stores = await first.http
        .get('/api/v1/stores')
        .set('Authorization', `Bearer ${admin.body.accessToken}`)
        .expect(200);
      expect(stores.body.total).toBe(DEMO_STORES.length);
      expect(stores.body.items.map((store: { name: string }) => store.name)).toEqual(
        DEMO_STORES.map((store) => store.name),
      );

      const auth = `Bearer ${admin.body.accessToken}`;
      const products = await first.http
        .get('/api/v1/products')
        .set('Authorization', auth)
        .expect(200);
      expect(products.body.total).toBe(DEMO_PRODUCTS.length);
      const warehouse = stores.body.items[0] as { id: number };
      const stock = await first.http
        .get(`/api/v1/stores/${warehouse.id}/stock`)
        .set('Authorization', auth)
        .expect(200);
      expect(stock.body.items.length).toBe(DEMO_PRODUCTS.length);
      const alerts = await first.http
        .get(`/api/v1/stores/${warehouse.id}/stock/alerts`)
        .set('Authorization', auth)
        .expect(200);
      expect(alerts.body.expiring.length).toBeGreaterThan(0);
      expect(await findStockLedgerMismatches(first.dataSource.manager)).toEqual([]);
      const donations = await first.http
        .get('/api/v1/donations')
        .set('Authorization', auth)
        .expect(200);
      expect(donations.body.total).toBe(5);
      const board = await first.http.get('/api/v1/public/honor-board').expect(200);
      const ranked = board.body.ranked as { name: string; totalValueFen: number }[];
      expect(ranked.map((entry) => entry.name)).toContain('青山县宏达粮油有限公司');
      expect(ranked[0].totalValueFen).toBeGreaterThanOrEqual(ranked[1].totalValueFen);
      expect(JSON.stringify(board.body)).not.toContain('李建国'); // no consent

      // demo staff log straight in outside production
      const manager = DEMO_USERS.find((user) => user.role === 'store_manager');
      const managerSession = await first.http
        .post('/api/v1/auth/login')
        .send({ username: manager?.username, password: DEMO_STAFF_PASSWORD })
        .expect(200);
      expect(managerSession.body.mustChangePassword).toBe(false);
      const origins = await first.dataSource.query<{ origin: string; accounts: string }[]>(
        `SELECT password_origin AS origin, COUNT(*) AS accounts FROM users
          GROUP BY password_origin ORDER BY password_origin`,
      );
      expect(origins.map((row) => [row.origin, Number(row.accounts)])).toEqual([
        ['demo', DEMO_USERS.length],
        ['self', 1],
      ]);
    } finally {
      await first.close();
    }

    // a restart finds the data and adds nothing
    const second = await createTestApp();
    try {
      const [{ stores }] = await second.dataSource.query<{ stores: string }[]>(
        'SELECT COUNT(*) AS stores FROM stores',
      );
      expect(Number(stores)).toBe(DEMO_STORES.length);
      const [{ users }] = await second.dataSource.query<{ users: string }[]>(
        'SELECT COUNT(*) AS users FROM users',
      );
      expect(Number(users)).toBe(DEMO_USERS.length + 1);
    } finally {
      await second.close();
    }
    // a whole first start: migrations, the demo county and its checkouts, then a second boot
  }, 240_000);
});
