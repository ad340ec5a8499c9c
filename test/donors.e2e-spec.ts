import type { Response } from 'supertest';
import type { SignedIn } from './support/given';
import { createTestApp, type TestApp } from './support/test-app';
import { expectError } from './support/errors';

let serial = 0;
const n = (): number => ++serial;

function expectFieldError(response: Response, field: string, constraint?: string): void {
  expectError(response, 400, 'VALIDATION_FAILED');
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

interface DonorBody {
  id: number;
  kind: string;
  name: string;
  phone: string | null;
  email: string | null;
  address: string | null;
  creditCode: string | null;
  honorConsent: boolean;
  receiptPreference: string;
  masked: boolean;
}

// real codes whose check characters GB 32100-2015 accepts
const CODE_A = '91350100M000100Y43';
const CODE_B = '91110000600037341L';
const CODE_C = '91440300708461136T';

describe('donors', () => {
  let t: TestApp;
  let admin: SignedIn;
  let manager: SignedIn;
  let clerk: SignedIn;
  let auditor: SignedIn;

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
  const search = async (query: string, as: SignedIn = admin): Promise<DonorBody[]> =>
    (await get(`/donors?${query}`, as).expect(200)).body.items;
  const donorCount = async (): Promise<number> =>
    (await get('/donors?pageSize=1').expect(200)).body.total;
  const auditOf = async (id: number) =>
    (await get(`/audit-log?entityType=donor&entityId=${id}`).expect(200)).body.items as {
      action: string;
      actorId: number;
      summary: string;
    }[];
  /** A mobile number no other test uses, so searches by it find one donor. */
  const mobile = (): string => `139${String(10_000_000 + n() * 7919).slice(-8)}`;

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
  });
  afterAll(() => t.close());

  describe('registering', () => {
    it('lets a clerk register a person at intake and shows them only masked data', async () => {
      const created = await post(
        '/donors',
        {
          kind: 'individual',
          name: ' 张三 ',
          phone: '13812345678',
          email: 'zhangsan@example.com',
          address: '河南省洛阳市栾川县城关镇幸福路8号',
          honorConsent: true,
        },
        clerk,
      );
      expect(created.status).toBe(201);
      expect(created.body).toEqual({
        id: expect.any(Number),
        kind: 'individual',
        name: '张*',
        phone: '138****5678',
        email: 'z*******@example.com',
        address: '河南省洛阳市****',
        creditCode: null,
        honorConsent: true,
        receiptPreference: 'per_donation',
        masked: true,
        createdAt: expect.any(String),
        updatedAt: expect.any(String),
      });

      // the county admin sees what was typed (trimmed)
      const full = (await get(`/donors/${created.body.id}`, admin).expect(200)).body;
      expect(full).toMatchObject({
        name: '张三',
        phone: '13812345678',
        email: 'zhangsan@example.com',
        address: '河南省洛阳市栾川县城关镇幸福路8号',
        masked: false,
      });
      // the clerk, the manager and the auditor read it masked
      for (const as of [clerk, manager, auditor]) {
        const seen = (await get(`/donors/${created.body.id}`, as).expect(200)).body;
        expect(seen).toMatchObject({ name: '张*', phone: '138****5678', masked: true });
      }

      const audit = await auditOf(created.body.id);
      expect(audit).toEqual([
        expect.objectContaining({ action: 'donor.create', actorId: clerk.user.id }),
      ]);
      expect(audit[0].summary).toContain('张*');
      expect(audit[0].summary).not.toContain('张三');
      expect(audit[0].summary).not.toContain('13812345678');
    });

    it('masks union members like individuals', async () => {
      const created = await post(
        '/donors',
        { kind: 'union_member', name: '欧阳小明', phone: '0571-87654321' },
        manager,
      ).expect(201);
      expect(created.body).toMatchObject({
        name: '欧***',
        phone: '0571-****4321',
        email: null,
        address: null,
        masked: true,
      });
    });

    it('shows a company in full to everyone, with its credit code and defaults', async () => {
      const name = `青山粮油有限公司${n()}`;
      const created = await post(
        '/donors',
        {
          kind: 'company',
          name,
          phone: '13900001111',
          email: 'office@qingshan.example.com',
          address: '青山县城关镇工业路1号',
          creditCode: CODE_A.toLowerCase(),
          receiptPreference: 'annual',
        },
        clerk,
      ).expect(201);
      expect(created.body).toMatchObject({
        kind: 'company',
        name,
        phone: '13900001111',
        email: 'office@qingshan.example.com',
        address: '青山县城关镇工业路1号',
        creditCode: CODE_A, // stored upper case
        honorConsent: false,
        receiptPreference: 'annual',
        masked: false,
      });
      const audit = await auditOf(created.body.id);
      expect(audit[0].summary).toContain(name);
    });

    it('refuses bad fields with 400 naming each, and creates nothing', async () => {
      const before = await donorCount();
      expectFieldError(await post('/donors', { kind: 'individual', name: '   ' }), 'name');
      expectFieldError(
        await post('/donors', { kind: 'individual', name: '名'.repeat(101) }),
        'name',
      );
      expectFieldError(await post('/donors', { kind: 'alien', name: '某人' }), 'kind', 'isIn');
      expectFieldError(await post('/donors', { name: '某人' }), 'kind');
      for (const phone of ['12345', '23812345678', '1381234567', '138123456789', '571-8765432']) {
        expectFieldError(
          await post('/donors', { kind: 'individual', name: '李四', phone }),
          'phone',
          'matches',
        );
      }
      expectFieldError(
        await post('/donors', { kind: 'individual', name: '李四', email: 'not-an-email' }),
        'email',
      );
      expectFieldError(
        await post('/donors', { kind: 'individual', name: '李四', honorConsent: 'yes' }),
        'honorConsent',
      );
      expectFieldError(
        await post('/donors', { kind: 'individual', name: '李四', receiptPreference: 'monthly' }),
        'receiptPreference',
      );
      expectFieldError(
        await post('/donors', { kind: 'individual', name: '李四', idNumber: '410423' }),
        'idNumber',
        'whitelistValidation',
      );
      // a person has no credit code
      const personWithCode = await post('/donors', {
        kind: 'individual',
        name: '李四',
        creditCode: CODE_B,
      });
      expectFieldError(personWithCode, 'creditCode', 'onlyForOrganisations');
      expect(await donorCount()).toBe(before);
    });

    it('accepts landlines with or without the dash', async () => {
      for (const phone of ['010-12345678', '0571-8765432', '057187654321']) {
        await post('/donors', { kind: 'organization', name: `帮扶单位${n()}`, phone }).expect(201);
      }
    });
  });

  describe('credit codes', () => {
    it('refuses a wrong check character with 422 naming the expected one', async () => {
      const before = await donorCount();
      const wrong = await post('/donors', {
        kind: 'company',
        name: `错码公司${n()}`,
        creditCode: '91350100M000100Y44',
      });
      expectError(wrong, 422, 'INVALID_CREDIT_CODE');
      expect(wrong.body.message).toContain('91350100M000100Y44');
      expect(wrong.body.message).toContain('“3”');
      expect(wrong.body.details).toMatchObject({
        field: 'creditCode',
        expectedCheckCharacter: '3',
      });

      for (const creditCode of ['91350100M000100Y4', '91350100M000100I43', '']) {
        const response = await post('/donors', {
          kind: 'organization',
          name: `错码单位${n()}`,
          creditCode,
        });
        expectError(response, 422, 'INVALID_CREDIT_CODE');
      }
      expect(await donorCount()).toBe(before);
    });

    it('refuses a code another donor holds with 409 naming that donor', async () => {
      const holderName = `先登记公司${n()}`;
      const holder = await t.given.donor({ name: holderName, creditCode: CODE_B });
      const before = await donorCount();
      const duplicate = await post('/donors', {
        kind: 'organization',
        name: `后登记单位${n()}`,
        creditCode: ` ${CODE_B.toLowerCase()} `,
      });
      expectError(duplicate, 409, 'DUPLICATE');
      expect(duplicate.body.message).toContain(holderName);
      expect(duplicate.body.details).toMatchObject({
        creditCode: CODE_B,
        donorId: holder.id,
        donorName: holderName,
      });
      expect(await donorCount()).toBe(before);

      // the same through PATCH; keeping one's own code is no conflict
      const other = await t.given.donor();
      const taken = await patch(`/donors/${other.id}`, { creditCode: CODE_B });
      expectError(taken, 409, 'DUPLICATE');
      expect(taken.body.message).toContain(holderName);
      await patch(`/donors/${holder.id}`, { creditCode: CODE_B, name: holderName }).expect(200);
    });

    it('lets registrations race for one code: one wins, the others are told who has it', async () => {
      const results = await Promise.all(
        [1, 2, 3, 4, 5].map((i) =>
          post('/donors', { kind: 'company', name: `抢码公司${n()}-${i}`, creditCode: CODE_C }),
        ),
      );
      expect(results.map((r) => r.status).sort()).toEqual([201, 409, 409, 409, 409]);
      const winner = results.find((r) => r.status === 201)!.body as DonorBody;
      for (const loser of results.filter((r) => r.status === 409)) {
        expectError(loser, 409, 'DUPLICATE');
        expect(loser.body.details.donorId).toBe(winner.id);
      }
    });
  });

  describe('changing', () => {
    it('lets managers and admins change a donor, audited by field name only', async () => {
      const donor = await t.given.donor({
        kind: 'individual',
        name: '王五',
        phone: '13700001234',
        email: 'wangwu@example.com',
      });
      const changed = await patch(
        `/donors/${donor.id}`,
        { phone: '13700005678', email: null, honorConsent: true, receiptPreference: 'annual' },
        manager,
      ).expect(200);
      expect(changed.body).toMatchObject({
        name: '王*',
        phone: '137****5678',
        email: null,
        honorConsent: true,
        receiptPreference: 'annual',
        masked: true,
      });
      const full = (await get(`/donors/${donor.id}`).expect(200)).body;
      expect(full).toMatchObject({ name: '王五', phone: '13700005678', email: null });

      const update = (await auditOf(donor.id)).find((entry) => entry.action === 'donor.update');
      expect(update).toMatchObject({ actorId: manager.user.id });
      expect(update!.summary).toContain('phone');
      expect(update!.summary).toContain('email');
      expect(update!.summary).not.toContain('王五');
      expect(update!.summary).not.toContain('13700005678');

      await patch(`/donors/${donor.id}`, { name: '王五一' }, admin).expect(200);
      expect((await get(`/donors/${donor.id}`).expect(200)).body.name).toBe('王五一');
    });

    it('keeps the credit code to companies and organisations when the kind changes', async () => {
      const company = await t.given.donor({ creditCode: '91330000MA27U0WG6Q' });
      const toPerson = await patch(`/donors/${company.id}`, { kind: 'individual' });
      expectFieldError(toPerson, 'creditCode', 'onlyForOrganisations');
      const cleared = await patch(`/donors/${company.id}`, {
        kind: 'individual',
        creditCode: null,
      }).expect(200);
      expect(cleared.body).toMatchObject({ kind: 'individual', creditCode: null });
      // the freed code can be registered again
      await post('/donors', {
        kind: 'company',
        name: `接手公司${n()}`,
        creditCode: '91330000MA27U0WG6Q',
      }).expect(201);
    });

    it('refuses nulls for required fields, bad ids and unknown donors', async () => {
      const donor = await t.given.donor();
      expectFieldError(await patch(`/donors/${donor.id}`, { name: null }), 'name');
      expectFieldError(await patch(`/donors/${donor.id}`, { kind: null }), 'kind');
      expectFieldError(await patch(`/donors/${donor.id}`, { honorConsent: null }), 'honorConsent');
      expectError(
        await patch(`/donors/${donor.id}`, { creditCode: 'X' }),
        422,
        'INVALID_CREDIT_CODE',
      );
      expectError(await patch('/donors/999999', { name: '无人' }), 404, 'NOT_FOUND');
      expectError(await get('/donors/999999'), 404, 'NOT_FOUND');
      expectFieldError(await get('/donors/abc'), 'id');
    });
  });

  describe('who may do what', () => {
    it('lets clerks register but not change; auditors only read; strangers nothing', async () => {
      const donor = await t.given.donor({ kind: 'individual', name: '赵六', phone: mobile() });
      expectError(await patch(`/donors/${donor.id}`, { name: '赵七' }, clerk), 403, 'FORBIDDEN');
      expectError(await patch(`/donors/${donor.id}`, { name: '赵七' }, auditor), 403, 'FORBIDDEN');
      expectError(
        await post('/donors', { kind: 'individual', name: '钱八' }, auditor),
        403,
        'FORBIDDEN',
      );
      expectError(await get('/donors', null), 401, 'UNAUTHENTICATED');
      expectError(await get(`/donors/${donor.id}`, null), 401, 'UNAUTHENTICATED');
      expectError(
        await post('/donors', { kind: 'individual', name: '钱八' }, null),
        401,
        'UNAUTHENTICATED',
      );
      expectError(
        await patch(`/donors/${donor.id}`, { name: '赵七' }, null),
        401,
        'UNAUTHENTICATED',
      );
      expect((await get(`/donors/${donor.id}`).expect(200)).body.name).toBe('赵六');

      expect((await get(`/donors/${donor.id}`, auditor).expect(200)).body.name).toBe('赵*');
      await post('/donors', { kind: 'individual', name: '孙九' }, clerk).expect(201);
    });

    it('never shows a person’s full phone to anyone but a county admin', async () => {
      const phone = mobile();
      const donor = await post(
        '/donors',
        { kind: 'individual', name: '周全', phone, email: 'zhouquan@example.com' },
        clerk,
      ).expect(201);
      const id = (donor.body as DonorBody).id;
      const responses: Response[] = [donor];
      for (const as of [clerk, manager, auditor]) {
        responses.push(await get(`/donors/${id}`, as).expect(200));
        responses.push(await get('/donors', as).expect(200));
        responses.push(await get(`/donors?search=${phone}`, as).expect(200));
        responses.push(await get(`/donors?search=${phone.slice(-4)}`, as).expect(200));
        responses.push(await get(`/donors?search=${encodeURIComponent('周')}`, as).expect(200));
      }
      responses.push(await patch(`/donors/${id}`, { honorConsent: true }, manager).expect(200));
      responses.push(await get(`/audit-log?entityType=donor&entityId=${id}`, auditor).expect(200));
      for (const response of responses) {
        const text = JSON.stringify(response.body);
        expect(text).not.toContain(phone);
        expect(text).not.toContain('周全');
        expect(text).not.toContain('zhouquan@');
      }
      // the searches did find the donor, masked
      expect(responses[3].body.items).toEqual([expect.objectContaining({ id, name: '周*' })]);
      // and the admin sees it in full
      const full = await search(`search=${phone}`);
      expect(full).toEqual([expect.objectContaining({ id, name: '周全', phone })]);
    });
  });

  describe('finding donors', () => {
    it('finds by part of the name, the whole phone or its last four digits, and by kind', async () => {
      const tag = `搜${n()}`;
      const phone = mobile();
      const person = await t.given.donor({ kind: 'individual', name: `刘${tag}`, phone });
      const company = await t.given.donor({ kind: 'company', name: `${tag}食品厂` });
      const landline = await t.given.donor({
        kind: 'organization',
        name: `帮扶队${n()}`,
        phone: '0379-66123456',
      });

      const ids = (items: DonorBody[]) => items.map((item) => item.id).sort((a, b) => a - b);
      expect(ids(await search(`search=${encodeURIComponent(tag)}`))).toEqual(
        [person.id, company.id].sort((a, b) => a - b),
      );
      expect(ids(await search(`search=${encodeURIComponent(tag)}&kind=company`))).toEqual([
        company.id,
      ]);
      expect(ids(await search(`search=${phone}`, clerk))).toEqual([person.id]);
      expect(ids(await search(`search=${phone.slice(-4)}`, clerk))).toContain(person.id);
      expect(ids(await search(`search=${phone.slice(-4)}`, clerk))).not.toContain(company.id);
      // a landline with or without its dash, or by its last four digits
      expect(ids(await search('search=0379-66123456'))).toEqual([landline.id]);
      expect(ids(await search('search=037966123456'))).toEqual([landline.id]);
      expect(ids(await search('search=3456'))).toContain(landline.id);
      // part of a phone number other than its end finds nothing
      expect(ids(await search(`search=${phone.slice(0, 5)}`))).toEqual([]);
      // LIKE wildcards are taken literally
      expect(await search('search=%25')).toEqual([]);
    });

    it('pages the list, newest first, and validates the query', async () => {
      const first = await t.given.donor();
      const second = await t.given.donor();
      const page = (await get('/donors?page=1&pageSize=2').expect(200)).body;
      expect(page).toMatchObject({ page: 1, pageSize: 2, total: expect.any(Number) });
      expect(page.items.map((item: DonorBody) => item.id)).toEqual([second.id, first.id]);
      expectFieldError(await get('/donors?kind=alien'), 'kind');
      expectFieldError(await get('/donors?pageSize=500'), 'pageSize');
    });
  });
});
