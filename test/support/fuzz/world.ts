import { DonationsService } from '@charity/donations';
import type { TestApp } from '../test-app';
import type { FuzzWorld } from './world-values';

/** The county: a township with a village, two stores, goods in stock and a household with points. */
export async function buildWorld(t: TestApp): Promise<FuzzWorld> {
  const { given } = t;
  const county = await given.region('county');
  const township = await given.region('township', county.id);
  const village = await given.region('village', township.id);
  const store = await given.store({ regionId: township.id });
  const otherStore = await given.store({ regionId: township.id });
  const admin = await given.signedIn('county_admin');
  const user = await given.user('clerk', store.id);
  const category = await given.category();
  const barcode = '6901234567892';
  const product = await given.product({ categoryId: category.id, barcode, pointPrice: 10 });
  const lot = await given.lot(store.id, product.id, 1_000, given.date(400));
  const donor = await given.donor();
  const household = await given.household({
    regionId: village.id,
    homeStoreId: store.id,
    points: 10_000,
    address: '测试村 1 号',
  });
  const rule = await given.pointRule();
  const [entry] = await t.dataSource.query<{ id: number }[]>(
    'SELECT id FROM points_entries WHERE household_id = ? ORDER BY id LIMIT 1',
    [household.id],
  );

  const post = async (
    path: string,
    body: object,
    key?: string,
  ): Promise<Record<string, unknown>> => {
    const request = t.http.post(`/api/v1${path}`).set('Authorization', admin.auth);
    const response = await (key ? request.set('Idempotency-Key', key) : request).send(body);
    if (response.status >= 300) {
      throw new Error(`world: POST ${path} ${response.status} ${JSON.stringify(response.body)}`);
    }
    return response.body as Record<string, unknown>;
  };
  const cart = (fulfilment: 'pickup' | 'delivery') => ({
    storeId: store.id,
    cardNo: household.cardNo,
    lines: [{ productId: product.id, quantity: 1 }],
    fulfilment,
  });

  const donation = await post('/donations', {
    storeId: store.id,
    donorId: donor.id,
    lines: [{ productId: product.id, quantity: 5 }],
  });
  const redemption = await post('/redemptions', cart('pickup'), 'fuzz-world-pickup');
  const delivery = await post('/redemptions', cart('delivery'), 'fuzz-world-delivery');
  const transfer = await post('/transfers', {
    fromStoreId: store.id,
    toStoreId: otherStore.id,
    lines: [{ productId: product.id, quantity: 2 }],
  });
  const stocktake = await post(`/stores/${store.id}/stocktakes`, {});
  const today = given.date();
  const month = today.slice(0, 7);
  const batch = await post('/point-awards/batch', {
    regionId: village.id,
    month,
    noticeDays: 5,
    rows: [{ householdId: household.id, ruleCode: rule.code }],
  });
  const exported = await post('/reports/exports', { kind: 'monthly', month, format: 'xlsx' });

  const receiptNo = donation.receiptNo as string;
  const lastMonthDate = new Date(`${month}-01T00:00:00Z`);
  lastMonthDate.setUTCMonth(lastMonthDate.getUTCMonth() - 1);
  return {
    admin,
    freshIdNumber: given.idNumber(),
    ids: {
      county: county.id,
      township: township.id,
      village: village.id,
      store: store.id,
      otherStore: otherStore.id,
      user: user.id,
      category: category.id,
      product: product.id,
      lot: lot.id,
      donor: donor.id,
      household: household.id,
      rule: rule.id,
      entry: entry.id,
      donation: donation.id as number,
      redemption: redemption.id as number,
      delivery: delivery.id as number,
      transfer: transfer.id as number,
      stocktake: stocktake.id as number,
      batch: batch.id as number,
      export: exported.id as number,
    },
    cardNo: household.cardNo,
    barcode,
    ruleCode: rule.code,
    donationReceiptNo: receiptNo,
    donationReceiptCode: t.app.get(DonationsService).verificationCode(receiptNo),
    today,
    month,
    lastMonth: lastMonthDate.toISOString().slice(0, 7),
  };
}
