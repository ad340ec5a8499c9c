import { findPointsLedgerMismatches } from '@charity/households';
import type { Region, Store } from '@charity/organisation';
import type { Response } from 'supertest';
import { expectError } from './support/errors';
import type { SignedIn } from './support/given';
import { createTestApp, type TestApp } from './support/test-app';

interface HouseholdBody {
  id: number;
  cardNo: string;
  headName: string;
  idNumberMasked: string;
  category: string;
  memberCount: number;
  regionId: number;
  regionName: string | null;
  homeStoreId: number;
  phoneMasked: string | null;
  address: string | null;
  status: string;
  exitedOn: string | null;
  balance: number;
}

describe('households registry', () => {
  let t: TestApp;
  let admin: SignedIn;
  let auditor: SignedIn;
  let storeA: Store;
  let storeB: Store;
  let managerA: SignedIn;
  let clerkA: SignedIn;
  let managerB: SignedIn;
  let village: Region;
  /** Every full ID number and phone this suite registers. */
  const secrets = new Set<string>();
  /** Every response body, except the admin reveal, to prove nothing leaks. */
  const seen: string[] = [];

  const record = (response: Response): Response => {
    seen.push(response.text ?? '', JSON.stringify(response.body ?? null));
    return response;
  };
  const get = async (path: string, as: SignedIn = admin) =>
    record(await t.http.get(`/api/v1${path}`).set('Authorization', as.auth));
  const post = async (path: string, body: object, as: SignedIn = admin) =>
    record(await t.http.post(`/api/v1${path}`).set('Authorization', as.auth).send(body));
  const patch = async (path: string, body: object, as: SignedIn = admin) =>
    record(await t.http.patch(`/api/v1${path}`).set('Authorization', as.auth).send(body));

  const newHousehold = (overrides: Record<string, unknown> = {}) => {
    const idNumber = t.given.idNumber();
    secrets.add(idNumber);
    return {
      headName: '王秀英',
      idNumber,
      category: 'wubao',
      memberCount: 1,
      regionId: village.id,
      homeStoreId: storeA.id,
      phone: null as string | null,
      ...overrides,
    };
  };
  const register = async (
    overrides: Record<string, unknown> = {},
    as: SignedIn = admin,
  ): Promise<HouseholdBody> => {
    const response = await post('/households', newHousehold(overrides), as);
    expect(response.status).toBe(201);
    return response.body as HouseholdBody;
  };
  const search = async (term: string, as: SignedIn = admin): Promise<HouseholdBody[]> =>
    (await get(`/households?search=${encodeURIComponent(term)}&pageSize=200`, as)).body.items;

  beforeAll(async () => {
    t = await createTestApp();
    const township = await t.given.region('township');
    village = await t.given.region('village', township.id);
    storeA = await t.given.store({ regionId: township.id });
    storeB = await t.given.store({ regionId: township.id });
    [admin, auditor, managerA, clerkA, managerB] = await Promise.all([
      t.given.signedIn('county_admin'),
      t.given.signedIn('auditor'),
      t.given.signedIn('store_manager', storeA.id),
      t.given.signedIn('clerk', storeA.id),
      t.given.signedIn('store_manager', storeB.id),
    ]);
  });

  afterAll(() => t.close());

  describe('registering', () => {
    it('assigns a card number and shows the ID number and phone only masked', async () => {
      const phone = '13912345678';
      secrets.add(phone);
      const body = newHousehold({ phone, address: '幸福村3组12号', memberCount: 3 });
      const response = await post('/households', body);
      expect(response.status).toBe(201);
      const idNumber = body.idNumber;
      expect(response.body).toEqual(
        expect.objectContaining({
          headName: '王秀英',
          idNumberMasked: `${idNumber.slice(0, 6)}********${idNumber.slice(-4)}`,
          phoneMasked: '139****5678',
          category: 'wubao',
          memberCount: 3,
          regionId: village.id,
          regionName: village.name,
          homeStoreId: storeA.id,
          address: '幸福村3组12号',
          status: 'active',
          balance: 0,
        }),
      );
      expect(response.body.cardNo).toMatch(/^H\d{10}$/);
      // the card number says nothing about the ID number
      expect(idNumber).not.toContain(response.body.cardNo.slice(1, 7));
      expect(response.body).not.toHaveProperty('idNumber');
      expect(response.body).not.toHaveProperty('phone');

      const stored = await t.dataSource.query<{ cipher: string; phone: string }[]>(
        'SELECT id_number_cipher AS cipher, phone_cipher AS phone FROM households WHERE id = ?',
        [response.body.id],
      );
      expect(stored[0]?.cipher).not.toContain(idNumber.slice(6, 14));
      expect(stored[0]?.phone).not.toContain('12345678');
    });

    it('gives every household its own card number', async () => {
      const cards = await Promise.all(Array.from({ length: 12 }, () => register()));
      expect(new Set(cards.map((c) => c.cardNo)).size).toBe(12);
    });

    it('refuses an ID number registered before, however its check letter is written', async () => {
      const idNumber = t.given.idNumber();
      secrets.add(idNumber);
      const first = await register({ idNumber });
      const again = await post('/households', newHousehold({ idNumber: ` ${idNumber} ` }));
      expectError(again, 409, 'DUPLICATE_HOUSEHOLD');
      expect(again.body.details).toEqual({ householdId: first.id, cardNo: first.cardNo });

      // an X check character typed in lower case is the same person
      let withX = t.given.idNumber();
      while (!withX.endsWith('X')) withX = t.given.idNumber();
      secrets.add(withX);
      await register({ idNumber: withX });
      expectError(
        await post('/households', newHousehold({ idNumber: withX.toLowerCase() })),
        409,
        'DUPLICATE_HOUSEHOLD',
      );
    });

    it('lets only one of two simultaneous registrations of one person through', async () => {
      const idNumber = t.given.idNumber();
      secrets.add(idNumber);
      const body = newHousehold({ idNumber });
      const responses = await Promise.all([
        post('/households', body),
        post('/households', body),
        post('/households', body),
      ]);
      expect(responses.map((r) => r.status).sort()).toEqual([201, 409, 409]);
      expect((await search(idNumber)).length).toBe(1);
    });

    it('names the field when the ID number or another field is wrong', async () => {
      const valid = t.given.idNumber();
      const wrongCheck = valid.slice(0, 17) + (valid[17] === '1' ? '2' : '1');
      secrets.add(wrongCheck);
      for (const idNumber of [wrongCheck, '41042319800101123', '410423199913451234', 'abc']) {
        const response = await post('/households', newHousehold({ idNumber }));
        expectError(response, 400, 'VALIDATION_FAILED');
        expect(response.body.details.fields[0].field).toBe('idNumber');
      }
      const badFields: [Record<string, unknown>, string][] = [
        [{ category: 'rich' }, 'category'],
        [{ memberCount: 0 }, 'memberCount'],
        [{ memberCount: 1.5 }, 'memberCount'],
        [{ phone: '12345' }, 'phone'],
        [{ headName: '   ' }, 'headName'],
        [{ regionId: 'x' }, 'regionId'],
      ];
      for (const [overrides, field] of badFields) {
        const response = await post('/households', newHousehold(overrides));
        expectError(response, 400, 'VALIDATION_FAILED');
        expect(response.body.message).toContain(field);
      }
      expectError(await post('/households', newHousehold({ regionId: 999_999 })), 404, 'NOT_FOUND');
      const county = await t.given.region('county');
      expectError(
        await post('/households', newHousehold({ regionId: county.id })),
        400,
        'VALIDATION_FAILED',
      );
    });

    it('lets a manager register for their own store only, and a clerk not at all', async () => {
      await register({ homeStoreId: storeA.id }, managerA);
      expectError(
        await post('/households', newHousehold({ homeStoreId: storeB.id }), managerA),
        403,
        'FORBIDDEN',
      );
      expectError(await post('/households', newHousehold(), clerkA), 403, 'FORBIDDEN');
      expectError(await post('/households', newHousehold(), auditor), 403, 'FORBIDDEN');
    });

    it("lets a manager place households only in their store's township and its villages", async () => {
      const township = village.parentId as number;
      const otherTownship = await t.given.region('township');
      const otherVillage = await t.given.region('village', otherTownship.id);
      const countOf = async () =>
        Number(
          (await t.dataSource.query<{ n: string }[]>('SELECT COUNT(*) AS n FROM households'))[0]?.n,
        );

      const placed = await register({ regionId: township }, managerA);
      expect(placed.regionId).toBe(township);
      const before = await countOf();
      for (const regionId of [otherTownship.id, otherVillage.id]) {
        const refused = await post('/households', newHousehold({ regionId }), managerA);
        expectError(refused, 403, 'FORBIDDEN');
        expect(refused.body.message).toContain('不在');
      }
      expect(await countOf()).toBe(before);

      // moving one: the same rule; a county admin places anywhere
      expectError(
        await patch(`/households/${placed.id}`, { regionId: otherVillage.id }, managerA),
        403,
        'FORBIDDEN',
      );
      expect((await get(`/households/${placed.id}`)).body.regionId).toBe(township);
      const moved = await patch(`/households/${placed.id}`, { regionId: village.id }, managerA);
      expect(moved.body.regionId).toBe(village.id);
      expect((await register({ regionId: otherVillage.id })).regionId).toBe(otherVillage.id);
    });

    it('lets the manager of a village store place households only in that village', async () => {
      const township = village.parentId as number;
      const ownVillage = await t.given.region('village', township);
      const villageStore = await t.given.store({ regionId: ownVillage.id });
      const manager = await t.given.signedIn('store_manager', villageStore.id);
      const placed = await register(
        { regionId: ownVillage.id, homeStoreId: villageStore.id },
        manager,
      );
      expect(placed.regionId).toBe(ownVillage.id);
      for (const regionId of [village.id, township]) {
        expectError(
          await post(
            '/households',
            newHousehold({ regionId, homeStoreId: villageStore.id }),
            manager,
          ),
          403,
          'FORBIDDEN',
        );
      }
    });
  });

  describe('finding', () => {
    let target: HouseholdBody;
    let idNumber: string;
    const phone = '13700001234';

    beforeAll(async () => {
      const body = newHousehold({ headName: '欧阳翠花', phone });
      secrets.add(phone);
      idNumber = body.idNumber;
      target = (await post('/households', body)).body as HouseholdBody;
    });

    it('finds a household by name, card number, ID number, phone or the last four of either', async () => {
      const ids = async (term: string) => (await search(term)).map((h) => h.id);
      expect(await ids('欧阳')).toContain(target.id);
      expect(await ids(target.cardNo)).toEqual([target.id]);
      expect(await ids(target.cardNo.toLowerCase())).toEqual([target.id]);
      expect(await ids(idNumber)).toEqual([target.id]);
      expect(await ids(idNumber.slice(-4))).toContain(target.id);
      expect(await ids(phone)).toEqual([target.id]);
      expect(await ids('1234')).toContain(target.id);
      expect(await ids('查无此人')).toEqual([]);
    });

    it('looks a card up county-wide for the till, as typed or scanned', async () => {
      const response = await get(`/households/card/${target.cardNo.toLowerCase()}`, managerB);
      expect(response.status).toBe(200);
      expect(response.body).toEqual(expect.objectContaining({ id: target.id, balance: 0 }));
      const unknown = await get('/households/card/H0000000000', clerkA);
      expectError(unknown, 404, 'CARD_NOT_FOUND');
      expect(unknown.body.message).toContain('H0000000000');
      expectError(await get('/households/card/not-a-card', clerkA), 404, 'CARD_NOT_FOUND');
    });

    it("limits store staff to their own store's households", async () => {
      const other = await register({ homeStoreId: storeB.id });
      expect((await search(other.cardNo, managerA)).length).toBe(0);
      expect((await search(other.cardNo, managerB)).length).toBe(1);
      expectError(await get(`/households/${other.id}`, clerkA), 403, 'FORBIDDEN');
      expect((await get(`/households/${other.id}`, auditor)).status).toBe(200);
      const listed = (await get('/households?pageSize=200', managerA)).body
        .items as HouseholdBody[];
      expect(listed.length).toBeGreaterThan(0);
      expect(listed.every((h) => h.homeStoreId === storeA.id)).toBe(true);
    });

    it('filters by category, status and region', async () => {
      const dibao = await register({ category: 'dibao' });
      const items = (await get(`/households?category=dibao&regionId=${village.id}&pageSize=200`))
        .body.items as HouseholdBody[];
      expect(items.map((h) => h.id)).toContain(dibao.id);
      expect(items.every((h) => h.category === 'dibao')).toBe(true);
      // a township lists its villages' households
      const township = (await get(`/households?regionId=${village.parentId}&pageSize=1`)).body;
      expect(township.total).toBeGreaterThan(1);
      expectError(await get('/households?category=rich'), 400, 'VALIDATION_FAILED');
      expectError(await get('/households?pageSize=500'), 400, 'VALIDATION_FAILED');
    });
  });

  describe('the full ID number', () => {
    it('is shown to a county admin who asks, and the asking is logged', async () => {
      const body = newHousehold();
      const created = (await post('/households', body)).body as HouseholdBody;
      // deliberately not recorded: this is the one response allowed to carry it
      const reveal = await t.http
        .get(`/api/v1/households/${created.id}/id-number`)
        .set('Authorization', admin.auth);
      expect(reveal.status).toBe(200);
      expect(reveal.body).toEqual({ id: created.id, idNumber: body.idNumber, phone: null });

      const log = await get(
        `/audit-log?action=household.reveal&entityId=${created.id}&entityType=household`,
      );
      expect(log.body.items).toHaveLength(1);
      expect(log.body.items[0]).toEqual(
        expect.objectContaining({ actorUsername: admin.user.username }),
      );

      for (const who of [managerA, clerkA, auditor]) {
        expectError(await get(`/households/${created.id}/id-number`, who), 403, 'FORBIDDEN');
      }
    });
  });

  describe('changing', () => {
    it('edits, and moves a household between stores only for a county admin', async () => {
      const household = await register();
      const edited = await patch(
        `/households/${household.id}`,
        { memberCount: 4, phone: '13800002222', address: null },
        managerA,
      );
      secrets.add('13800002222');
      expect(edited.status).toBe(200);
      expect(edited.body).toEqual(
        expect.objectContaining({ memberCount: 4, phoneMasked: '138****2222', address: null }),
      );
      expect((await search('13800002222')).map((h) => h.id)).toEqual([household.id]);
      expectError(
        await patch(`/households/${household.id}`, { homeStoreId: storeB.id }, managerA),
        403,
        'FORBIDDEN',
      );
      const moved = await patch(`/households/${household.id}`, { homeStoreId: storeB.id });
      expect(moved.body.homeStoreId).toBe(storeB.id);
      expectError(
        await patch(`/households/${household.id}`, { memberCount: 2 }, managerA),
        403,
        'FORBIDDEN',
      );
      expectError(
        await patch(`/households/${household.id}`, { headName: null }),
        400,
        'VALIDATION_FAILED',
      );
    });

    it('refuses an ID number change to one registered for another household', async () => {
      const a = await register();
      const bBody = newHousehold();
      await post('/households', bBody);
      expectError(
        await patch(`/households/${a.id}`, { idNumber: bBody.idNumber }),
        409,
        'DUPLICATE_HOUSEHOLD',
      );
    });

    it('keeps an exited household with its history, and it can no longer earn', async () => {
      const household = await register();
      const rule = await t.given.pointRule({ points: 5 });
      expect(
        (await post(`/households/${household.id}/points`, { ruleCode: rule.code })).status,
      ).toBe(201);
      const exited = await patch(`/households/${household.id}`, {
        status: 'exited',
        statusReason: '2026年脱贫',
      });
      expect(exited.body).toEqual(
        expect.objectContaining({ status: 'exited', statusReason: '2026年脱贫', balance: 5 }),
      );
      expect(exited.body.exitedOn).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      const refused = await post(`/households/${household.id}/points`, { ruleCode: rule.code });
      expectError(refused, 409, 'HOUSEHOLD_INACTIVE');
      expect(refused.body.message).toContain('已脱贫');
      const statement = await get(`/households/${household.id}/points`);
      expect(statement.body.entries.total).toBe(1);

      const suspended = await register();
      await patch(`/households/${suspended.id}`, { status: 'suspended' });
      expectError(
        await post(`/households/${suspended.id}/points`, { points: 5, reason: '补发' }),
        409,
        'HOUSEHOLD_INACTIVE',
      );
    });
  });

  it('keeps the points ledger and its caches equal', async () => {
    expect(await findPointsLedgerMismatches(t.dataSource.manager)).toEqual([]);
  });

  // declared last, so it runs after every other test of the suite
  it('showed no full ID number or phone in any response but the admin reveal', () => {
    const everything = seen.join('\n');
    expect(secrets.size).toBeGreaterThan(20);
    expect(everything).toContain('********');
    const leaked = [...secrets].filter((secret) => everything.includes(secret));
    expect(leaked).toEqual([]);
  });
});
