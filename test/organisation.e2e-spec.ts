import type { Region, Store } from '@charity/organisation';
import type { SignedIn } from './support/given';
import { createTestApp, type TestApp } from './support/test-app';
import { expectError } from './support/errors';

let serial = 0;
const n = (): number => ++serial;

/**
 * The database is emptied once; every test builds its own county, so lists filtered by region
 * see only that test's rows and tests do not depend on each other.
 */
describe('organisation', () => {
  let t: TestApp;
  let admin: SignedIn;

  const get = (path: string) => t.http.get(`/api/v1${path}`).set('Authorization', admin.auth);
  const post = (path: string, body: object) =>
    t.http.post(`/api/v1${path}`).set('Authorization', admin.auth).send(body);
  const patch = (path: string, body: object, auth = admin.auth) =>
    t.http.patch(`/api/v1${path}`).set('Authorization', auth).send(body);

  const newRegion = async (level: Region['level'], parentId?: number): Promise<Region> =>
    (await post('/regions', { name: `${level}${n()}`, level, parentId }).expect(201)).body;
  const newStore = async (regionId: number, extra: object = {}): Promise<Store> => {
    const i = n();
    return (
      await post('/stores', { code: `O${i}`, name: `组织超市${i}`, regionId, ...extra }).expect(201)
    ).body;
  };
  const allRegionNames = async (): Promise<string[]> =>
    (await get('/regions').expect(200)).body.items.map((r: Region) => r.name);
  const storesIn = async (regionId: number, query = ''): Promise<Store[]> =>
    (await get(`/stores?regionId=${regionId}${query}`).expect(200)).body.items;

  beforeAll(async () => {
    t = await createTestApp();
    await t.reset();
    admin = await t.given.signedIn('county_admin');
  });
  afterAll(() => t.close());

  describe('regions', () => {
    it('builds county → township → village and lists each level under its parent', async () => {
      const county = await newRegion('county');
      const [east, west] = [
        await newRegion('township', county.id),
        await newRegion('township', county.id),
      ];
      const village = (
        await post('/regions', {
          name: '王庄村',
          level: 'village',
          parentId: east.id,
          code: '410523100201',
        }).expect(201)
      ).body;

      const townships = await get(`/regions?parentId=${county.id}`).expect(200);
      expect(townships.body.items.map((r: Region) => r.id)).toEqual([east.id, west.id]);
      const villages = await get(`/regions?level=village&parentId=${east.id}`).expect(200);
      expect(villages.body.items).toEqual([village]);
      const townshipsOnly = await get(`/regions?level=township&parentId=${east.id}`).expect(200);
      expect(townshipsOnly.body.items).toEqual([]);
      expect((await get(`/regions/${village.id}`).expect(200)).body).toEqual({
        id: village.id,
        name: '王庄村',
        level: 'village',
        parentId: east.id,
        code: '410523100201',
      });
    });

    describe('refuses a region whose parent is of the wrong level', () => {
      let tree: { county: Region; township: Region; village: Region };
      beforeAll(async () => {
        const county = await newRegion('county');
        const township = await newRegion('township', county.id);
        tree = { county, township, village: await newRegion('village', township.id) };
      });

      it.each([
        ['a county under a county', 'county', 'county'],
        ['a township without a parent', 'township', undefined],
        ['a township under a township', 'township', 'township'],
        ['a township under a village', 'township', 'village'],
        ['a village without a parent', 'village', undefined],
        ['a village under the county', 'village', 'county'],
        ['a village under a village', 'village', 'village'],
      ] as const)('%s → 422 INVALID_REGION_PARENT', async (_case, level, parent) => {
        const name = `错层${n()}`;
        const response = await post('/regions', {
          name,
          level,
          parentId: parent && tree[parent].id,
        });
        expectError(response, 422, 'INVALID_REGION_PARENT');
        expect(await allRegionNames()).not.toContain(name);
      });

      it('answers 404 NOT_FOUND for a parent that does not exist', async () => {
        const name = `无父${n()}`;
        const response = await post('/regions', { name, level: 'village', parentId: 987654 });
        expectError(response, 404, 'NOT_FOUND');
        expect(await allRegionNames()).not.toContain(name);
      });
    });

    it('refuses a second region of the same name under one parent, allows it under another', async () => {
      const county = await newRegion('county');
      const [east, west] = [
        await newRegion('township', county.id),
        await newRegion('township', county.id),
      ];
      await post('/regions', { name: '李庄村', level: 'village', parentId: east.id }).expect(201);

      const again = await post('/regions', { name: '李庄村', level: 'village', parentId: east.id });
      expectError(again, 409, 'DUPLICATE');
      expect(again.body.message).toContain('李庄村');
      await post('/regions', { name: '李庄村', level: 'village', parentId: west.id }).expect(201);
      const underEast = await get(`/regions?parentId=${east.id}`).expect(200);
      expect(underEast.body.items.filter((r: Region) => r.name === '李庄村')).toHaveLength(1);
    });

    it('refuses a second county of the same name', async () => {
      const name = `同名县${n()}`;
      await post('/regions', { name, level: 'county' }).expect(201);
      expectError(await post('/regions', { name, level: 'county' }), 409, 'DUPLICATE');
      expect((await allRegionNames()).filter((existing) => existing === name)).toHaveLength(1);
    });

    it('tells apart names that differ only in a rare (4-byte) character', async () => {
      const township = await newRegion('township', (await newRegion('county')).id);
      const first = await post('/regions', {
        name: '𠮷村',
        level: 'village',
        parentId: township.id,
      });
      const second = await post('/regions', {
        name: '𠂤村',
        level: 'village',
        parentId: township.id,
      });
      expect([first.status, second.status]).toEqual([201, 201]);
      const listed = await get(`/regions?parentId=${township.id}`).expect(200);
      expect(listed.body.items.map((r: Region) => r.name)).toEqual(['𠮷村', '𠂤村']);
    });

    it('answers 404 NOT_FOUND for a region that does not exist', async () => {
      expectError(await get('/regions/987654'), 404, 'NOT_FOUND');
    });
  });

  describe('stores', () => {
    it('creates stores in a township and a village and returns Chinese text unchanged', async () => {
      const township = await newRegion('township', (await newRegion('county')).id);
      const village = await newRegion('village', township.id);
      const body = {
        code: 'WZ01',
        name: '柳河镇王庄村爱心超市',
        regionId: village.id,
        address: '柳河镇王庄村𠮷家胡同 1 号（村委会东侧）',
        phone: '0391-7654321',
      };
      const created = await post('/stores', body).expect(201);
      expect(created.body).toEqual({
        id: expect.any(Number),
        ...body,
        active: true,
        createdAt: expect.any(String),
        updatedAt: expect.any(String),
      });
      const read = await get(`/stores/${created.body.id}`).expect(200);
      expect(read.body).toEqual(created.body);

      const inTownship = await post('/stores', {
        code: 'LH01',
        name: '𠮷家庄爱心超市',
        regionId: township.id,
      }).expect(201);
      expect(inTownship.body).toMatchObject({ name: '𠮷家庄爱心超市', address: null, phone: null });
      expect((await storesIn(township.id)).map((s) => s.name)).toEqual([
        '𠮷家庄爱心超市',
        '柳河镇王庄村爱心超市',
      ]);
    });

    it('refuses a store on the county itself or on a missing region, creating nothing', async () => {
      const county = await newRegion('county');
      const onCounty = await post('/stores', {
        code: `O${n()}`,
        name: `县直超市${n()}`,
        regionId: county.id,
      });
      expectError(onCounty, 422, 'INVALID_REGION_PARENT');
      const nowhere = await post('/stores', {
        code: `O${n()}`,
        name: `无区超市${n()}`,
        regionId: 987654,
      });
      expectError(nowhere, 404, 'NOT_FOUND');
      expect(await storesIn(county.id)).toEqual([]);
    });

    it('refuses a duplicate code or name with 409 DUPLICATE, creating nothing', async () => {
      const township = await newRegion('township', (await newRegion('county')).id);
      const existing = await newStore(township.id);
      const sameCode = await post('/stores', {
        code: existing.code,
        name: `新名${n()}`,
        regionId: township.id,
      });
      expectError(sameCode, 409, 'DUPLICATE');
      const sameName = await post('/stores', {
        code: `O${n()}`,
        name: existing.name,
        regionId: township.id,
      });
      expectError(sameName, 409, 'DUPLICATE');
      expect(await storesIn(township.id)).toEqual([existing]);
    });

    it('filters by region: a township includes its villages, a county everything below it', async () => {
      const county = await newRegion('county');
      const east = await newRegion('township', county.id);
      const eastVillage = await newRegion('village', east.id);
      const west = await newRegion('township', county.id);
      const inEast = await newStore(east.id);
      const inEastVillage = await newStore(eastVillage.id);
      const inWest = await newStore(west.id);
      const elsewhere = await newStore(
        (await newRegion('township', (await newRegion('county')).id)).id,
      );

      const ids = async (regionId: number) => (await storesIn(regionId)).map((s) => s.id);
      expect(await ids(east.id)).toEqual([inEast.id, inEastVillage.id]);
      expect(await ids(eastVillage.id)).toEqual([inEastVillage.id]);
      expect(await ids(west.id)).toEqual([inWest.id]);
      expect(await ids(county.id)).toEqual([inEast.id, inEastVillage.id, inWest.id]);
      expect(await ids(county.id)).not.toContain(elsewhere.id);
    });

    it('filters by active after a store is closed', async () => {
      const township = await newRegion('township', (await newRegion('county')).id);
      const [open, closed] = [await newStore(township.id), await newStore(township.id)];
      await patch(`/stores/${closed.id}`, { active: false }).expect(200);

      expect((await storesIn(township.id, '&active=false')).map((s) => s.id)).toEqual([closed.id]);
      expect((await storesIn(township.id, '&active=true')).map((s) => s.id)).toEqual([open.id]);
      expect(await storesIn(township.id)).toHaveLength(2);
    });

    it('pages through a list with the same total on every page', async () => {
      const township = await newRegion('township', (await newRegion('county')).id);
      const created: Store[] = [];
      for (let i = 0; i < 5; i++) created.push(await newStore(township.id));
      const codes = created.map((s) => s.code).sort();

      const pages = [];
      for (const page of [1, 2, 3, 4]) {
        const response = await get(
          `/stores?regionId=${township.id}&page=${page}&pageSize=2`,
        ).expect(200);
        expect(response.body).toMatchObject({ total: 5, page, pageSize: 2 });
        pages.push(response.body.items.map((s: Store) => s.code));
      }
      expect(pages).toEqual([codes.slice(0, 2), codes.slice(2, 4), codes.slice(4), []]);
    });

    it('lets the county admin change any field; the answer and a later read agree', async () => {
      const county = await newRegion('county');
      const township = await newRegion('township', county.id);
      const village = await newRegion('village', township.id);
      const store = await newStore(township.id, { address: '旧地址' });

      const changed = await patch(`/stores/${store.id}`, {
        name: `改名超市${n()}`,
        phone: '0391-1112222',
        regionId: village.id,
      }).expect(200);
      expect(changed.body).toEqual({
        ...store,
        name: expect.stringMatching(/^改名超市/),
        phone: '0391-1112222',
        regionId: village.id,
        updatedAt: expect.any(String),
      });
      expect((await get(`/stores/${store.id}`).expect(200)).body).toEqual(changed.body);

      const onCounty = await patch(`/stores/${store.id}`, { regionId: county.id });
      expectError(onCounty, 422, 'INVALID_REGION_PARENT');
      const other = await newStore(township.id);
      expectError(await patch(`/stores/${store.id}`, { code: other.code }), 409, 'DUPLICATE');
      expect((await get(`/stores/${store.id}`).expect(200)).body).toEqual(changed.body);
    });

    it('lets a store manager change only the address and phone of their own store', async () => {
      const township = await newRegion('township', (await newRegion('county')).id);
      const store = await newStore(township.id);
      const manager = await t.given.signedIn('store_manager', store.id);

      const edited = await patch(
        `/stores/${store.id}`,
        { address: '柳河镇中心街 8 号', phone: '0391-3334444' },
        manager.auth,
      ).expect(200);
      expect(edited.body).toMatchObject({
        code: store.code,
        name: store.name,
        address: '柳河镇中心街 8 号',
        phone: '0391-3334444',
      });

      const rename = await patch(`/stores/${store.id}`, { name: '店长改名' }, manager.auth);
      expectError(rename, 403, 'FORBIDDEN');
      expect(rename.body.details).toEqual({ fields: ['name'] });
      const close = await patch(`/stores/${store.id}`, { active: false }, manager.auth);
      expectError(close, 403, 'FORBIDDEN');
      expect((await get(`/stores/${store.id}`).expect(200)).body).toEqual(edited.body);

      const cleared = await patch(`/stores/${store.id}`, { address: null }, manager.auth).expect(
        200,
      );
      expect(cleared.body).toMatchObject({
        name: store.name,
        address: null,
        phone: '0391-3334444',
      });
    });

    it('answers 404 NOT_FOUND for a store that does not exist', async () => {
      expectError(await get('/stores/987654'), 404, 'NOT_FOUND');
      expectError(await patch('/stores/987654', { phone: '0391-1234567' }), 404, 'NOT_FOUND');
    });

    it('names every open store of the same county to store staff, and every county to its admin', async () => {
      const county = await newRegion('county');
      const township = await newRegion('township', county.id);
      const village = await newRegion('village', township.id);
      const otherTownship = await newRegion('township', county.id);
      const own = await newStore(township.id);
      const inVillage = await newStore(village.id);
      const elsewhere = await newStore(otherTownship.id);
      const closed = await newStore(otherTownship.id);
      await patch(`/stores/${closed.id}`, { active: false }).expect(200);
      const otherCounty = await newRegion('county');
      const foreign = await newStore((await newRegion('township', otherCounty.id)).id);

      const ids = (body: { items: { id: number }[] }) => body.items.map((store) => store.id);
      // a clerk in a village store sees the township's and the other township's, not the closed
      // one nor another county's
      const clerk = await t.given.signedIn('clerk', inVillage.id);
      const forClerk = await t.http
        .get('/api/v1/stores/directory')
        .set('Authorization', clerk.auth)
        .expect(200);
      expect(ids(forClerk.body).sort((a, b) => a - b)).toEqual([
        own.id,
        inVillage.id,
        elsewhere.id,
      ]);
      expect(forClerk.body.items[0]).toEqual({
        id: own.id,
        code: own.code,
        name: own.name,
        regionId: township.id,
      });

      const forAdmin = ids((await get('/stores/directory').expect(200)).body);
      expect(forAdmin).toEqual(
        expect.arrayContaining([own.id, inVillage.id, elsewhere.id, foreign.id]),
      );
      expect(forAdmin).not.toContain(closed.id);
    });
  });
});
