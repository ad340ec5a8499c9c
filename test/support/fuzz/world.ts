import { DonationsService } from '@charity/donations';
import { TEST_PASSWORD, type SignedIn } from '../given';
import type { TestApp } from '../test-app';

/** Real rows for path parameters and the valid-ish baselines to point at. */
export interface FuzzWorld {
  admin: SignedIn;
  /** An ID number no household has yet, for the household a baseline registers. */
  freshIdNumber: string;
  ids: Record<string, number>;
  cardNo: string;
  barcode: string;
  ruleCode: string;
  categoryName: string;
  donationReceiptNo: string;
  donationReceiptCode: string;
  today: string;
  month: string;
  lastMonth: string;
}

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
    categoryName: category.name,
    donationReceiptNo: receiptNo,
    donationReceiptCode: t.app.get(DonationsService).verificationCode(receiptNo),
    today,
    month,
    lastMonth: lastMonthDate.toISOString().slice(0, 7),
  };
}

/** Which row an `{id}` names, by the collection before it in the path. */
const ID_OF_COLLECTION: Record<string, string> = {
  regions: 'township',
  stores: 'store',
  users: 'user',
  transfers: 'transfer',
  stocktakes: 'stocktake',
  'product-categories': 'category',
  products: 'product',
  donations: 'donation',
  donors: 'donor',
  batches: 'batch',
  households: 'household',
  'point-rules': 'rule',
  redemptions: 'redemption',
  deliveries: 'delivery',
  exports: 'export',
};

/** The real value of a path parameter, so a case reaches the row and not a 404. */
export function pathValue(world: FuzzWorld, path: string, param: string): string {
  switch (param) {
    case 'storeId':
      return String(world.ids.store);
    case 'entryId':
      return String(world.ids.entry);
    case 'cardNo':
      return world.cardNo;
    case 'code':
      return world.barcode;
    case 'receiptNo':
      return world.donationReceiptNo;
    case 'month':
      // a month that has ended, so closing it is allowed
      return world.lastMonth;
    case 'category':
      return 'dibao';
    case 'id': {
      const collection = /\/([\w-]+)\/\{id\}/.exec(path)?.[1] ?? '';
      const row = ID_OF_COLLECTION[collection];
      if (!row)
        throw new Error(`fuzz world: no row for {id} of ${path}; add it to ID_OF_COLLECTION`);
      return String(world.ids[row]);
    }
    default:
      throw new Error(`fuzz world: no value for {${param}} of ${path}; add it to pathValue`);
  }
}

/**
 * A valid value for a body field or query parameter the schema alone cannot give (ids of real
 * rows, a card that exists, today's month); undefined when the schema's own example will do.
 */
export function fieldValue(world: FuzzWorld, path: string, name: string): unknown {
  const { ids } = world;
  switch (name) {
    case 'storeId':
    case 'fromStoreId':
    case 'homeStoreId':
      return ids.store;
    case 'toStoreId':
      return ids.otherStore;
    case 'regionId':
      return path.includes('/stores') ? ids.township : ids.village;
    case 'parentId':
      return ids.township;
    case 'productId':
      return ids.product;
    case 'lotId':
      return ids.lot;
    case 'donorId':
      return ids.donor;
    case 'householdId':
      return ids.household;
    case 'categoryId':
      return ids.category;
    case 'actorId':
      return world.admin.user.id;
    case 'cardNo':
      return world.cardNo;
    case 'barcode':
      return world.barcode;
    case 'ruleCode':
      return world.ruleCode;
    case 'idNumber':
      return world.freshIdNumber;
    case 'username':
      return path.endsWith('/auth/login') ? world.admin.user.username : undefined;
    case 'password':
      return path.endsWith('/auth/login') ? TEST_PASSWORD : undefined;
    case 'quantity':
      // goods found and added: the path that makes a lot, with its value and expiry
      return path.endsWith('/stock/adjustments') ? 5 : undefined;
    case 'reason':
      return path.endsWith('/stock/adjustments') ? 'found' : undefined;
    case 'code':
      return path.includes('/public/receipts') ? world.donationReceiptCode : undefined;
    case 'month':
    case 'period':
      return world.month;
    case 'year':
      return Number(world.month.slice(0, 4));
    case 'receivedDate':
    case 'exitedOn':
    case 'from':
    case 'to':
      return world.today;
    case 'expiryDate':
      return '2030-06-30';
    case 'deliveredAt':
      return new Date().toISOString();
    case 'ids':
      return String(ids.household);
    default:
      return undefined;
  }
}
