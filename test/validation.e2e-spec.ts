import type { User } from '@charity/accounts';
import type { Household } from '@charity/households';
import type { CatalogueProduct, ProductCategory } from '@charity/inventory';
import type { Region, Store } from '@charity/organisation';
import type { Response } from 'supertest';
import { databaseSnapshot } from './support/db-snapshot';
import type { SignedIn } from './support/given';
import { createTestApp, type TestApp } from './support/test-app';

type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';

/** Rows the tests try, and fail, to change. */
interface World {
  admin: SignedIn;
  township: Region;
  store: Store;
  clerk: User;
}

interface Snapshot {
  stores: number;
  users: number;
  regions: number;
  auditEntries: number;
  store: unknown;
  clerk: unknown;
}

/** An answer a client can switch on: a 4xx with the API's error shape. */
function problemWith(response: Response): string | undefined {
  const body = response.body as Record<string, unknown>;
  if (response.status < 400 || response.status > 499) return `status ${response.status}`;
  if (body.statusCode !== response.status) return 'statusCode differs from the status';
  if (typeof body.code !== 'string' || !/^[A-Z][A-Z_]+$/.test(body.code)) return 'no stable code';
  if (typeof body.message !== 'string' || body.message.trim() === '') return 'no message';
  if (typeof body.details !== 'object' || body.details === null) return 'no details';
  return undefined;
}

function expectFieldError(response: Response, field: string, constraint?: string): void {
  expect({ status: response.status, code: response.body.code }).toEqual({
    status: 400,
    code: 'VALIDATION_FAILED',
  });
  expect(response.body.message).toContain(field);
  expect(response.body.details.fields).toEqual(
    expect.arrayContaining([
      expect.objectContaining({
        field,
        ...(constraint ? { constraints: expect.arrayContaining([constraint]) } : {}),
      }),
    ]),
  );
}

const validStore = (w: World) => ({ code: 'VX1', name: '校验超市', regionId: w.township.id });
const validUser = () => ({
  username: 'validation_user',
  displayName: '校验用户',
  password: 'Passw0rd!',
  role: 'auditor',
});

describe('validation', () => {
  let t: TestApp;
  let w: World;
  let before: Snapshot;

  const call = (method: Method, path: string) =>
    t.http[method](path).set('Authorization', w.admin.auth);

  const snapshot = async (): Promise<Snapshot> => {
    const get = async (path: string) => (await call('get', path).expect(200)).body;
    const [stores, users, regions, audit, store, clerk] = await Promise.all([
      get('/api/v1/stores'),
      get('/api/v1/users'),
      get('/api/v1/regions'),
      get('/api/v1/audit-log?pageSize=1'),
      get(`/api/v1/stores/${w.store.id}`),
      get(`/api/v1/users/${w.clerk.id}`),
    ]);
    return {
      stores: stores.total,
      users: users.total,
      regions: regions.items.length,
      auditEntries: audit.total,
      store,
      clerk,
    };
  };
  const takeSnapshot = async () => {
    before = await snapshot();
  };
  const expectNothingChanged = async () => expect(await snapshot()).toEqual(before);

  beforeAll(async () => {
    t = await createTestApp();
    await t.reset();
    const admin = await t.given.signedIn('county_admin');
    const township = await t.given.region('township');
    const store = await t.given.store({ regionId: township.id });
    w = { admin, township, store, clerk: await t.given.user('clerk', store.id) };
  });
  afterAll(() => t.close());

  describe('bodies', () => {
    beforeEach(takeSnapshot);

    const CASES: {
      name: string;
      method: Method;
      path: (w: World) => string;
      body: (w: World) => object;
      field: string;
      constraint?: string;
    }[] = [
      // unknown fields
      {
        name: 'POST /stores with an unknown field',
        method: 'post',
        path: () => '/api/v1/stores',
        body: (w) => ({ ...validStore(w), colour: 'red' }),
        field: 'colour',
        constraint: 'whitelistValidation',
      },
      {
        name: 'PATCH /users/:id setting the password hash directly',
        method: 'patch',
        path: (w) => `/api/v1/users/${w.clerk.id}`,
        body: () => ({ passwordHash: '$argon2id$v=19$forged' }),
        field: 'passwordHash',
        constraint: 'whitelistValidation',
      },
      {
        name: 'PATCH /users/:id renaming the login',
        method: 'patch',
        path: (w) => `/api/v1/users/${w.clerk.id}`,
        body: () => ({ username: 'renamed' }),
        field: 'username',
        constraint: 'whitelistValidation',
      },
      // missing fields
      {
        name: 'POST /stores without a name',
        method: 'post',
        path: () => '/api/v1/stores',
        body: (w) => ({ code: 'VX1', regionId: w.township.id }),
        field: 'name',
        constraint: 'isString',
      },
      {
        name: 'POST /regions without a level',
        method: 'post',
        path: () => '/api/v1/regions',
        body: () => ({ name: '无级别' }),
        field: 'level',
        constraint: 'isIn',
      },
      {
        name: 'POST /users without a password',
        method: 'post',
        path: () => '/api/v1/users',
        body: () => ({ ...validUser(), password: undefined }),
        field: 'password',
        constraint: 'isString',
      },
      // wrong types and values
      {
        name: 'POST /stores with regionId as a string',
        method: 'post',
        path: () => '/api/v1/stores',
        body: (w) => ({ ...validStore(w), regionId: String(w.township.id) }),
        field: 'regionId',
        constraint: 'isInt',
      },
      {
        name: 'POST /stores with a fractional regionId',
        method: 'post',
        path: () => '/api/v1/stores',
        body: (w) => ({ ...validStore(w), regionId: 1.5 }),
        field: 'regionId',
        constraint: 'isInt',
      },
      {
        name: 'POST /stores with a lower-case code',
        method: 'post',
        path: () => '/api/v1/stores',
        body: (w) => ({ ...validStore(w), code: 'vx1' }),
        field: 'code',
        constraint: 'matches',
      },
      {
        name: 'POST /stores with an 81-character name',
        method: 'post',
        path: () => '/api/v1/stores',
        body: (w) => ({ ...validStore(w), name: '超'.repeat(81) }),
        field: 'name',
        constraint: 'maxLength',
      },
      {
        name: 'POST /stores with letters as the phone',
        method: 'post',
        path: () => '/api/v1/stores',
        body: (w) => ({ ...validStore(w), phone: '打电话' }),
        field: 'phone',
        constraint: 'matches',
      },
      {
        name: 'POST /regions with an unknown level',
        method: 'post',
        path: () => '/api/v1/regions',
        body: () => ({ name: '某省', level: 'province' }),
        field: 'level',
        constraint: 'isIn',
      },
      {
        name: 'POST /regions with parentId as a string',
        method: 'post',
        path: () => '/api/v1/regions',
        body: (w) => ({ name: '某村', level: 'village', parentId: String(w.township.id) }),
        field: 'parentId',
        constraint: 'isInt',
      },
      {
        name: 'POST /users with an unknown role',
        method: 'post',
        path: () => '/api/v1/users',
        body: () => ({ ...validUser(), role: 'superuser' }),
        field: 'role',
        constraint: 'isIn',
      },
      ...['short1', 'onlyletters', '12345678', `a1${'x'.repeat(71)}`].map((password) => ({
        name: `POST /users with the password "${password.slice(0, 12)}" (${password.length} chars)`,
        method: 'post' as const,
        path: () => '/api/v1/users',
        body: () => ({ ...validUser(), password }),
        field: 'password',
        constraint: 'matches',
      })),
      {
        name: 'POST /users with a space in the username',
        method: 'post',
        path: () => '/api/v1/users',
        body: () => ({ ...validUser(), username: 'has space' }),
        field: 'username',
        constraint: 'matches',
      },
      {
        name: 'POST /users with an empty display name',
        method: 'post',
        path: () => '/api/v1/users',
        body: () => ({ ...validUser(), displayName: '' }),
        field: 'displayName',
        constraint: 'isNotEmpty',
      },
      {
        name: 'POST /users with a display name of only spaces',
        method: 'post',
        path: () => '/api/v1/users',
        body: () => ({ ...validUser(), displayName: '   ' }),
        field: 'displayName',
        constraint: 'isNotEmpty',
      },
      {
        name: 'PATCH /stores/:id with a name of only spaces',
        method: 'patch',
        path: (w) => `/api/v1/stores/${w.store.id}`,
        body: () => ({ name: ' \t ' }),
        field: 'name',
        constraint: 'isNotEmpty',
      },
      {
        name: 'PATCH /stores/:id with active "yes"',
        method: 'patch',
        path: (w) => `/api/v1/stores/${w.store.id}`,
        body: () => ({ active: 'yes' }),
        field: 'active',
        constraint: 'isBoolean',
      },
      {
        name: 'PATCH /users/:id with a weak password',
        method: 'patch',
        path: (w) => `/api/v1/users/${w.clerk.id}`,
        body: () => ({ password: 'weak' }),
        field: 'password',
        constraint: 'matches',
      },
      // null where a value is required: must not reach the database
      ...(['code', 'name', 'regionId', 'active'] as const).map((field) => ({
        name: `PATCH /stores/:id with ${field}: null`,
        method: 'patch' as const,
        path: (w: World) => `/api/v1/stores/${w.store.id}`,
        body: () => ({ [field]: null }),
        field,
      })),
      ...(['displayName', 'role', 'active', 'password'] as const).map((field) => ({
        name: `PATCH /users/:id with ${field}: null`,
        method: 'patch' as const,
        path: (w: World) => `/api/v1/users/${w.clerk.id}`,
        body: () => ({ [field]: null }),
        field,
      })),
    ];

    it.each(CASES)(
      '$name → 400 naming $field',
      async ({ method, path, body, field, constraint }) => {
        const response = await call(method, path(w)).send(body(w));
        expectFieldError(response, field, constraint);
        await expectNothingChanged();
      },
    );

    it('rejects a storeId for county roles and its absence for store roles, naming storeId', async () => {
      const countyWithStore = await call('post', '/api/v1/users').send({
        ...validUser(),
        storeId: w.store.id,
      });
      expectFieldError(countyWithStore, 'storeId');
      const clerkWithout = await call('post', '/api/v1/users').send({
        ...validUser(),
        role: 'clerk',
      });
      expectFieldError(clerkWithout, 'storeId');
      await expectNothingChanged();
    });

    it.each([
      ['POST /stores', 'post', '/api/v1/stores', '{"code": "VX1",'],
      ['PATCH /users/:id', 'patch', '/api/v1/users/:clerk', "{'displayName': '单引号'}"],
      ['POST /regions', 'post', '/api/v1/regions', '{"name": "某村" "level": "village"}'],
    ] as const)('%s with malformed JSON → 400 MALFORMED_JSON', async (_name, method, path, raw) => {
      const response = await call(method, path.replace(':clerk', String(w.clerk.id)))
        .set('Content-Type', 'application/json')
        .send(raw);
      expect({ status: response.status, code: response.body.code }).toEqual({
        status: 400,
        code: 'MALFORMED_JSON',
      });
      expect(problemWith(response)).toBeUndefined();
      await expectNothingChanged();
    });
  });

  describe('deeply nested JSON', () => {
    beforeEach(takeSnapshot);

    const objects = (depth: number, leaf = '{}'): string =>
      '{"deep":'.repeat(depth - 1) + leaf + '}'.repeat(depth - 1);
    const arrays = (depth: number): string => '['.repeat(depth) + ']'.repeat(depth);
    const json = (method: Method, path: string, raw: string | Buffer, signedIn = true) =>
      (signedIn ? call(method, path) : t.http[method](path))
        .set('Content-Type', 'application/json')
        .send(raw);

    const expectTooDeep = (response: Response): void => {
      expect({ status: response.status, code: response.body.code }).toEqual({
        status: 400,
        code: 'VALIDATION_FAILED',
      });
      expect(response.body.message).toContain('嵌套过深');
      expect(response.body.details).toMatchObject({
        maxDepth: 32,
        fields: [expect.objectContaining({ field: 'body', constraints: ['maxDepth'] })],
      });
    };

    it('refuses 5,000 levels with 400 on login, before anyone is signed in', async () => {
      const response = await json('post', '/api/v1/auth/login', objects(5000), false);
      expectTooDeep(response);
      expect(problemWith(response)).toBeUndefined();
    });

    it.each([
      ['post', '/api/v1/stores'],
      ['patch', '/api/v1/users/:clerk'],
      ['post', '/api/v1/regions'],
    ] as const)(
      '%s %s refuses 5,000 levels of objects or arrays and changes nothing',
      async (method, path) => {
        const url = path.replace(':clerk', String(w.clerk.id));
        expectTooDeep(await json(method, url, objects(5000)));
        expectTooDeep(await json(method, url, `{"name":${arrays(5000)}}`));
        await expectNothingChanged();
      },
    );

    it('lets 32 levels through to validation and refuses 33', async () => {
      const atLimit = await json('post', '/api/v1/stores', objects(32));
      expectFieldError(atLimit, 'deep', 'whitelistValidation');
      expectTooDeep(await json('post', '/api/v1/stores', objects(33)));
      expectTooDeep(await json('post', '/api/v1/stores', arrays(33)));
      await expectNothingChanged();
    });

    it('does not count brackets inside strings', async () => {
      const response = await call('post', '/api/v1/stores').send({
        ...validStore(w),
        name: '['.repeat(41) + '{'.repeat(41),
      });
      expectFieldError(response, 'name', 'maxLength');
      await expectNothingChanged();
    });

    it('refuses JSON in another charset than UTF-8, which it could not measure as parsed', async () => {
      // supertest would serialise a Buffer as JSON; these bytes are all below 0x80, so a string
      // of them goes on the wire unchanged
      const utf16 = (text: string): string => Buffer.from(text, 'utf16le').toString('latin1');
      for (const text of [objects(5000), JSON.stringify(validStore(w))]) {
        const response = await call('post', '/api/v1/stores')
          .set('Content-Type', 'application/json; charset=utf-16le')
          .send(utf16(text));
        expect({ status: response.status, code: response.body.code }).toEqual({
          status: 400,
          code: 'BAD_REQUEST',
        });
        expect(response.body.message).toContain('UTF-8');
      }
      await expectNothingChanged();
    });

    it('answers 50 such bodies at once, each with the same 400', async () => {
      const body = objects(5000);
      const responses = await Promise.all(
        Array.from({ length: 50 }, () => json('post', '/api/v1/auth/login', body, false)),
      );
      for (const response of responses) expectTooDeep(response);
    });

    it('reads nested-looking query parameters as flat names and refuses them by name', async () => {
      expectFieldError(
        await call('get', '/api/v1/stores?a[b][c][d]=1'),
        'a[b][c][d]',
        'whitelistValidation',
      );
      expectFieldError(
        await call('get', '/api/v1/stores?regionId[gt]=1'),
        'regionId[gt]',
        'whitelistValidation',
      );
    });
  });

  describe('values that used to pass or fail with a 500', () => {
    /** What these tests try, and fail, to change. */
    interface Goods {
      village: Region;
      otherStore: Store;
      category: ProductCategory;
      product: CatalogueProduct;
      household: Household;
      stocktakeId: number;
      ruleCode: string;
      closedMonth: string;
    }
    let g: Goods;
    let before: Record<string, string>;

    beforeAll(async () => {
      const village = await t.given.region('village', w.township.id);
      const category = await t.given.category();
      const product = await t.given.product({ categoryId: category.id, pointPrice: 1 });
      await t.given.lot(w.store.id, product.id, 50);
      const household = await t.given.household({
        regionId: village.id,
        homeStoreId: w.store.id,
        points: 100,
      });
      const stocktake = await call('post', `/api/v1/stores/${w.store.id}/stocktakes`).send({});
      expect(stocktake.status).toBe(201);
      const closedMonth = '2024-03';
      expect((await call('post', `/api/v1/reports/months/${closedMonth}/close`)).status).toBe(200);
      g = {
        village,
        otherStore: await t.given.store({ regionId: w.township.id }),
        category,
        product,
        household,
        stocktakeId: (stocktake.body as { id: number }).id,
        ruleCode: (await t.given.pointRule({ points: 20 })).code,
        closedMonth,
      };
    });

    beforeEach(async () => {
      before = await databaseSnapshot(t.dataSource);
    });
    const expectNothingWritten = async () =>
      expect(await databaseSnapshot(t.dataSource)).toEqual(before);

    const cart = (lines: unknown) => ({
      storeId: w.store.id,
      cardNo: g.household.cardNo,
      lines,
    });
    const batch = (extra: object) => ({
      regionId: g.village.id,
      month: t.given.date(0).slice(0, 7),
      rows: [{ cardNo: g.household.cardNo, ruleCode: g.ruleCode }],
      ...extra,
    });
    const line = () => ({ productId: g.product.id, quantity: 1 });

    const CASES: {
      name: string;
      method: Method;
      path: () => string;
      body: () => object;
      field: string;
      constraint: string;
      headers?: Record<string, string>;
    }[] = [
      // numbers beyond their column
      ...[2 ** 32, 2 ** 31, 100_000_001].map((unitValueFen) => ({
        name: `POST /stores/:id/stock/adjustments with unitValueFen ${unitValueFen}`,
        method: 'post' as const,
        path: () => `/api/v1/stores/${w.store.id}/stock/adjustments`,
        body: () => ({ productId: g.product.id, quantity: 5, reason: 'found', unitValueFen }),
        field: 'unitValueFen',
        constraint: 'max',
      })),
      {
        name: 'POST /transfers with toStoreId past INT UNSIGNED',
        method: 'post',
        path: () => '/api/v1/transfers',
        body: () => ({ fromStoreId: w.store.id, toStoreId: 2 ** 32, lines: [line()] }),
        field: 'toStoreId',
        constraint: 'max',
      },
      // arrays inside arrays, and arrays for objects
      {
        name: 'POST /transfers with lines [[{…}]]',
        method: 'post',
        path: () => '/api/v1/transfers',
        body: () => ({ fromStoreId: w.store.id, toStoreId: g.otherStore.id, lines: [[line()]] }),
        field: 'lines',
        constraint: 'isObject',
      },
      {
        name: 'PUT /stores/:id/stocktakes/:id/lines with lines [[{…}]]',
        method: 'put',
        path: () => `/api/v1/stores/${w.store.id}/stocktakes/${g.stocktakeId}/lines`,
        body: () => ({ lines: [[{ productId: g.product.id, countedQuantity: 3 }]] }),
        field: 'lines',
        constraint: 'isObject',
      },
      {
        name: 'POST /redemptions with lines [[{…}]]',
        method: 'post',
        path: () => '/api/v1/redemptions',
        body: () => cart([[line()]]),
        field: 'lines',
        constraint: 'isObject',
        headers: { 'Idempotency-Key': 'nested-lines-0001' },
      },
      {
        name: 'POST /redemptions/quote with lines [[{…}]]',
        method: 'post',
        path: () => '/api/v1/redemptions/quote',
        body: () => cart([line(), [line()]]),
        field: 'lines',
        constraint: 'isObject',
      },
      {
        name: 'POST /point-awards/batch with rows [[{…}]]',
        method: 'post',
        path: () => '/api/v1/point-awards/batch',
        body: () => batch({ rows: [[{ cardNo: g.household.cardNo, ruleCode: g.ruleCode }]] }),
        field: 'rows',
        constraint: 'isObject',
      },
      ...[[], [{ kind: 'company', name: '数组捐赠人' }], 'x'].map((donor) => ({
        name: `POST /donations with donor ${JSON.stringify(donor)}`,
        method: 'post' as const,
        path: () => '/api/v1/donations',
        body: () => ({ storeId: w.store.id, donor, cashFen: 100 }),
        field: 'donor',
        constraint: 'isObject',
      })),
      {
        name: 'POST /donations with a line product []',
        method: 'post',
        path: () => '/api/v1/donations',
        body: () => ({
          storeId: w.store.id,
          donor: { kind: 'company', name: '新捐赠企业' },
          lines: [{ product: [], quantity: 1 }],
        }),
        field: 'lines.0.product',
        constraint: 'isObject',
      },
      // null where the column is NOT NULL
      {
        name: 'PATCH /product-categories/:id with sortOrder null',
        method: 'patch',
        path: () => `/api/v1/product-categories/${g.category.id}`,
        body: () => ({ sortOrder: null }),
        field: 'sortOrder',
        constraint: 'isInt',
      },
      // 公示 skipped: noticeDays must be a JSON integer
      ...['', true, '12', null, 1.5].map((noticeDays) => ({
        name: `POST /point-awards/batch with noticeDays ${JSON.stringify(noticeDays)}`,
        method: 'post' as const,
        path: () => '/api/v1/point-awards/batch',
        body: () => batch({ noticeDays }),
        field: 'noticeDays',
        constraint: 'isInt',
      })),
      {
        name: 'POST /point-awards/batch with regionId as text',
        method: 'post',
        path: () => '/api/v1/point-awards/batch',
        body: () => batch({ regionId: String(g.village.id), noticeDays: 3 }),
        field: 'regionId',
        constraint: 'isInt',
      },
      // a reason of blanks
      ...['   ', '\t \n', ''].map((reason) => ({
        name: `POST /reports/months/:month/reopen with reason ${JSON.stringify(reason)}`,
        method: 'post' as const,
        path: () => `/api/v1/reports/months/${g.closedMonth}/reopen`,
        body: () => ({ reason }),
        field: 'reason',
        constraint: 'minLength',
      })),
      // days that are not on the calendar
      {
        name: 'POST /donations received on 2026-02-30',
        method: 'post',
        path: () => '/api/v1/donations',
        body: () => ({ storeId: w.store.id, donorId: 1, cashFen: 100, receivedDate: '2026-02-30' }),
        field: 'receivedDate',
        constraint: 'isDateOnly',
      },
      {
        name: 'POST /stores/:id/stock/adjustments expiring 2026-04-31',
        method: 'post',
        path: () => `/api/v1/stores/${w.store.id}/stock/adjustments`,
        body: () => ({
          productId: g.product.id,
          quantity: 5,
          reason: 'found',
          expiryDate: '2026-04-31',
        }),
        field: 'expiryDate',
        constraint: 'isDateOnly',
      },
      {
        name: 'PATCH /households/:id exited on 2026-02-29',
        method: 'patch',
        path: () => `/api/v1/households/${g.household.id}`,
        body: () => ({ status: 'exited', exitedOn: '2026-02-29' }),
        field: 'exitedOn',
        constraint: 'isDateOnly',
      },
    ];

    it.each(CASES)(
      '$name → 400 naming $field, writing nothing',
      async ({ method, path, body, field, constraint, headers }) => {
        const request = call(method, path());
        for (const [name, value] of Object.entries(headers ?? {})) request.set(name, value);
        expectFieldError(await request.send(body()), field, constraint);
        await expectNothingWritten();
      },
    );

    it('refuses an empty noticeDays in an uploaded batch too, rather than posting it at once', async () => {
      const response = await call('post', '/api/v1/point-awards/batch/upload')
        .field('regionId', String(g.village.id))
        .field('month', t.given.date(0).slice(0, 7))
        .field('noticeDays', '')
        .attach('file', Buffer.from(`卡号,规则\n${g.household.cardNo},${g.ruleCode}\n`), {
          filename: '评定表.csv',
          contentType: 'text/csv',
        });
      expectFieldError(response, 'noticeDays', 'isInt');
      await expectNothingWritten();
    });

    it.each([
      ['/api/v1/audit-log?from=2026-02-30', 'from', 'isInstant'],
      ['/api/v1/audit-log?to=2026-02-29T00:00:00Z', 'to', 'isInstant'],
      ['/api/v1/audit-log?from=2026-11-01T24:00:00Z', 'from', 'isInstant'],
      ['/api/v1/audit-log?from=2026-W05-1', 'from', 'isInstant'],
      ['/api/v1/stores/:store/stock/movements?from=2026-02-30', 'from', 'isDateOnly'],
      ['/api/v1/stores/:store/stock/movements?to=2026-13-01', 'to', 'isDateOnly'],
      ['/api/v1/audit-log?storeId=1e20', 'storeId', 'isInt'],
      ['/api/v1/audit-log?actorId=1.5', 'actorId', 'isInt'],
      ['/api/v1/redemptions?storeId=1e20', 'storeId', 'isInt'],
      ['/api/v1/redemptions?householdId=%2012', 'householdId', 'isInt'],
      ['/api/v1/donations?storeId=', 'storeId', 'isInt'],
      ['/api/v1/transfers?storeId=0x10', 'storeId', 'isInt'],
      ['/api/v1/users?storeId=4294967296', 'storeId', 'max'],
      ['/api/v1/households?homeStoreId=1e3', 'homeStoreId', 'isInt'],
      ['/api/v1/reports/monthly?month=2026-10&storeId=1e20', 'storeId', 'isInt'],
      ['/api/v1/stores?regionId=1e20', 'regionId', 'isInt'],
      ['/api/v1/stores?page=1.0', 'page', 'isInt'],
      ['/api/v1/public/honor-board?year=2026.0', 'year', 'isInt'],
    ])('GET %s → 400 naming %s', async (path, field, constraint) => {
      const response = await call('get', path.replace(':store', String(w.store.id)));
      expectFieldError(response, field, constraint);
      await expectNothingWritten();
    });

    it('still reads the same query and dates written properly', async () => {
      const ok = [
        `/api/v1/audit-log?storeId=${w.store.id}&from=2026-02-28&to=2026-03-01T00:00:00%2B08:00`,
        `/api/v1/stores/${w.store.id}/stock/movements?from=2028-02-29&to=2028-03-01`,
        `/api/v1/redemptions?storeId=${w.store.id}&page=1&pageSize=200`,
        '/api/v1/public/honor-board?year=2026',
      ];
      for (const path of ok)
        expect({ path, status: (await call('get', path)).status }).toEqual({ path, status: 200 });
    });
  });

  describe('path and query parameters', () => {
    const BAD_IDS = ['abc', '0', '-1', '1.5', '1x', '1e3', '007', 'Infinity', '4294967296', '%20'];

    it.each([
      ['get', '/api/v1/stores/:id'],
      ['patch', '/api/v1/stores/:id'],
      ['get', '/api/v1/users/:id'],
      ['patch', '/api/v1/users/:id'],
      ['get', '/api/v1/regions/:id'],
    ] as const)(
      '%s %s answers 400 naming id for ids that are not positive integers',
      async (method, path) => {
        await takeSnapshot();
        for (const id of BAD_IDS) {
          const response = await call(method, path.replace(':id', id)).send(
            method === 'patch' ? { phone: '0391-1234567' } : undefined,
          );
          expect({ id, status: response.status }).toEqual({ id, status: 400 });
          expectFieldError(response, 'id', 'isInt');
        }
        await expectNothingChanged();
      },
    );

    it.each([
      ['/api/v1/stores?page=0', 'page', 'min'],
      ['/api/v1/stores?page=abc', 'page', 'isInt'],
      ['/api/v1/stores?page=1e300', 'page', 'max'],
      ['/api/v1/stores?pageSize=1000', 'pageSize', 'max'],
      ['/api/v1/stores?pageSize=0', 'pageSize', 'min'],
      ['/api/v1/stores?active=maybe', 'active', 'isBoolean'],
      ['/api/v1/stores?regionId=abc', 'regionId', 'isInt'],
      ['/api/v1/stores?colour=red', 'colour', 'whitelistValidation'],
      ['/api/v1/users?active=maybe', 'active', 'isBoolean'],
      ['/api/v1/users?role=root', 'role', 'isIn'],
      ['/api/v1/users?page=99999999999999999999', 'page', 'max'],
      [`/api/v1/users?search=${'x'.repeat(41)}`, 'search', 'maxLength'],
      ['/api/v1/audit-log?page=1e300', 'page', 'max'],
      ['/api/v1/audit-log?from=yesterday', 'from', 'isInstant'],
      ['/api/v1/audit-log?action=DROP%20TABLE', 'action', 'matches'],
      ['/api/v1/audit-log?actorId=abc', 'actorId', 'isInt'],
      ['/api/v1/regions?level=province', 'level', 'isIn'],
      ['/api/v1/regions?parentId=0', 'parentId', 'min'],
    ])('GET %s → 400 naming %s', async (path, field, constraint) => {
      expectFieldError(await call('get', path), field, constraint);
    });

    it.each([
      ['get', '/api/v1/nope'],
      ['get', '/api/v2/stores'],
      ['post', '/api/v1/stores/1/close'],
      ['delete', '/api/v1/stores/1'],
    ] as const)('%s %s → 404 ROUTE_NOT_FOUND, signed in or not', async (method, path) => {
      await takeSnapshot();
      for (const response of [await call(method, path), await t.http[method](path)]) {
        expect({ status: response.status, code: response.body.code }).toEqual({
          status: 404,
          code: 'ROUTE_NOT_FOUND',
        });
        expect(response.body.message).toContain(path);
      }
      await expectNothingChanged();
    });
  });

  describe('weird bodies never cause a 500', () => {
    beforeEach(takeSnapshot);

    interface Attempt {
      label: string;
      body?: unknown;
      raw?: string | Buffer;
      headers?: Record<string, string>;
    }

    let deep: object = { leaf: true };
    for (let level = 0; level < 200; level++) deep = { nested: deep };
    const manyKeys = Object.fromEntries(Array.from({ length: 2000 }, (_, i) => [`k${i}`, i]));

    const common = (valid: object): Attempt[] => [
      { label: 'raw null', raw: 'null' },
      { label: 'raw number', raw: '42' },
      { label: 'raw string', raw: '"a string"' },
      { label: 'raw true', raw: 'true' },
      { label: 'empty array', body: [] },
      { label: 'array of a valid body', body: [valid] },
      { label: 'empty object', body: {} },
      {
        label: 'all fields null',
        body: Object.fromEntries(Object.keys(valid).map((k) => [k, null])),
      },
      {
        label: 'all fields arrays',
        body: Object.fromEntries(Object.entries(valid).map(([k, v]) => [k, [v]])),
      },
      {
        label: 'all fields objects',
        body: Object.fromEntries(Object.keys(valid).map((k) => [k, { $gt: '' }])),
      },
      {
        label: 'all fields 100k strings',
        body: Object.fromEntries(Object.keys(valid).map((k) => [k, '长'.repeat(100_000)])),
      },
      { label: 'deeply nested extra field', body: { ...valid, deep } },
      { label: '2000 extra fields', body: { ...valid, ...manyKeys } },
      {
        label: '__proto__ smuggling',
        raw: `{"__proto__":{"isAdmin":true},"constructor":{"prototype":{"x":1}}}`,
      },
      { label: 'body too large', body: { ...valid, padding: 'x'.repeat(2_100_000) } },
      { label: 'truncated JSON', raw: JSON.stringify(valid).slice(0, -3) },
      {
        label: 'invalid UTF-8',
        raw: Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x3a, 0x31, 0x7d]),
      },
      {
        label: 'unsupported charset',
        raw: JSON.stringify(valid),
        headers: { 'Content-Type': 'application/json; charset=latin1' },
      },
      { label: 'garbage gzip', raw: 'not gzip at all', headers: { 'Content-Encoding': 'gzip' } },
      {
        label: 'unknown encoding',
        raw: JSON.stringify(valid),
        headers: { 'Content-Encoding': 'br2' },
      },
      { label: 'plain text', raw: 'code=X', headers: { 'Content-Type': 'text/plain' } },
    ];

    const send = (path: string, attempt: Attempt) => {
      const request = call('post', path);
      for (const [name, value] of Object.entries(attempt.headers ?? {})) request.set(name, value);
      if (attempt.raw !== undefined) {
        if (!attempt.headers?.['Content-Type']) request.set('Content-Type', 'application/json');
        return request.send(attempt.raw);
      }
      return request.send(attempt.body as object);
    };

    const tryAll = async (path: string, attempts: Attempt[]) => {
      const failures: { label: string; status: number; body: unknown; problem: string }[] = [];
      for (const attempt of attempts) {
        const response = await send(path, attempt);
        const problem = problemWith(response);
        if (problem) {
          failures.push({
            label: attempt.label,
            status: response.status,
            body: response.body,
            problem,
          });
        }
      }
      expect(failures).toEqual([]);
    };

    it('POST /stores answers every one with a 4xx in the error shape and creates nothing', async () => {
      const valid = validStore(w);
      await tryAll('/api/v1/stores', [
        ...common(valid),
        { label: 'numbers as strings', body: { ...valid, regionId: `${w.township.id}` } },
        { label: 'code with a trailing newline', body: { ...valid, code: 'VX1\n' } },
        { label: 'code as a number', body: { ...valid, code: 12345 } },
        { label: 'regionId as a boolean', body: { ...valid, regionId: true } },
        { label: 'regionId beyond int', body: { ...valid, regionId: 1e300 } },
        { label: 'regionId negative', body: { ...valid, regionId: -1 } },
        { label: 'regionId NaN text', body: { ...valid, regionId: 'NaN' } },
        { label: 'SQL in code', body: { ...valid, code: "A'; DROP TABLE stores; --" } },
        { label: 'address as object', body: { ...valid, address: { line1: '柳河镇' } } },
        { label: 'store on the county', body: { ...valid, regionId: w.township.parentId } },
        { label: 'duplicate code', body: { ...valid, code: w.store.code } },
        { label: 'duplicate name', body: { ...valid, name: w.store.name } },
        {
          label: '__proto__ carrying the regionId',
          raw: `{"__proto__":{"regionId":${w.township.id}},"code":"VX1","name":"原型"}`,
        },
      ]);
      await expectNothingChanged();
    });

    it('POST /users answers every one with a 4xx in the error shape and creates nothing', async () => {
      const valid = { ...validUser(), role: 'clerk', storeId: w.store.id };
      await tryAll('/api/v1/users', [
        ...common(valid),
        { label: 'storeId as a string', body: { ...valid, storeId: String(w.store.id) } },
        { label: 'storeId as an array', body: { ...valid, storeId: [w.store.id] } },
        { label: 'storeId of no store', body: { ...valid, storeId: 4_294_967_295 } },
        { label: 'password as a number', body: { ...valid, password: 12345678 } },
        { label: 'password 100k long', body: { ...valid, password: `a1${'x'.repeat(100_000)}` } },
        { label: 'role in capitals', body: { ...valid, role: 'COUNTY_ADMIN' } },
        { label: 'role system', body: { ...valid, role: 'system' } },
        { label: 'role as an array', body: { ...valid, role: ['county_admin'] } },
        { label: 'SQL in username', body: { ...valid, username: "admin' OR '1'='1" } },
        { label: 'Chinese username', body: { ...valid, username: '王小明' } },
        { label: 'extra active flag', body: { ...valid, active: false } },
        { label: 'duplicate username', body: { ...valid, username: w.clerk.username } },
        {
          label: '__proto__ carrying the role',
          raw: `{"__proto__":{"role":"county_admin"},"username":"proto_user","displayName":"原型","password":"Passw0rd!"}`,
        },
      ]);
      await expectNothingChanged();
    });
  });
});
