// The county the checkout bench and the fault drill seed straight into their own database, and
// the carts their tills ring up: townships with six villages each, stores with one clerk each, a
// catalogue in 10 categories with one lot of every product at every store, and households holding
// points backed by their ledger rows; the caller gives the sizes.
import { hashPassword } from '@charity/accounts';
import { AuditService } from '@charity/audit';
import { businessDate } from '@charity/common';
import type { AppConfig } from '@charity/config';
import {
  HouseholdsService,
  newCardNumber,
  PersonalDataCipher,
  withCheckCharacter,
} from '@charity/households';
import { ean13CheckDigit, internalCodeFor } from '@charity/inventory';
import type { DataSource } from 'typeorm';
import type { BenchCart, BenchClerk, BenchLine } from './bench-checkout-floor';
import { insertRows, pick, BENCH_TOWNSHIPS, BENCH_VILLAGES } from './bench-support';
import { random } from './seeded-random';

export interface CountySize {
  /** The first N of BENCH_TOWNSHIPS. */
  townships: number;
  storesPerTownship: number;
  products: number;
  /** Spread evenly over the stores. */
  households: number;
  /** Units of every product in each store's one lot of it. */
  lotQuantity: number;
  /** Points every household starts with. */
  openingPoints: number;
  /** Every clerk's password. */
  password: string;
}

const CATEGORIES: [name: string, goods: string[], units: string[]][] = [
  ['粮油', ['大米', '面粉', '食用油', '挂面', '小米'], ['袋', '桶', '包']],
  ['调味品', ['酱油', '香醋', '食盐', '白砂糖', '料酒'], ['瓶', '袋']],
  ['乳品饮料', ['纯牛奶', '酸奶', '豆奶粉', '矿泉水', '果汁'], ['箱', '提', '瓶']],
  ['方便食品', ['方便面', '饼干', '八宝粥', '火腿肠', '罐头'], ['包', '盒', '罐']],
  ['日化用品', ['洗衣粉', '香皂', '洗发水', '牙膏', '洗洁精'], ['袋', '块', '瓶', '支']],
  ['纸品', ['抽纸', '卷纸', '湿巾', '手帕纸', '厨房纸'], ['提', '包']],
  ['衣物鞋帽', ['棉衣', '棉鞋', '手套', '袜子', '帽子'], ['件', '双', '顶']],
  ['床上用品', ['棉被', '毛毯', '枕头', '床单', '四件套'], ['床', '条', '个', '套']],
  ['厨具家电', ['电饭煲', '保温壶', '炒锅', '电热水壶', '碗筷套装'], ['台', '个', '套']],
  ['学习用品', ['书包', '文具盒', '作业本', '铅笔', '台灯'], ['个', '本', '盒']],
];
const SURNAMES = [...'王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹'];
const GIVEN = [...'秀英桂兰建国玉梅志强淑珍春花文华明德金凤玉兰永红海燕国华翠花'];
const HOUSEHOLD_CATEGORIES = ['wubao', 'dibao', 'dibao', 'dibao', 'tekun', 'other'];

export interface BenchProduct {
  id: number;
  barcode: string | null;
  internalCode: string;
}

export interface BenchCounty {
  clerks: BenchClerk[];
  cardsByStore: Map<number, string[]>;
  products: BenchProduct[];
  lots: number;
}

/**
 * A county as the services would have written it, with explicit ids so every reference is known
 * without reading back: stock arrives as one donation per store (donation_in movements), points as
 * one manual adjustment per household (entry, grant and allocation, balance_after and the cached
 * balance equal).
 */
export async function seedCounty(
  dataSource: DataSource,
  config: AppConfig,
  size: CountySize,
): Promise<BenchCounty> {
  const townshipNames = BENCH_TOWNSHIPS.slice(0, size.townships);
  const next = random(20261122);
  const now = new Date();
  const today = businessDate(now, config.timeZone);
  const year = Number(today.slice(0, 4));

  // regions: the county, its townships, six villages each
  const regions: unknown[][] = [[1, '青山县', 'county', null, null, now]];
  const townshipIds: number[] = [];
  const villagesOf = new Map<number, number[]>();
  let regionId = 1;
  for (const name of townshipNames) {
    const township = (regionId += 1);
    townshipIds.push(township);
    regions.push([township, `${name}镇`, 'township', 1, null, now]);
    const villages: number[] = [];
    for (const village of BENCH_VILLAGES) {
      regionId += 1;
      villages.push(regionId);
      regions.push([regionId, village, 'village', township, null, now]);
    }
    villagesOf.set(township, villages);
  }
  // parents before children: the rows are in that order already
  await insertRows(
    dataSource,
    'regions',
    ['id', 'name', 'level', 'parent_id', 'code', 'created_at'],
    regions,
  );

  const stores: { id: number; code: string; townshipId: number }[] = [];
  for (const townshipId of townshipIds) {
    for (let i = 0; i < size.storesPerTownship; i += 1) {
      const id = stores.length + 1;
      stores.push({ id, code: `QS${String(id).padStart(2, '0')}`, townshipId });
    }
  }
  await insertRows(
    dataSource,
    'stores',
    ['id', 'code', 'name', 'region_id', 'address', 'phone', 'active', 'created_at', 'updated_at'],
    stores.map((store, i) => {
      const township = townshipNames[Math.floor(i / size.storesPerTownship)];
      const suffix =
        i % size.storesPerTownship === 0 ? '' : `（${(i % size.storesPerTownship) + 1}号店）`;
      return [
        store.id,
        store.code,
        `${township}镇爱心超市${suffix}`,
        store.townshipId,
        `${township}镇人民路${i + 1}号`,
        null,
        1,
        now,
        now,
      ];
    }),
  );

  // one clerk per store; argon2 once, the same hash for all
  const passwordHash = await hashPassword(size.password);
  const clerks: BenchClerk[] = stores.map((store) => ({
    userId: store.id,
    username: `bench_clerk_${store.code.toLowerCase()}`,
    storeId: store.id,
  }));
  await insertRows(
    dataSource,
    'users',
    [
      'id',
      'username',
      'display_name',
      'password_hash',
      'role',
      'store_id',
      'active',
      'token_version',
      'password_origin',
      'must_change_password',
      'last_login_at',
      'created_at',
      'updated_at',
    ],
    clerks.map((clerk, i) => [
      clerk.userId,
      clerk.username,
      `收银员${pick(SURNAMES, next)}${i + 1}`,
      passwordHash,
      'clerk',
      clerk.storeId,
      1,
      0,
      'self',
      0,
      null,
      now,
      now,
    ]),
  );

  // catalogue: 10 categories, 300 products, every other one with a manufacturer's EAN-13
  await insertRows(
    dataSource,
    'product_categories',
    ['id', 'name', 'sort_order', 'monthly_limit_per_household', 'created_at'],
    CATEGORIES.map(([name], i) => [i + 1, name, i + 1, null, now]),
  );
  const products: (BenchProduct & {
    name: string;
    categoryId: number;
    unit: string;
    pointPrice: number;
    unitValueFen: number;
  })[] = [];
  for (let id = 1; id <= size.products; id += 1) {
    const categoryIndex = (id - 1) % CATEGORIES.length;
    const [, goods, units] = CATEGORIES[categoryIndex];
    const pointPrice = 1 + Math.floor(next() * 30);
    const first12 = `690${String(id).padStart(9, '0')}`;
    products.push({
      id,
      name: `${pick(goods, next)} ${String(id).padStart(3, '0')}号`,
      categoryId: categoryIndex + 1,
      unit: pick(units, next),
      barcode: id % 2 === 0 ? `${first12}${ean13CheckDigit(first12)}` : null,
      internalCode: internalCodeFor(id),
      pointPrice,
      unitValueFen: pointPrice * 100 + Math.floor(next() * 100),
    });
  }
  await insertRows(
    dataSource,
    'products',
    [
      'id',
      'name',
      'category_id',
      'unit',
      'barcode',
      'internal_code',
      'point_price',
      'unit_value_fen',
      'monthly_limit_per_household',
      'low_stock_threshold',
      'active',
      'created_at',
      'updated_at',
    ],
    products.map((p) => [
      p.id,
      p.name,
      p.categoryId,
      p.unit,
      p.barcode,
      p.internalCode,
      p.pointPrice,
      p.unitValueFen,
      null,
      0,
      1,
      now,
      now,
    ]),
  );

  // stock: one donation per store of every product, one lot per line, its donation_in movement
  await insertRows(
    dataSource,
    'donors',
    ['id', 'kind', 'name', 'honor_consent', 'receipt_preference', 'created_at', 'updated_at'],
    [[1, 'company', '青山县宏达建材有限公司', 0, 'per_donation', now, now]],
  );
  const goodsValueFen = products.reduce((sum, p) => sum + p.unitValueFen * size.lotQuantity, 0);
  const receiptOf = (code: string) => `JZ-${code}-${year}-000001`;
  await insertRows(
    dataSource,
    'donations',
    [
      'id',
      'store_id',
      'donor_id',
      'receipt_no',
      'received_date',
      'goods_value_fen',
      'cash_fen',
      'total_value_fen',
      'note',
      'status',
      'created_by',
      'created_at',
    ],
    stores.map((store) => [
      store.id,
      store.id,
      1,
      receiptOf(store.code),
      today,
      goodsValueFen,
      0,
      goodsValueFen,
      '压测期初库存',
      'active',
      store.id,
      now,
    ]),
  );
  await insertRows(
    dataSource,
    'receipt_sequences',
    ['series', 'store_id', 'year', 'last_number'],
    stores.map((store) => ['JZ', store.id, year, 1]),
  );
  const lots: unknown[][] = [];
  const donationLines: unknown[][] = [];
  const movements: unknown[][] = [];
  for (const store of stores) {
    for (const p of products) {
      const lotId = (store.id - 1) * size.products + p.id;
      lots.push([
        lotId,
        store.id,
        p.id,
        'donation',
        String(store.id),
        null,
        p.unitValueFen,
        size.lotQuantity,
        size.lotQuantity,
        now,
      ]);
      donationLines.push([
        lotId,
        store.id,
        p.id,
        p.id,
        p.name,
        p.unit,
        size.lotQuantity,
        p.unitValueFen,
        p.unitValueFen * size.lotQuantity,
        null,
        lotId,
      ]);
      movements.push([
        lotId,
        store.id,
        p.id,
        lotId,
        'donation_in',
        size.lotQuantity,
        store.id,
        'donation',
        String(store.id),
        null,
        `捐赠 ${receiptOf(store.code)}`,
        now,
        today,
      ]);
    }
  }
  await insertRows(
    dataSource,
    'stock_lots',
    [
      'id',
      'store_id',
      'product_id',
      'source_type',
      'source_ref',
      'expiry_date',
      'unit_value_fen',
      'initial_quantity',
      'quantity',
      'received_at',
    ],
    lots,
  );
  await insertRows(
    dataSource,
    'donation_lines',
    [
      'id',
      'donation_id',
      'line_no',
      'product_id',
      'product_name',
      'unit',
      'quantity',
      'unit_value_fen',
      'amount_fen',
      'expiry_date',
      'lot_id',
    ],
    donationLines,
  );
  await insertRows(
    dataSource,
    'stock_movements',
    [
      'id',
      'store_id',
      'product_id',
      'lot_id',
      'kind',
      'quantity',
      'actor_id',
      'ref_type',
      'ref_id',
      'reverses_movement_id',
      'note',
      'occurred_at',
      'business_date',
    ],
    movements,
  );

  // households: sealed as HouseholdsService seals them, spread evenly over the stores
  const sealer = new HouseholdsService(
    dataSource,
    config,
    new PersonalDataCipher(config),
    new AuditService(dataSource),
  );
  const cards = new Set<string>();
  const cardsByStore = new Map<number, string[]>();
  const households: unknown[][] = [];
  const entries: unknown[][] = [];
  const grants: unknown[][] = [];
  const allocations: unknown[][] = [];
  for (let id = 1; id <= size.households; id += 1) {
    const store = stores[(id - 1) % stores.length];
    let cardNo = newCardNumber();
    while (cards.has(cardNo)) cardNo = newCardNumber();
    cards.add(cardNo);
    const storeCards = cardsByStore.get(store.id) ?? [];
    storeCards.push(cardNo);
    cardsByStore.set(store.id, storeCards);
    const birth = new Date(Date.UTC(1940, 0, 1) + Math.floor(id / 1000) * 3 * 86_400_000)
      .toISOString()
      .slice(0, 10)
      .replace(/-/g, '');
    const idNumber = withCheckCharacter(`410523${birth}${String(id % 1000).padStart(3, '0')}`);
    const phone = next() < 0.6 ? `13${String(Math.floor(next() * 1e9)).padStart(9, '0')}` : null;
    const sealed = sealer.seal(idNumber, phone);
    const village = pick(villagesOf.get(store.townshipId) ?? [store.townshipId], next);
    households.push([
      id,
      cardNo,
      pick(SURNAMES, next) + pick(GIVEN, next) + (next() < 0.5 ? pick(GIVEN, next) : ''),
      sealed.idNumberCipher,
      sealed.idNumberHash,
      sealed.idNumberMasked,
      sealed.idNumberLast4,
      pick(HOUSEHOLD_CATEGORIES, next),
      1 + Math.floor(next() * 6),
      village,
      store.id,
      sealed.phoneCipher,
      sealed.phoneHash,
      sealed.phoneMasked,
      sealed.phoneLast4,
      `${1 + Math.floor(next() * 9)}组${1 + Math.floor(next() * 60)}号`,
      'active',
      size.openingPoints,
      store.id,
      now,
      now,
    ]);
    entries.push([
      id,
      id,
      'adjustment',
      size.openingPoints,
      size.openingPoints,
      store.id,
      store.id,
      now,
      today,
      '压测期初积分',
      'manual',
    ]);
    grants.push([id, id, id, size.openingPoints, size.openingPoints, today, null]);
    allocations.push([id, id, id, size.openingPoints]);
  }
  await insertRows(
    dataSource,
    'households',
    [
      'id',
      'card_no',
      'head_name',
      'id_number_cipher',
      'id_number_hash',
      'id_number_masked',
      'id_number_last4',
      'category',
      'member_count',
      'region_id',
      'home_store_id',
      'phone_cipher',
      'phone_hash',
      'phone_masked',
      'phone_last4',
      'address',
      'status',
      'balance',
      'created_by',
      'created_at',
      'updated_at',
    ],
    households,
  );
  await insertRows(
    dataSource,
    'points_entries',
    [
      'id',
      'household_id',
      'kind',
      'points',
      'balance_after',
      'store_id',
      'actor_id',
      'occurred_at',
      'business_date',
      'reason',
      'source_type',
    ],
    entries,
  );
  await insertRows(
    dataSource,
    'points_grants',
    ['id', 'household_id', 'entry_id', 'points', 'remaining', 'granted_on', 'expires_on'],
    grants,
  );
  await insertRows(
    dataSource,
    'points_allocations',
    ['id', 'entry_id', 'grant_id', 'points'],
    allocations,
  );
  return { clerks, cardsByStore, products, lots: lots.length };
}

export function shuffled<T>(items: readonly T[], next: () => number): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i -= 1) {
    const j = Math.floor(next() * (i + 1));
    [copy[i], copy[j]] = [copy[j], copy[i]];
  }
  return copy;
}

/** A cart of 1–8 distinct products (or `lines`) of 1–3 units for one of the till's households. */
export function cartFor(
  till: { storeId: number; cards: string[] },
  products: BenchProduct[],
  next: () => number,
  lines?: number,
): BenchCart {
  const count = lines ?? 1 + Math.floor(next() * 8);
  const chosen = shuffled(products, next).slice(0, count);
  return {
    storeId: till.storeId,
    cardNo: pick(till.cards, next),
    lines: chosen.map((product): BenchLine => {
      const quantity = 1 + Math.floor(next() * 3);
      const how = next();
      // mostly picked from the list, sometimes scanned: the goods' barcode or our internal code
      if (how < 0.7) return { productId: product.id, quantity };
      if (how < 0.85 && product.barcode) return { barcode: product.barcode, quantity };
      return { barcode: product.internalCode, quantity };
    }),
  };
}
