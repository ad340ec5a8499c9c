import { TEST_PASSWORD, type SignedIn } from '../given';

/** Real rows for path parameters and the valid-ish baselines to point at. */
export interface FuzzWorld {
  admin: SignedIn;
  /** An ID number no household has yet, for the household a baseline registers. */
  freshIdNumber: string;
  ids: Record<string, number>;
  cardNo: string;
  barcode: string;
  ruleCode: string;
  donationReceiptNo: string;
  donationReceiptCode: string;
  today: string;
  month: string;
  lastMonth: string;
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
      // the start of the county's day: past, and the same all day long
      return `${world.today}T00:00:00+08:00`;
    case 'ids':
      return String(ids.household);
    default:
      return undefined;
  }
}
