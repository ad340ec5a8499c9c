import type { Region, Store } from '@charity/organisation';
import type { DonorImpact } from '@charity/reports';
import { randomUUID } from 'node:crypto';
import type { SignedIn } from './support/given';
import { createTestApp, type TestApp } from './support/test-app';

describe('donor impact follows goods through transfers', () => {
  let t: TestApp;
  let admin: SignedIn;

  beforeAll(async () => {
    t = await createTestApp();
    await t.reset();
    admin = await t.given.signedIn('county_admin');
  });
  afterAll(() => t.close());

  const township = (): Promise<Region> => t.given.region('township');

  const transfer = async (from: Store, to: Store, productId: number, quantity: number) => {
    const sender = await t.given.signedIn('store_manager', from.id);
    const receiver = await t.given.signedIn('store_manager', to.id);
    const sent = await t.http
      .post('/api/v1/transfers')
      .set('Authorization', sender.auth)
      .send({ fromStoreId: from.id, toStoreId: to.id, lines: [{ productId, quantity }] });
    expect(sent.status).toBe(201);
    const received = await t.http
      .post(`/api/v1/transfers/${(sent.body as { id: number }).id}/receive`)
      .set('Authorization', receiver.auth);
    expect(received.status).toBe(200);
  };

  const checkout = async (store: Store, productId: number): Promise<void> => {
    const clerk = await t.given.signedIn('clerk', store.id);
    const household = await t.given.household({ homeStoreId: store.id, points: 100 });
    const sold = await t.http
      .post('/api/v1/redemptions')
      .set('Authorization', clerk.auth)
      .set('Idempotency-Key', randomUUID())
      .send({ storeId: store.id, cardNo: household.cardNo, lines: [{ productId, quantity: 1 }] });
    expect(sold.status).toBe(201);
  };

  it('counts households reached after the goods moved on to other stores, hop after hop', async () => {
    const [first, second, third] = [await township(), await township(), await township()];
    const storeA = await t.given.store({ regionId: first.id });
    const storeB = await t.given.store({ regionId: second.id });
    const storeC = await t.given.store({ regionId: third.id });
    const rice = await t.given.product({ name: '大米 5kg', pointPrice: 30, unitValueFen: 3000 });
    const donor = await t.given.donor({ kind: 'company', name: '调拨追踪爱心企业' });
    const clerkA = await t.given.signedIn('clerk', storeA.id);
    const donated = await t.http
      .post('/api/v1/donations')
      .set('Authorization', clerkA.auth)
      .send({
        storeId: storeA.id,
        donorId: donor.id,
        lines: [{ productId: rice.id, quantity: 10, expiryDate: t.given.date(30) }],
      });
    expect(donated.status).toBe(201);
    // other goods, expiring later: first-expiry-first-out sends and sells the donor's first
    await t.given.lot(storeB.id, rice.id, 5, t.given.date(60));
    await t.given.lot(storeC.id, rice.id, 5, t.given.date(60));

    await transfer(storeA, storeB, rice.id, 4);
    await transfer(storeB, storeC, rice.id, 2);
    await checkout(storeA, rice.id);
    // the first two at C take the donor's goods (two hops away), the third the other lot's
    await checkout(storeC, rice.id);
    await checkout(storeC, rice.id);
    await checkout(storeC, rice.id);

    const response = await t.http
      .get(`/api/v1/reports/donors/${donor.id}/impact?year=${t.given.date(0).slice(0, 4)}`)
      .set('Authorization', admin.auth);
    expect(response.status).toBe(200);
    const impact = response.body as DonorImpact;
    expect(impact).toMatchObject({
      donatedQuantity: 10,
      donatedValueFen: 30000,
      givenOutQuantity: 3,
      givenOutValueFen: 9000,
      households: 3,
      visits: 3,
    });
    expect(impact.townships).toEqual([
      { name: third.name, households: 2, visits: 2, valueFen: 6000 },
      { name: first.name, households: 1, visits: 1, valueFen: 3000 },
    ]);
    expect(impact.products).toEqual([
      { name: '大米 5kg', unit: rice.unit, donatedQuantity: 10, givenOutQuantity: 3 },
    ]);
  });
});
