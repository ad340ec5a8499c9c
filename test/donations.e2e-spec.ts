import { SYSTEM_ACTOR } from '@charity/common';
import {
  DonationReceiptsService,
  DonorStatementsService,
  Donor,
  DonorsService,
} from '@charity/donations';
import {
  findStockLedgerMismatches,
  Product,
  StockLot,
  StockMovement,
  StockService,
  type CatalogueProduct,
} from '@charity/inventory';
import { Store } from '@charity/organisation';
import { RenderedDocument } from '@charity/receipts';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expectError } from './support/errors';
import type { SignedIn } from './support/given';
import { createTestApp, type TestApp } from './support/test-app';

function pdfText(pdf: Buffer): string | null {
  try {
    const file = join(mkdtempSync(join(tmpdir(), 'receipt-')), 'r.pdf');
    writeFileSync(file, pdf);
    return execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
  } catch {
    return null; // poppler-utils missing: .ci/run installs it
  }
}

describe('donations', () => {
  let t: TestApp;
  let storeA: Store;
  let storeB: Store;
  let clerkA: SignedIn;
  let managerA: SignedIn;
  let clerkB: SignedIn;
  let auditor: SignedIn;
  let admin: SignedIn;
  let donor: Donor;
  let rice: CatalogueProduct;
  let oil: CatalogueProduct;
  let sequence = 0;
  const key = (): string => `test-key-${Date.now()}-${++sequence}`;
  // the county's business year, which can differ from UTC's on New Year's Eve
  let year: number;

  const intake = (auth: string, body: object, idempotencyKey?: string) => {
    const request = t.http.post('/api/v1/donations').set('Authorization', auth);
    if (idempotencyKey) request.set('Idempotency-Key', idempotencyKey);
    return request.send(body);
  };

  beforeAll(async () => {
    t = await createTestApp();
    await t.reset();
    year = Number(t.given.date(0).slice(0, 4));
    storeA = await t.given.store();
    storeB = await t.given.store();
    clerkA = await t.given.signedIn('clerk', storeA.id);
    managerA = await t.given.signedIn('store_manager', storeA.id);
    clerkB = await t.given.signedIn('clerk', storeB.id);
    auditor = await t.given.signedIn('auditor');
    admin = await t.given.signedIn('county_admin');
    donor = await t.app.get(DonorsService).create(SYSTEM_ACTOR, {
      kind: 'company',
      name: '青山县宏达粮油有限公司',
      honorConsent: true,
    });
    rice = await t.given.product({
      name: '大米 5kg',
      unit: '袋',
      unitValueFen: 4500,
      barcode: '6901234567892',
    });
    oil = await t.given.product({ name: '食用油 5L', unit: '桶', unitValueFen: 7990 });
  });

  afterEach(async () => {
    expect(await findStockLedgerMismatches(t.dataSource.manager)).toEqual([]);
  });

  afterAll(() => t.close());

  describe('intake', () => {
    it('takes goods into stock as lots with their value fixed, numbers the receipt and links it', async () => {
      const response = await intake(clerkA.auth, {
        storeId: storeA.id,
        donorId: donor.id,
        lines: [
          { productId: rice.id, quantity: 10, expiryDate: `${year + 1}-06-30` },
          { productId: oil.id, quantity: 3, unitValueFen: 6800 },
        ],
        cashFen: 50_000,
        note: '重阳节慰问',
      }).expect(201);

      expect(response.body).toMatchObject({
        storeId: storeA.id,
        donorId: donor.id,
        status: 'active',
        goodsValueFen: 10 * 4500 + 3 * 6800,
        cashFen: 50_000,
        totalValueFen: 10 * 4500 + 3 * 6800 + 50_000,
        lines: [
          {
            lineNo: 1,
            productId: rice.id,
            name: '大米 5kg',
            unit: '袋',
            quantity: 10,
            unitValueFen: 4500,
            amountFen: 45_000,
          },
          {
            lineNo: 2,
            productId: oil.id,
            name: '食用油 5L',
            quantity: 3,
            unitValueFen: 6800,
            amountFen: 20_400,
          },
        ],
        receiptUrl: `/api/v1/donations/${response.body.id}/receipt.pdf`,
      });
      expect(response.body.receiptNo).toMatch(new RegExp(`^JZ-${storeA.code}-\\d{4}-\\d{6}$`));
      expect(response.body.verifyUrl).toMatch(/\/p\/r\/JZ-.+\?code=[\w-]{16}$/);

      const lot = await t.dataSource
        .getRepository(StockLot)
        .findOneByOrFail({ id: response.body.lines[0].lotId });
      expect(lot).toMatchObject({
        storeId: storeA.id,
        quantity: 10,
        unitValueFen: 4500,
        expiryDate: `${year + 1}-06-30`,
        sourceType: 'donation',
      });
      const movements = await t.dataSource
        .getRepository(StockMovement)
        .findBy({ refType: 'donation', refId: String(response.body.id) });
      expect(movements.map((m) => [m.kind, m.quantity]).sort()).toEqual([
        ['donation_in', 10],
        ['donation_in', 3],
      ]);

      // the donation keeps its value when the catalogue's reference value changes later
      await t.http
        .patch(`/api/v1/products/${rice.id}`)
        .set('Authorization', admin.auth)
        .send({ unitValueFen: 9999 })
        .expect(200);
      const again = await t.http
        .get(`/api/v1/donations/${response.body.id}`)
        .set('Authorization', clerkA.auth)
        .expect(200);
      expect(again.body.lines[0].unitValueFen).toBe(4500);
      await t.http
        .patch(`/api/v1/products/${rice.id}`)
        .set('Authorization', admin.auth)
        .send({ unitValueFen: 4500 })
        .expect(200);
    });

    it('registers a new donor and new goods inline, scans a barcode ×20, and records cash', async () => {
      const response = await intake(clerkA.auth, {
        storeId: storeA.id,
        donor: { kind: 'individual', name: '王建国', phone: '13812345678' },
        lines: [
          { barcode: '6901234567892', quantity: 1, multiplier: 20 },
          { barcode: oil.internalCode ?? '', quantity: 2 },
          {
            product: {
              name: '儿童书包',
              category: rice.category?.name ?? '',
              unit: '个',
              pointPrice: 60,
              unitValueFen: 6000,
            },
            quantity: 4,
          },
        ],
        cashFen: 1,
      }).expect(201);

      expect(
        response.body.lines.map((l: { name: string; quantity: number }) => [l.name, l.quantity]),
      ).toEqual([
        ['大米 5kg', 20],
        ['食用油 5L', 2],
        ['儿童书包', 4],
      ]);
      expect(response.body.totalValueFen).toBe(20 * 4500 + 2 * 7990 + 4 * 6000 + 1);
      const created = await t.dataSource
        .getRepository(Donor)
        .findOneByOrFail({ id: response.body.donorId });
      expect(created).toMatchObject({ name: '王建国', kind: 'individual' });
    });

    it('answers each mistake with its code, changing nothing', async () => {
      const before = await t.dataSource.getRepository(StockLot).count();
      const unknown = await intake(clerkA.auth, {
        storeId: storeA.id,
        donorId: donor.id,
        lines: [{ barcode: '6900000000000', quantity: 1 }],
      });
      expect(unknown.status).toBe(404);
      expect(unknown.body.code).toBe('UNKNOWN_BARCODE');
      const empty = await intake(clerkA.auth, {
        storeId: storeA.id,
        donorId: donor.id,
        lines: [],
      }).expect(400);
      expect(empty.body.details.fields[0].field).toBe('lines');
      const twoDonors = await intake(clerkA.auth, {
        storeId: storeA.id,
        donorId: donor.id,
        donor: { kind: 'individual', name: '李四' },
        cashFen: 100,
      }).expect(400);
      expect(twoDonors.body.details.fields[0].field).toBe('donorId');
      const future = await intake(clerkA.auth, {
        storeId: storeA.id,
        donorId: donor.id,
        receivedDate: `${year + 2}-01-01`,
        cashFen: 100,
      }).expect(400);
      expect(future.body.details.fields[0].field).toBe('receivedDate');
      await intake(clerkA.auth, {
        storeId: storeA.id,
        donorId: donor.id,
        lines: [{ productId: rice.id, quantity: 1.5 }],
      }).expect(400);
      await intake(clerkA.auth, { storeId: storeA.id, donorId: 999999, cashFen: 100 }).expect(404);
      await intake(clerkB.auth, { storeId: storeA.id, donorId: donor.id, cashFen: 100 }).expect(
        403,
      );
      await intake(auditor.auth, { storeId: storeA.id, donorId: donor.id, cashFen: 100 }).expect(
        403,
      );
      await t.http
        .post('/api/v1/donations')
        .send({ storeId: storeA.id, donorId: donor.id, cashFen: 100 })
        .expect(401);
      const badKey = await intake(
        clerkA.auth,
        { storeId: storeA.id, donorId: donor.id, cashFen: 100 },
        'short',
      );
      expect(badKey.status).toBe(400);
      const huge = await intake(clerkA.auth, {
        storeId: storeA.id,
        donorId: donor.id,
        lines: [{ productId: rice.id, quantity: 100_000, multiplier: 1000, unitValueFen: 100_000 }],
      }).expect(400);
      expect(huge.body.details.fields[0].field).toBe('lines');
      expect(await t.dataSource.getRepository(StockLot).count()).toBe(before);
    });

    it('refuses a closed store and a retired product by name, changing nothing', async () => {
      const before = await t.dataSource.getRepository(StockLot).count();
      const closed = await t.given.store();
      await t.dataSource.getRepository(Store).update({ id: closed.id }, { active: false });
      const toClosed = await intake(admin.auth, {
        storeId: closed.id,
        donorId: donor.id,
        lines: [{ productId: rice.id, quantity: 1 }],
      });
      expectError(toClosed, 409, 'STORE_INACTIVE');
      expect(toClosed.body.message).toContain(closed.name);
      expect(toClosed.body.details).toEqual({ storeId: closed.id });

      const retired = await t.given.product({ name: '旧款毛巾' });
      await t.dataSource.getRepository(Product).update({ id: retired.id }, { active: false });
      const ofRetired = await intake(clerkA.auth, {
        storeId: storeA.id,
        donorId: donor.id,
        lines: [{ productId: retired.id, quantity: 1 }],
      });
      expectError(ofRetired, 409, 'PRODUCT_INACTIVE');
      expect(ofRetired.body.message).toContain('旧款毛巾');
      expect(await t.dataSource.getRepository(StockLot).count()).toBe(before);
    });
  });

  describe('Idempotency-Key', () => {
    it('returns the first donation for a retried request and refuses the key for another body', async () => {
      const k = key();
      const body = {
        storeId: storeA.id,
        donorId: donor.id,
        lines: [{ productId: oil.id, quantity: 2 }],
      };
      const first = await intake(clerkA.auth, body, k).expect(201);
      const retry = await intake(clerkA.auth, body, k).expect(200);
      expect(retry.headers['idempotent-replayed']).toBe('true');
      expect(retry.body).toEqual(first.body);
      expect(
        await t.dataSource.getRepository(StockLot).countBy({ sourceRef: String(first.body.id) }),
      ).toBe(1);

      const other = await intake(
        clerkA.auth,
        { ...body, lines: [{ productId: oil.id, quantity: 3 }] },
        k,
      ).expect(422);
      expect(other.body.code).toBe('IDEMPOTENCY_KEY_REUSED');
    });

    it('creates exactly one donation when the same request races in five times', async () => {
      const k = key();
      const body = { storeId: storeA.id, donorId: donor.id, cashFen: 8800 };
      const responses = await Promise.all(
        Array.from({ length: 5 }, () => intake(clerkA.auth, body, k)),
      );
      expect(responses.map((r) => r.status).sort()).toEqual([200, 200, 200, 200, 201]);
      expect(new Set(responses.map((r) => r.body.id)).size).toBe(1);
    });
  });

  describe('receipt numbers', () => {
    it('are gapless per store and year under concurrent intakes, and a failed intake uses none', async () => {
      const store = await t.given.store();
      const clerk = await t.given.signedIn('clerk', store.id);
      const good = { storeId: store.id, donorId: donor.id, cashFen: 100 };
      const bad = {
        storeId: store.id,
        donorId: donor.id,
        lines: [{ productId: 999999, quantity: 1 }],
      };
      const responses = await Promise.all([
        ...Array.from({ length: 10 }, () => intake(clerk.auth, good)),
        ...Array.from({ length: 3 }, () => intake(clerk.auth, bad)),
      ]);
      expect(responses.filter((r) => r.status === 404)).toHaveLength(3);
      const numbers = responses
        .filter((r) => r.status === 201)
        .map((r) => Number(String(r.body.receiptNo).slice(-6)))
        .sort((a, b) => a - b);
      expect(numbers).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    });
  });

  describe('void', () => {
    it('lets a manager void a donation whose goods are untouched, once, and reverses its stock', async () => {
      const created = await intake(clerkA.auth, {
        storeId: storeA.id,
        donorId: donor.id,
        lines: [{ productId: rice.id, quantity: 4 }],
      }).expect(201);
      await t.http
        .post(`/api/v1/donations/${created.body.id}/void`)
        .set('Authorization', clerkA.auth)
        .send({ reason: '录错了' })
        .expect(403);

      const voided = await t.http
        .post(`/api/v1/donations/${created.body.id}/void`)
        .set('Authorization', managerA.auth)
        .send({ reason: '重复登记' })
        .expect(200);
      expect(voided.body).toMatchObject({
        status: 'voided',
        voidReason: '重复登记',
        receiptNo: created.body.receiptNo,
      });
      const lot = await t.dataSource
        .getRepository(StockLot)
        .findOneByOrFail({ id: created.body.lines[0].lotId });
      expect(lot.quantity).toBe(0);

      const twice = await t.http
        .post(`/api/v1/donations/${created.body.id}/void`)
        .set('Authorization', managerA.auth)
        .send({ reason: '再作废' })
        .expect(409);
      expect(twice.body.code).toBe('DONATION_VOIDED');
    });

    it('refuses when goods were already handed out, naming the lines, and changes nothing', async () => {
      const created = await intake(clerkA.auth, {
        storeId: storeA.id,
        donorId: donor.id,
        lines: [
          { productId: oil.id, quantity: 5 },
          { productId: rice.id, quantity: 2 },
        ],
      }).expect(201);
      const oilLot = created.body.lines[0].lotId as number;
      await t.dataSource.transaction((em) =>
        t.app
          .get(StockService)
          .consumeFefo(em, SYSTEM_ACTOR, storeA.id, [{ productId: oil.id, quantity: 1 }], {
            kind: 'redemption_out',
            ref: { type: 'redemption', id: `R${++sequence}` },
            lotId: oilLot,
          }),
      );

      const refused = await t.http
        .post(`/api/v1/donations/${created.body.id}/void`)
        .set('Authorization', managerA.auth)
        .send({ reason: '登记错误' })
        .expect(409);
      expect(refused.body).toMatchObject({
        code: 'DONATION_GOODS_CONSUMED',
        details: { lines: [{ lineNo: 1, name: '食用油 5L', donated: 5, remaining: 4 }] },
      });
      expect(refused.body.message).toContain('食用油 5L');
      const still = await t.http
        .get(`/api/v1/donations/${created.body.id}`)
        .set('Authorization', managerA.auth)
        .expect(200);
      expect(still.body.status).toBe('active');
    });
  });

  describe('verification and receipt PDF', () => {
    it('verifies a genuine receipt without login, refuses a wrong code, and shows a void', async () => {
      const created = await intake(clerkA.auth, {
        storeId: storeA.id,
        donor: { kind: 'individual', name: '赵小红', phone: '13900001111' },
        cashFen: 20_000,
      }).expect(201);
      // the JSON answer; the QR code's page is test/public-receipt-page.e2e-spec.ts's
      const printed = new URL(created.body.verifyUrl as string);
      const url = new URL(
        `/api/v1/public/receipts/${created.body.receiptNo}${printed.search}`,
        printed.origin,
      );
      const genuine = await t.http.get(`${url.pathname}${url.search}`).expect(200);
      expect(genuine.body).toMatchObject({
        genuine: true,
        status: 'active',
        receiptNo: created.body.receiptNo,
        storeName: storeA.name,
        totalValueFen: 20_000,
      });
      expect(genuine.body.donorName).not.toBe('赵小红');
      expect(genuine.body.donorName.startsWith('赵')).toBe(true);
      expect(JSON.stringify(genuine.body)).not.toContain('13900001111');

      const tampered = await t.http.get(`${url.pathname}?code=AAAAAAAAAAAAAAAA`).expect(404);
      expect(tampered.body.code).toBe('NOT_FOUND');
      const guessed = await t.http
        .get(
          `/api/v1/public/receipts/JZ-${storeA.code}-${year}-999999?code=${url.searchParams.get('code')}`,
        )
        .expect(404);
      expect(guessed.body.message).toBe(tampered.body.message);

      await t.http
        .post(`/api/v1/donations/${created.body.id}/void`)
        .set('Authorization', managerA.auth)
        .send({ reason: '金额填错' })
        .expect(200);
      const voided = await t.http.get(`${url.pathname}${url.search}`).expect(200);
      expect(voided.body.status).toBe('voided');
    });

    it('renders the receipt with the donor, every line, the total and its Chinese capitals; a void marks it', async () => {
      const created = await intake(clerkA.auth, {
        storeId: storeA.id,
        donorId: donor.id,
        lines: [
          { productId: rice.id, quantity: 3 },
          { productId: oil.id, quantity: 1 },
        ],
        cashFen: 100_005,
      }).expect(201);
      const response = await t.http
        .get(`/api/v1/donations/${created.body.id}/receipt.pdf`)
        .set('Authorization', clerkA.auth)
        .buffer(true)
        .parse((res, done) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => done(null, Buffer.concat(chunks)));
        })
        .expect(200)
        .expect('Content-Type', /application\/pdf/);
      const pdf = response.body as Buffer;
      expect(pdf.subarray(0, 4).toString()).toBe('%PDF');
      expect(pdf.length).toBeLessThan(100 * 1024);
      const text = pdfText(pdf);
      if (text !== null) {
        // 3 × 45.00 + 79.90 + 1,000.05 = 1,214.95
        for (const expected of [
          '青山县宏达粮油有限公司',
          '大米 5kg',
          '食用油 5L',
          created.body.receiptNo,
          '1,214.95',
          '壹仟贰佰壹拾肆元玖角伍分',
        ]) {
          expect(text).toContain(expected);
        }
      }
      await t.http
        .get(`/api/v1/donations/${created.body.id}/receipt.pdf`)
        .set('Authorization', clerkB.auth)
        .expect(403);

      await t.http
        .post(`/api/v1/donations/${created.body.id}/void`)
        .set('Authorization', managerA.auth)
        .send({ reason: '重复登记' })
        .expect(200);
      const receipts = t.app.get(DonationReceiptsService);
      const voidedPdf = await receipts.pdf(
        { userId: managerA.user.id, username: 'm', role: 'store_manager', storeId: storeA.id },
        created.body.id as number,
      );
      const voidedText = pdfText(voidedPdf);
      if (voidedText !== null) expect(voidedText).toContain('作废');
      // one stored file per donation, however often it is rendered
      await receipts.render(created.body.id as number);
      expect(
        await t.dataSource
          .getRepository(RenderedDocument)
          .countBy({ refId: String(created.body.id) }),
      ).toBe(1);
    });
  });

  describe('annual statements', () => {
    const pdfOf = (request: ReturnType<typeof t.http.get>) =>
      request.buffer(true).parse((res, done) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => done(null, Buffer.concat(chunks)));
      });

    it("lists a donor's receipts of the year with totals; a store manager sees their store's", async () => {
      const giver = await t.app.get(DonorsService).create(SYSTEM_ACTOR, {
        kind: 'organization',
        name: '县交通运输局帮扶工作队',
        receiptPreference: 'annual',
      });
      const a = await intake(clerkA.auth, {
        storeId: storeA.id,
        donorId: giver.id,
        cashFen: 30_000,
      }).expect(201);
      const b = await intake(clerkB.auth, {
        storeId: storeB.id,
        donorId: giver.id,
        cashFen: 12_345,
      }).expect(201);

      const county = await pdfOf(
        t.http
          .get(`/api/v1/donors/${giver.id}/statement.pdf?year=${year}`)
          .set('Authorization', auditor.auth),
      ).expect(200);
      const text = pdfText(county.body as Buffer);
      if (text !== null) {
        expect(text).toContain('县交通运输局帮扶工作队');
        expect(text).toContain(a.body.receiptNo);
        expect(text).toContain(b.body.receiptNo);
        expect(text).toContain('423.45');
        expect(text).toContain('肆佰贰拾叁元肆角伍分');
      }
      const own = await pdfOf(
        t.http
          .get(`/api/v1/donors/${giver.id}/statement.pdf?year=${year}`)
          .set('Authorization', managerA.auth),
      ).expect(200);
      const ownText = pdfText(own.body as Buffer);
      if (ownText !== null) {
        expect(ownText).toContain(a.body.receiptNo);
        expect(ownText).not.toContain(b.body.receiptNo);
      }
      await t.http
        .get(`/api/v1/donors/${giver.id}/statement.pdf?year=${year}`)
        .set('Authorization', clerkA.auth)
        .expect(403);
      await t.http
        .get(`/api/v1/donors/${giver.id}/statement.pdf?year=1999`)
        .set('Authorization', auditor.auth)
        .expect(400);

      const statements = t.app.get(DonorStatementsService);
      const first = await statements.renderAnnual(year);
      const again = await statements.renderAnnual(year);
      expect(first.statements).toBeGreaterThanOrEqual(1);
      expect(again.statements).toBe(first.statements);
      expect(
        await t.dataSource
          .getRepository(RenderedDocument)
          .countBy({ kind: 'donor_statement', refId: `${giver.id}-${year}` }),
      ).toBe(1);
      // donors who did not ask for annual receipts get none
      expect(
        await t.dataSource
          .getRepository(RenderedDocument)
          .countBy({ kind: 'donor_statement', refId: `${donor.id}-${year}` }),
      ).toBe(0);
    });
  });

  describe('lists', () => {
    it('filters by store, donor, month and donor kind, and keeps store staff to their store', async () => {
      const giver = await t.app
        .get(DonorsService)
        .create(SYSTEM_ACTOR, { kind: 'union_member', name: '孙会员' });
      const here = await intake(clerkA.auth, {
        storeId: storeA.id,
        donorId: giver.id,
        cashFen: 500,
      }).expect(201);
      await intake(clerkB.auth, { storeId: storeB.id, donorId: giver.id, cashFen: 700 }).expect(
        201,
      );
      const month = t.given.date(0).slice(0, 7);

      const mine = await t.http
        .get(`/api/v1/donations?month=${month}&kind=union_member&donorId=${giver.id}`)
        .set('Authorization', clerkA.auth)
        .expect(200);
      expect(mine.body.items.map((d: { id: number }) => d.id)).toEqual([here.body.id]);
      // each row names its donor, a person masked for store staff as the donor view is
      expect(mine.body.items[0]).toMatchObject({ donorName: '孙**', donorKind: 'union_member' });
      const county = await t.http
        .get(`/api/v1/donations?donorId=${giver.id}`)
        .set('Authorization', auditor.auth)
        .expect(200);
      expect(county.body.total).toBe(2);
      const forAdmin = await t.http
        .get(`/api/v1/donations?donorId=${giver.id}`)
        .set('Authorization', admin.auth)
        .expect(200);
      expect(forAdmin.body.items.map((d: { donorName: string }) => d.donorName)).toEqual([
        '孙会员',
        '孙会员',
      ]);
      const otherKind = await t.http
        .get(`/api/v1/donations?donorId=${giver.id}&kind=company`)
        .set('Authorization', auditor.auth)
        .expect(200);
      expect(otherKind.body.total).toBe(0);
      const lastYear = await t.http
        .get(`/api/v1/donations?donorId=${giver.id}&month=${year - 1}-${month.slice(5)}`)
        .set('Authorization', auditor.auth)
        .expect(200);
      expect(lastYear.body.total).toBe(0);

      const foreign = await t.http
        .get(`/api/v1/donations?storeId=${storeB.id}`)
        .set('Authorization', clerkA.auth)
        .expect(403);
      expect(foreign.body.code).toBe('FORBIDDEN');
      await t.http
        .get('/api/v1/donations?month=2026-13')
        .set('Authorization', auditor.auth)
        .expect(400);
      const someone = await t.http
        .get(`/api/v1/donations/${here.body.id}`)
        .set('Authorization', clerkB.auth)
        .expect(403);
      expect(someone.body.code).toBe('FORBIDDEN');
    });
  });
});
