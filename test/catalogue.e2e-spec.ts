import { ean13CheckDigit, internalCodeFor } from '@charity/inventory';
import { spawnSync } from 'node:child_process';
import type { Response } from 'supertest';
import type { SignedIn } from './support/given';
import { createTestApp, type TestApp } from './support/test-app';
import { expectError } from './support/errors';

let serial = 0;
const n = (): number => ++serial;

/** A fresh, valid manufacturer's EAN-13 (Chinese prefix 690) per call. */
const ean13 = (): string => {
  const data = `6901234${String(n()).padStart(5, '0')}`;
  return `${data}${ean13CheckDigit(data)}`;
};

function expectFieldError(response: Response, field: string, constraint: string): void {
  expectError(response, 400, 'VALIDATION_FAILED');
  expect(response.body.message).toContain(field);
  expect(response.body.details.fields).toEqual(
    expect.arrayContaining([
      expect.objectContaining({ field, constraints: expect.arrayContaining([constraint]) }),
    ]),
  );
}

/** The PDF's text as a reader (and a search) sees it, or null when poppler-utils is missing. */
function pdfText(pdf: Buffer): string | null {
  const result = spawnSync('pdftotext', ['-', '-'], { input: pdf });
  if (result.error) return null;
  expect(result.status).toBe(0);
  return result.stdout.toString('utf8');
}

/** Collects a binary answer (the PDF) into a Buffer body. */
const binary = (response: Response, done: (error: Error | null, body: Buffer) => void): void => {
  const chunks: Buffer[] = [];
  response.on('data', (chunk: Buffer) => chunks.push(chunk));
  response.on('end', () => done(null, Buffer.concat(chunks)));
};

interface ProductBody {
  id: number;
  name: string;
  categoryId: number;
  category: string;
  barcode: string | null;
  internalCode: string;
  active: boolean;
  updatedAt: string;
}

describe('catalogue', () => {
  let t: TestApp;
  let admin: SignedIn;
  let manager: SignedIn;
  let clerk: SignedIn;
  let auditor: SignedIn;
  let grain: { id: number; name: string };

  const get = (path: string, as: SignedIn | null = admin) => {
    const request = t.http.get(`/api/v1${path}`);
    return as ? request.set('Authorization', as.auth) : request;
  };
  const post = (path: string, body: object, as: SignedIn | null = admin) => {
    const request = t.http.post(`/api/v1${path}`);
    return (as ? request.set('Authorization', as.auth) : request).send(body);
  };
  const patch = (path: string, body: object, as: SignedIn | null = admin) => {
    const request = t.http.patch(`/api/v1${path}`);
    return (as ? request.set('Authorization', as.auth) : request).send(body);
  };
  const newProduct = (extra: object = {}) => ({
    name: `商品${n()}`,
    category: grain.name,
    unit: '袋',
    pointPrice: 45,
    unitValueFen: 4500,
    ...extra,
  });
  const search = async (query: string): Promise<ProductBody[]> =>
    (await get(`/products?${query}`).expect(200)).body.items;
  const auditOf = async (entityType: string, id: number) =>
    (await get(`/audit-log?entityType=${entityType}&entityId=${id}`).expect(200)).body.items;
  const labels = (id: number, query = '', as: SignedIn | null = admin) =>
    get(`/products/${id}/labels.pdf${query}`, as);
  const pdfOf = async (id: number, query = '', as: SignedIn = admin): Promise<Response> =>
    labels(id, query, as).buffer(true).parse(binary).expect(200);
  const productCount = async (): Promise<number> =>
    (await get('/products?pageSize=1').expect(200)).body.total;

  beforeAll(async () => {
    t = await createTestApp();
    await t.reset();
    const store = await t.given.store();
    [admin, manager, clerk, auditor] = await Promise.all([
      t.given.signedIn('county_admin'),
      t.given.signedIn('store_manager', store.id),
      t.given.signedIn('clerk', store.id),
      t.given.signedIn('auditor'),
    ]);
    grain = await t.given.category('粮油', 1);
  });
  afterAll(() => t.close());

  describe('categories', () => {
    it('lets the county admin add categories, listed in sort order, audited', async () => {
      const later = (await post('/product-categories', { name: `乙类${n()}`, sortOrder: 9 }))
        .body as { id: number; name: string };
      const created = await post('/product-categories', { name: ' 学习用品 ', sortOrder: 5 });
      expect(created.status).toBe(201);
      expect(created.body).toEqual({
        id: expect.any(Number),
        name: '学习用品',
        sortOrder: 5,
        monthlyLimitPerHousehold: null,
        createdAt: expect.any(String),
      });

      const listed = (await get('/product-categories', clerk).expect(200)).body.items as {
        name: string;
      }[];
      const names = listed.map((category) => category.name);
      expect(names.indexOf('粮油')).toBeLessThan(names.indexOf('学习用品'));
      expect(names.indexOf('学习用品')).toBeLessThan(names.indexOf(later.name));
      expect(await auditOf('product_category', created.body.id)).toEqual([
        expect.objectContaining({
          action: 'product_category.create',
          actorId: admin.user.id,
          summary: expect.stringContaining('学习用品'),
        }),
      ]);
    });

    it('refuses a duplicate name with 409 DUPLICATE and other roles with 403/401', async () => {
      const duplicate = await post('/product-categories', { name: '粮油' });
      expectError(duplicate, 409, 'DUPLICATE');
      expect(duplicate.body.message).toContain('粮油');
      const name = `无权类别${n()}`;
      for (const as of [manager, clerk, auditor]) {
        expectError(await post('/product-categories', { name }, as), 403, 'FORBIDDEN');
      }
      expectError(await post('/product-categories', { name }, null), 401, 'UNAUTHENTICATED');
      expectError(await get('/product-categories', null), 401, 'UNAUTHENTICATED');
      expectFieldError(await post('/product-categories', { name: '  ' }), 'name', 'isNotEmpty');
      expectFieldError(
        await post('/product-categories', { name, sortOrder: 1.5 }),
        'sortOrder',
        'isInt',
      );
      const names = (await get('/product-categories').expect(200)).body.items.map(
        (category: { name: string }) => category.name,
      );
      expect(names.filter((existing: string) => existing === '粮油')).toHaveLength(1);
      expect(names).not.toContain(name);
    });
  });

  describe('creating products', () => {
    it('creates a product by category name with an internal code; Chinese text round-trips', async () => {
      const barcode = ean13();
      const body = {
        name: '𠮷祥牌 东北大米 5kg（新米）',
        category: '粮油',
        unit: '袋',
        barcode,
        pointPrice: 45,
        unitValueFen: 4590,
        monthlyLimitPerHousehold: 2,
        lowStockThreshold: 10,
      };
      const created = await post('/products', body).expect(201);
      const id = created.body.id as number;
      expect(created.body).toEqual({
        id: expect.any(Number),
        ...body,
        categoryId: grain.id,
        internalCode: internalCodeFor(id),
        active: true,
        createdAt: expect.any(String),
        updatedAt: expect.any(String),
      });
      expect(created.body.internalCode).toMatch(/^21\d{11}$/);
      expect((await get(`/products/${id}`, clerk).expect(200)).body).toEqual(created.body);
      expect(await auditOf('product', id)).toEqual([
        expect.objectContaining({
          action: 'product.create',
          actorId: admin.user.id,
          summary: expect.stringContaining('𠮷祥牌 东北大米 5kg（新米）'),
        }),
      ]);
    });

    it('lets a store manager create by categoryId, with the defaults', async () => {
      const created = await post(
        '/products',
        {
          name: '洗衣粉 1.5kg',
          categoryId: grain.id,
          unit: '袋',
          pointPrice: 12,
          unitValueFen: 1290,
        },
        manager,
      ).expect(201);
      expect(created.body).toMatchObject({
        category: '粮油',
        barcode: null,
        internalCode: internalCodeFor(created.body.id),
        monthlyLimitPerHousehold: null,
        lowStockThreshold: 0,
        active: true,
      });
      expect((await auditOf('product', created.body.id))[0]).toMatchObject({
        action: 'product.create',
        actorId: manager.user.id,
        storeId: manager.user.storeId,
      });
    });

    it('refuses clerks, auditors and anonymous callers, creating nothing', async () => {
      const body = newProduct();
      expectError(await post('/products', body, clerk), 403, 'FORBIDDEN');
      expectError(await post('/products', body, auditor), 403, 'FORBIDDEN');
      expectError(await post('/products', body, null), 401, 'UNAUTHENTICATED');
      expect(await search(`search=${encodeURIComponent(body.name)}`)).toEqual([]);
    });

    it.each([
      ['a fractional pointPrice', { pointPrice: 4.5 }, 'pointPrice', 'isInt'],
      ['pointPrice as a string', { pointPrice: '45' }, 'pointPrice', 'isInt'],
      ['a negative unitValueFen', { unitValueFen: -1 }, 'unitValueFen', 'min'],
      ['fractional fen', { unitValueFen: 4590.5 }, 'unitValueFen', 'isInt'],
      ['a monthly limit of 0', { monthlyLimitPerHousehold: 0 }, 'monthlyLimitPerHousehold', 'min'],
      ['a negative threshold', { lowStockThreshold: -5 }, 'lowStockThreshold', 'min'],
      ['a blank name', { name: '   ' }, 'name', 'isNotEmpty'],
      ['an 81-character name', { name: '米'.repeat(81) }, 'name', 'maxLength'],
      ['an 11-character unit', { unit: '公斤公斤公斤公斤公斤公' }, 'unit', 'maxLength'],
      ['an unknown field', { price: 45 }, 'price', 'whitelistValidation'],
      ['both category and categoryId', { categoryId: 1 }, 'categoryId', 'exactlyOneCategory'],
      ['neither category nor categoryId', { category: undefined }, 'category', 'isDefined'],
      ['an unknown category name', { category: '玩具' }, 'category', 'isKnownCategory'],
      [
        'an unknown categoryId',
        { category: undefined, categoryId: 987654 },
        'categoryId',
        'isKnownCategory',
      ],
    ])(
      'answers 400 VALIDATION_FAILED for %s, creating nothing',
      async (_case, extra, field, rule) => {
        const before = await productCount();
        expectFieldError(await post('/products', newProduct(extra)), field, rule);
        expect(await productCount()).toBe(before);
      },
    );

    it('names the managed categories when the category is unknown', async () => {
      const response = await post('/products', newProduct({ category: '玩具' }));
      expect(response.body.message).toContain('玩具');
      expect(response.body.message).toContain('粮油');
    });
  });

  describe('barcodes', () => {
    it('accepts EAN-13, EAN-8 and Code 128 and refuses a wrong check digit naming the right one', async () => {
      for (const barcode of [ean13(), '96385074', `QS-RICE-${n()}`]) {
        const created = await post('/products', newProduct({ barcode })).expect(201);
        expect(created.body.barcode).toBe(barcode);
      }
      const name = `坏条码${n()}`;
      const wrongDigit = await post('/products', newProduct({ name, barcode: '6901234567890' }));
      expectError(wrongDigit, 422, 'INVALID_BARCODE');
      expect(wrongDigit.body.message).toContain('校验位应为 2');
      expect(wrongDigit.body.details).toMatchObject({ barcode: '6901234567890' });
      expectError(
        await post('/products', newProduct({ name, barcode: '96385075' })),
        422,
        'INVALID_BARCODE',
      );
      for (const barcode of ['大米5kg', ' ABC', 'X'.repeat(49), '']) {
        expectError(await post('/products', newProduct({ name, barcode })), 422, 'INVALID_BARCODE');
      }
      expect(await search(`search=${name}`)).toEqual([]);
    });

    it('refuses a barcode another product has, as barcode or internal code, naming that product', async () => {
      const barcode = ean13();
      const holder = await t.given.product({ name: '金龙鱼 食用油 5L', barcode });
      const taken = await post('/products', newProduct({ barcode }));
      expectError(taken, 409, 'DUPLICATE_BARCODE');
      expect(taken.body.message).toContain('金龙鱼 食用油 5L');
      expect(taken.body.details).toEqual({
        barcode,
        productId: holder.id,
        productName: '金龙鱼 食用油 5L',
      });

      const internal = await post('/products', newProduct({ barcode: holder.internalCode }));
      expectError(internal, 409, 'DUPLICATE_BARCODE');
      expect(internal.body.details).toMatchObject({ productId: holder.id });

      // the in-store range belongs to internal codes, also those of products not created yet
      const future = internalCodeFor(holder.id + 1000);
      const reserved = await post('/products', newProduct({ barcode: future }));
      expectError(reserved, 422, 'INVALID_BARCODE');
      expect(reserved.body.message).toContain('店内码');

      const other = await t.given.product();
      expectError(await patch(`/products/${other.id}`, { barcode }), 409, 'DUPLICATE_BARCODE');
      expect((await get(`/products/${other.id}`).expect(200)).body.barcode).toBeNull();
      await patch(`/products/${holder.id}`, { barcode, pointPrice: 60 }).expect(200);
    });

    it('gives a barcode to exactly one of several products created at once', async () => {
      const barcode = ean13();
      const responses = await Promise.all(
        Array.from({ length: 5 }, () => post('/products', newProduct({ barcode }))),
      );
      const statuses = responses.map((response) => response.status).sort();
      expect(statuses).toEqual([201, 409, 409, 409, 409]);
      const winner = responses.find((response) => response.status === 201)?.body as ProductBody;
      for (const lost of responses.filter((response) => response.status === 409)) {
        expectError(lost, 409, 'DUPLICATE_BARCODE');
        expect(lost.body.details).toMatchObject({ productId: winner.id, productName: winner.name });
      }
      expect(await search(`search=${barcode}`)).toEqual([winner]);
    });

    it('finds a product by its barcode or internal code for the till, also when inactive', async () => {
      const barcode = ean13();
      const soap = await t.given.product({ name: '雕牌 肥皂', barcode });
      const byBarcode = await get(`/products/barcode/${barcode}`, clerk).expect(200);
      expect(byBarcode.body).toMatchObject({ id: soap.id, name: '雕牌 肥皂' });
      const byInternal = await get(`/products/barcode/${soap.internalCode}`, clerk).expect(200);
      expect(byInternal.body).toEqual(byBarcode.body);

      const code128 = `QS/TOWEL ${n()}`;
      const towel = await t.given.product({ barcode: code128 });
      const encoded = await get(`/products/barcode/${encodeURIComponent(code128)}`).expect(200);
      expect(encoded.body.id).toBe(towel.id);

      await patch(`/products/${soap.id}`, { active: false }).expect(200);
      expect((await get(`/products/barcode/${barcode}`, clerk).expect(200)).body).toMatchObject({
        id: soap.id,
        active: false,
      });

      const unknown = await get('/products/barcode/6909999999993', clerk);
      expectError(unknown, 404, 'UNKNOWN_BARCODE');
      expect(unknown.body.details).toEqual({ barcode: '6909999999993' });
      expect(unknown.body.message).toContain('6909999999993');
      expectError(await get(`/products/barcode/${barcode}`, null), 401, 'UNAUTHENTICATED');
    });
  });

  describe('changing products', () => {
    it('changes fields, moves category by name, clears barcode and limit; the answer and a read agree', async () => {
      const daily = await t.given.category(`日用品${n()}`, 3);
      const product = await t.given.product({
        categoryId: grain.id,
        barcode: ean13(),
        monthlyLimitPerHousehold: 1,
      });
      const before = (await get(`/products/${product.id}`).expect(200)).body as ProductBody;

      const changed = await patch(`/products/${product.id}`, {
        name: '舒肤佳 香皂 三块装',
        category: daily.name,
        pointPrice: 18,
        barcode: null,
        monthlyLimitPerHousehold: null,
      }).expect(200);
      expect(changed.body).toEqual({
        ...before,
        name: '舒肤佳 香皂 三块装',
        categoryId: daily.id,
        category: daily.name,
        pointPrice: 18,
        barcode: null,
        monthlyLimitPerHousehold: null,
        updatedAt: expect.any(String),
      });
      expect(changed.body.internalCode).toBe(before.internalCode);
      expect((await get(`/products/${product.id}`).expect(200)).body).toEqual(changed.body);

      const entries = await auditOf('product', product.id);
      expect(entries[0]).toMatchObject({ action: 'product.update', actorId: admin.user.id });
      for (const field of [
        'name',
        'pointPrice',
        'barcode',
        'monthlyLimitPerHousehold',
        'category',
      ]) {
        expect(entries[0].summary).toContain(field);
      }
    });

    it('lets a store manager change a product; refuses clerks, auditors, nulls and floats', async () => {
      const product = await t.given.product({ pointPrice: 10 });
      await patch(`/products/${product.id}`, { lowStockThreshold: 5 }, manager).expect(200);
      expectError(
        await patch(`/products/${product.id}`, { pointPrice: 1 }, clerk),
        403,
        'FORBIDDEN',
      );
      expectError(
        await patch(`/products/${product.id}`, { pointPrice: 1 }, auditor),
        403,
        'FORBIDDEN',
      );
      expectError(
        await patch(`/products/${product.id}`, { pointPrice: 1 }, null),
        401,
        'UNAUTHENTICATED',
      );
      expectFieldError(await patch(`/products/${product.id}`, { name: null }), 'name', 'isString');
      expectFieldError(
        await patch(`/products/${product.id}`, { pointPrice: 9.9 }),
        'pointPrice',
        'isInt',
      );
      expectFieldError(
        await patch(`/products/${product.id}`, { internalCode: '1' }),
        'internalCode',
        'whitelistValidation',
      );
      expectError(
        await patch(`/products/${product.id}`, { barcode: '6901234567890' }),
        422,
        'INVALID_BARCODE',
      );
      expect((await get(`/products/${product.id}`).expect(200)).body).toMatchObject({
        pointPrice: 10,
        lowStockThreshold: 5,
        barcode: null,
      });
    });

    it('answers 404 NOT_FOUND for a product that does not exist', async () => {
      expectError(await get('/products/987654'), 404, 'NOT_FOUND');
      expectError(await patch('/products/987654', { pointPrice: 1 }), 404, 'NOT_FOUND');
      expectError(await labels(987654), 404, 'NOT_FOUND');
      expectFieldError(await get('/products/abc'), 'id', 'isInt');
    });
  });

  describe('listing', () => {
    it('searches by part of the name, a whole barcode or a whole internal code', async () => {
      const tag = `搜${n()}`;
      const barcode = ean13();
      const rice = await t.given.product({ name: `${tag} 大米 5kg`, barcode });
      const oil = await t.given.product({ name: `${tag} 花生油 100%纯` });
      await t.given.product({ name: `别的${n()}` });

      const ids = async (query: string) => (await search(query)).map((product) => product.id);
      expect(await ids(`search=${encodeURIComponent(tag)}`)).toEqual([rice.id, oil.id]);
      expect(await ids(`search=${encodeURIComponent('大米 5')}`)).toContain(rice.id);
      expect(await ids(`search=${encodeURIComponent(`${tag} 花生油 100%`)}`)).toEqual([oil.id]);
      expect(await ids(`search=${encodeURIComponent(`${tag}%`)}`)).toEqual([]);
      expect(await ids(`search=${barcode}`)).toEqual([rice.id]);
      expect(await ids(`search=${barcode.slice(0, 10)}`)).toEqual([]);
      expect(await ids(`search=${oil.internalCode}`)).toEqual([oil.id]);
    });

    it('filters by category and active, and pages with a stable total', async () => {
      const category = await t.given.category(`衣物${n()}`, 4);
      const created = [];
      for (let i = 0; i < 5; i++) created.push(await t.given.product({ categoryId: category.id }));
      await patch(`/products/${created[4].id}`, { active: false }).expect(200);

      const inCategory = await get(`/products?categoryId=${category.id}`, auditor).expect(200);
      expect(inCategory.body).toMatchObject({ total: 5, page: 1, pageSize: 50 });
      expect(inCategory.body.items.map((p: ProductBody) => p.category)).toEqual(
        Array(5).fill(category.name),
      );
      const active = await search(`categoryId=${category.id}&active=true`);
      expect(active.map((p) => p.id)).toEqual(created.slice(0, 4).map((p) => p.id));
      const inactive = await search(`categoryId=${category.id}&active=false`);
      expect(inactive.map((p) => p.id)).toEqual([created[4].id]);

      const pages = [];
      for (const page of [1, 2, 3]) {
        const response = await get(
          `/products?categoryId=${category.id}&page=${page}&pageSize=2`,
        ).expect(200);
        expect(response.body).toMatchObject({ total: 5, page, pageSize: 2 });
        pages.push(response.body.items.map((p: ProductBody) => p.id));
      }
      expect(pages.flat()).toEqual(created.map((p) => p.id));
      expectFieldError(await get('/products?active=yes'), 'active', 'isBoolean');
      expectError(await get('/products', null), 401, 'UNAUTHENTICATED');
    });
  });

  describe('labels', () => {
    it('prints a PDF with the Chinese name, the EAN-13 and the points price', async () => {
      const barcode = ean13();
      const product = await t.given.product({
        name: '鲁花 花生油 5L',
        unit: '桶',
        barcode,
        pointPrice: 89,
      });
      const response = await pdfOf(product.id, '', clerk);
      expect(response.headers['content-type']).toBe('application/pdf');
      const pdf = response.body as Buffer;
      expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
      const text = pdfText(pdf);
      if (text !== null) {
        expect(text).toContain('鲁花 花生油 5L');
        expect(text).toContain(barcode);
        expect(text).toContain('积分 89 / 桶');
      }
    });

    it('prints the internal code when there is no EAN-13, Code 128 otherwise, and copies', async () => {
      const plain = await t.given.product({ name: '手工棉被' });
      const plainPdf = (await pdfOf(plain.id, '?copies=3')).body as Buffer;
      const text = pdfText(plainPdf);
      if (text !== null) {
        expect(text.split(plain.internalCode as string)).toHaveLength(4);
        expect(text.split('手工棉被')).toHaveLength(4);
      }
      const code = `QS-${n()}`;
      const tagged = await t.given.product({ barcode: code });
      const taggedText = pdfText((await pdfOf(tagged.id)).body as Buffer);
      if (taggedText !== null) {
        expect(taggedText).toContain(code);
        expect(taggedText).not.toContain(tagged.internalCode);
      }
      // 40 characters of Code 128 would need bars thinner than a printer can make on 70 mm
      const long = await t.given.product({ barcode: `LONG-${n()}-`.padEnd(40, 'X') });
      const longText = pdfText((await pdfOf(long.id)).body as Buffer);
      if (longText !== null) expect(longText).toContain(long.internalCode);
    });

    it.each(['0', '201', '1.5', 'x'])('refuses copies=%s with 400', async (copies) => {
      const product = await t.given.product();
      const rule = { '0': 'min', '201': 'max', '1.5': 'isInt', x: 'isInt' }[copies] as string;
      expectFieldError(await labels(product.id, `?copies=${copies}`), 'copies', rule);
    });

    it('needs a login', async () => {
      const product = await t.given.product();
      expectError(await labels(product.id, '', null), 401, 'UNAUTHENTICATED');
    });
  });
});
