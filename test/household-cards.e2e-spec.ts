import { SYSTEM_ACTOR } from '@charity/common';
import { HouseholdsService, type CardNameDisplay, type Household } from '@charity/households';
import type { Region, Store } from '@charity/organisation';
import type { Response } from 'supertest';
import { expectError } from './support/errors';
import { getBytes, pageCount, pdfOf as pdfOfAnswer, pdfText } from './support/pdf';
import type { SignedIn } from './support/given';
import { createTestApp, type TestApp } from './support/test-app';

describe('household cards', () => {
  let t: TestApp;
  let admin: SignedIn;
  let auditor: SignedIn;
  let clerkA: SignedIn;
  let managerA: SignedIn;
  let managerB: SignedIn;
  let storeA: Store;
  let storeB: Store;
  let township: Region;
  let east: Region;
  let west: Region;
  let elsewhere: Region;
  let wang: Household & { idNumber: string };
  let li: Household & { idNumber: string };
  let suspended: Household & { idNumber: string };
  let ofStoreB: Household & { idNumber: string };
  let originalDisplay: CardNameDisplay;

  const setNameDisplay = async (cardNameDisplay: CardNameDisplay) =>
    t.http
      .put('/api/v1/points/policy')
      .set('Authorization', admin.auth)
      .send({ cardNameDisplay })
      .expect(200);

  const get = (url: string, user: SignedIn) => getBytes(t.http, url, user.auth);

  const pdfOf = (response: Response): Buffer => {
    expect(response.headers['cache-control']).toBe('no-store');
    return pdfOfAnswer(response);
  };

  beforeAll(async () => {
    t = await createTestApp();
    admin = await t.given.signedIn('county_admin');
    auditor = await t.given.signedIn('auditor');
    township = await t.given.region('township');
    east = await t.given.region('village', township.id);
    west = await t.given.region('village', township.id);
    elsewhere = await t.given.region('village');
    storeA = await t.given.store({ regionId: township.id });
    storeB = await t.given.store();
    clerkA = await t.given.signedIn('clerk', storeA.id);
    managerA = await t.given.signedIn('store_manager', storeA.id);
    managerB = await t.given.signedIn('store_manager', storeB.id);

    wang = await t.given.household({
      homeStoreId: storeA.id,
      regionId: east.id,
      headName: '王秀英',
      category: 'wubao',
    });
    li = await t.given.household({ homeStoreId: storeA.id, regionId: west.id, headName: '李建国' });
    suspended = await t.given.household({
      homeStoreId: storeA.id,
      regionId: east.id,
      headName: '欧阳小明',
    });
    await t.app.get(HouseholdsService).update(SYSTEM_ACTOR, suspended.id, {
      status: 'suspended',
      statusReason: '外出务工',
    });
    ofStoreB = await t.given.household({
      homeStoreId: storeB.id,
      regionId: elsewhere.id,
      headName: '赵德才',
    });

    const policy = await t.http.get('/api/v1/points/policy').set('Authorization', admin.auth);
    originalDisplay = (policy.body as { cardNameDisplay: CardNameDisplay }).cardNameDisplay;
    await setNameDisplay('masked');
  });

  afterAll(async () => {
    await setNameDisplay(originalDisplay);
    await t.close();
  });

  describe('one card', () => {
    it('prints a card-size PDF with the number, masked name, village and store, no ID number', async () => {
      const pdf = pdfOf(await get(`/api/v1/households/${wang.id}/card.pdf`, clerkA));
      expect(pageCount(pdf)).toBe(1);
      expect(pdf.toString('latin1')).toMatch(/\/MediaBox \[0 0 242\.64\d* 153\.07\d*\]/); // 85.6 × 54 mm
      const text = pdfText(pdf);
      for (const expected of [
        '爱心超市积分卡',
        t.config.unionName,
        wang.cardNo,
        '王**',
        `${township.name} ${east.name}`,
        storeA.name,
        '五保',
      ]) {
        expect(text).toContain(expected);
      }
      expect(text).not.toContain('王秀英');
      expect(text).not.toContain(wang.idNumber);
    });

    it('is readable by every role that may read the household, and only by them', async () => {
      for (const user of [admin, auditor, managerA]) {
        pdfOf(await get(`/api/v1/households/${wang.id}/card.pdf`, user));
      }
      expectError(await get(`/api/v1/households/${wang.id}/card.pdf`, managerB), 403, 'FORBIDDEN');
      await t.http.get(`/api/v1/households/${wang.id}/card.pdf`).expect(401);
    });

    it('answers 404 for an unknown household and 400 for an id that is not one', async () => {
      expectError(await get('/api/v1/households/4000000000/card.pdf', admin), 404, 'NOT_FOUND');
      for (const bad of ['abc', '0', '1e3', '-5']) {
        expectError(
          await get(`/api/v1/households/${bad}/card.pdf`, admin),
          400,
          'VALIDATION_FAILED',
        );
      }
    });

    it("prints the head's full name only while the policy says so", async () => {
      try {
        await setNameDisplay('full');
        const full = pdfText(pdfOf(await get(`/api/v1/households/${wang.id}/card.pdf`, clerkA)));
        expect(full).toContain('王秀英');
        expect(full).not.toContain(wang.idNumber);
        const sheet = pdfText(
          pdfOf(await get(`/api/v1/households/cards.pdf?storeId=${storeA.id}`, managerA)),
        );
        expect(sheet).toContain('王秀英');
        expect(sheet).toContain('李建国');
      } finally {
        await setNameDisplay('masked');
      }
      const masked = pdfText(pdfOf(await get(`/api/v1/households/${wang.id}/card.pdf`, clerkA)));
      expect(masked).toContain('王**');
      expect(masked).not.toContain('王秀英');
    });
  });

  describe('a sheet of cards', () => {
    it("prints every active household of a store, and a store role's own store by default", async () => {
      for (const url of [
        `/api/v1/households/cards.pdf?storeId=${storeA.id}`,
        '/api/v1/households/cards.pdf',
      ]) {
        const pdf = pdfOf(await get(url, managerA));
        expect(pageCount(pdf)).toBe(1);
        expect(pdf.toString('latin1')).toMatch(/\/MediaBox \[0 0 595\.2\d* 841\.8\d*\]/); // A4
        const text = pdfText(pdf);
        expect(text).toContain(wang.cardNo);
        expect(text).toContain(li.cardNo);
        expect(text).toContain('王**');
        expect(text).toContain('李**');
        expect(text).not.toContain(suspended.cardNo); // not active
        expect(text).not.toContain(ofStoreB.cardNo);
        for (const household of [wang, li]) expect(text).not.toContain(household.idNumber);
      }
    });

    it("refuses another store's households to a store role", async () => {
      expectError(
        await get(`/api/v1/households/cards.pdf?storeId=${storeA.id}`, managerB),
        403,
        'FORBIDDEN',
      );
      expectError(
        await get(`/api/v1/households/cards.pdf?ids=${ofStoreB.id}`, managerA),
        403,
        'FORBIDDEN',
      );
    });

    it('narrows to a village, or a township with its villages', async () => {
      const village = pdfText(
        pdfOf(await get(`/api/v1/households/cards.pdf?regionId=${east.id}`, admin)),
      );
      expect(village).toContain(wang.cardNo);
      expect(village).not.toContain(li.cardNo);

      const whole = pdfText(
        pdfOf(
          await get(
            `/api/v1/households/cards.pdf?storeId=${storeA.id}&regionId=${township.id}`,
            auditor,
          ),
        ),
      );
      expect(whole).toContain(wang.cardNo);
      expect(whole).toContain(li.cardNo);
      expect(whole).not.toContain(ofStoreB.cardNo);
    });

    it('prints listed households in the order given, whatever their status', async () => {
      const text = pdfText(
        pdfOf(
          await get(
            `/api/v1/households/cards.pdf?ids=${suspended.id},${wang.id},${suspended.id}`,
            clerkA,
          ),
        ),
      );
      expect(text).toContain(suspended.cardNo);
      expect(text.indexOf(suspended.cardNo)).toBeLessThan(text.indexOf(wang.cardNo));
      expect(text.split(suspended.cardNo)).toHaveLength(2); // a repeated id prints once
      expect(text).not.toContain(li.cardNo);
    });

    it('answers with a clear 4xx instead of an empty or oversized PDF', async () => {
      const none = await get(
        `/api/v1/households/cards.pdf?storeId=${storeA.id}&regionId=${elsewhere.id}`,
        admin,
      );
      expectError(none, 404, 'NOT_FOUND');
      expect(none.body.message).toContain('没有符合条件');

      expectError(
        await get(`/api/v1/households/cards.pdf?ids=${wang.id},4000000000`, admin),
        404,
        'NOT_FOUND',
      );
      expectError(
        await get('/api/v1/households/cards.pdf?regionId=4000000000', admin),
        404,
        'NOT_FOUND',
      );
      for (const query of [
        'ids=abc',
        'ids=1,,2',
        'ids=',
        'ids=1.5',
        'storeId=x',
        'regionId=0',
        'page=2',
      ]) {
        expectError(
          await get(`/api/v1/households/cards.pdf?${query}`, admin),
          400,
          'VALIDATION_FAILED',
        );
      }
      const tooMany = Array.from({ length: 2001 }, (_, i) => i + 1).join(',');
      const capped = await get(`/api/v1/households/cards.pdf?ids=${tooMany}`, admin);
      expectError(capped, 400, 'VALIDATION_FAILED');
      expect(JSON.stringify(capped.body.details)).toContain('ids');
    });
  });
});
