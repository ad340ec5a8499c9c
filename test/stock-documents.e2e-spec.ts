import type { Store } from '@charity/organisation';
import { randomUUID } from 'node:crypto';
import type { SignedIn } from './support/given';
import { createTestApp, type TestApp } from './support/test-app';

interface MovementBody {
  kind: string;
  quantity: number;
  refType: string;
  refId: string;
  document: { kind: string; id: number | null; number: string | null; householdId: number | null };
}

/** The stock ledger names each movement's document as people know it (单据), not its ledger ref. */
describe('stock movements: documents', () => {
  let t: TestApp;
  let store: Store;
  let other: Store;
  let manager: SignedIn;
  let clerk: SignedIn;

  const post = (path: string, body: object, as: SignedIn = manager) =>
    t.http
      .post(`/api/v1${path}`)
      .set('Authorization', as.auth)
      .set('Idempotency-Key', randomUUID())
      .send(body);
  const movementsOf = async (productId: number): Promise<MovementBody[]> =>
    (
      await t.http
        .get(`/api/v1/stores/${store.id}/stock/movements?productId=${productId}`)
        .set('Authorization', clerk.auth)
        .expect(200)
    ).body.items;

  beforeAll(async () => {
    t = await createTestApp();
    await t.reset();
    store = await t.given.store();
    other = await t.given.store();
    manager = await t.given.signedIn('store_manager', store.id);
    clerk = await t.given.signedIn('clerk', store.id);
  });
  afterAll(() => t.close());

  it('gives receipt numbers for donations, checkouts and their voids, with the household', async () => {
    const rice = await t.given.product({ name: '大米 5kg', pointPrice: 10, unitValueFen: 3000 });
    const donor = await t.given.donor();
    const donation = (
      await post('/donations', {
        storeId: store.id,
        donorId: donor.id,
        lines: [{ productId: rice.id, quantity: 10 }],
      }).expect(201)
    ).body as { id: number; receiptNo: string };
    const household = await t.given.household({ homeStoreId: store.id, points: 100 });
    const sold = (
      await post(
        '/redemptions',
        {
          storeId: store.id,
          cardNo: household.cardNo,
          lines: [{ productId: rice.id, quantity: 2 }],
        },
        clerk,
      ).expect(201)
    ).body as { id: number; receiptNo: string };
    await post(`/redemptions/${sold.id}/void`, { reason: '扫错商品' }).expect(200);
    await post(`/donations/${donation.id}/void`, { reason: '登记重复' }).expect(200);

    const [donationVoid, redemptionVoid, redemption, intake] = await movementsOf(rice.id);
    expect(intake).toMatchObject({
      kind: 'donation_in',
      document: { kind: 'donation', id: donation.id, number: donation.receiptNo },
    });
    expect(donation.receiptNo).toMatch(/^JZ-/);
    expect(redemption).toMatchObject({
      kind: 'redemption_out',
      refType: 'redemption',
      refId: String(sold.id),
      document: {
        kind: 'redemption',
        id: sold.id,
        number: sold.receiptNo,
        householdId: household.id,
      },
    });
    expect(sold.receiptNo).toMatch(/^DH-/);
    expect(redemptionVoid).toMatchObject({
      kind: 'void_reversal',
      document: { kind: 'redemption_void', number: sold.receiptNo, householdId: household.id },
    });
    expect(donationVoid).toMatchObject({
      kind: 'void_reversal',
      document: { kind: 'donation_void', number: donation.receiptNo, householdId: null },
    });
  });

  it('numbers transfers and stocktakes by their id and gives adjustments no number', async () => {
    const oil = await t.given.product({ name: '食用油 5L', pointPrice: 20, unitValueFen: 6000 });
    await t.given.lot(store.id, oil.id, 10, null);
    const transfer = (
      await post('/transfers', {
        fromStoreId: store.id,
        toStoreId: other.id,
        lines: [{ productId: oil.id, quantity: 3 }],
      }).expect(201)
    ).body as { id: number };
    await post(`/stores/${store.id}/stock/adjustments`, {
      productId: oil.id,
      quantity: -1,
      reason: 'damaged',
    }).expect(201);
    const stocktake = (await post(`/stores/${store.id}/stocktakes`, {}).expect(201)).body as {
      id: number;
    };
    await t.http
      .put(`/api/v1/stores/${store.id}/stocktakes/${stocktake.id}/lines`)
      .set('Authorization', manager.auth)
      .send({ lines: [{ productId: oil.id, countedQuantity: 5 }] })
      .expect(200);
    await post(`/stores/${store.id}/stocktakes/${stocktake.id}/finalize`, {}).expect(200);

    const [counted, adjusted, sent] = await movementsOf(oil.id);
    expect(sent).toMatchObject({
      kind: 'transfer_out',
      document: { kind: 'transfer', id: transfer.id, number: String(transfer.id) },
    });
    expect(adjusted).toMatchObject({
      kind: 'adjustment',
      document: { kind: 'adjustment', id: null, number: null, householdId: null },
    });
    expect(counted).toMatchObject({
      kind: 'stocktake',
      quantity: -1,
      document: { kind: 'stocktake', id: stocktake.id, number: String(stocktake.id) },
    });
  });
});
