// `npm run bench:checkout [-- --count 2000 --seconds 20 --concurrency 8,32 --warmup 200]`: the till
// under load. Seeds a county (25 townships, 50 stores with one clerk each, 300 products in 10
// categories, a 1,000,000-unit lot of every product at every store, 10,000 households holding
// 1,000,000 points each, every balance backed by its ledger rows) into its own database,
// charity_bench_checkout (dropped and migrated afresh), builds the api if needed and starts it,
// then drives POST /api/v1/redemptions from C concurrent tills, each at its own store (stores drawn
// at random; beyond 50 tills stores get a second), each checkout with a fresh Idempotency-Key and a
// cart of 1–8 distinct products of 1–3 units (by id, barcode or internal code). The floor is the
// same transaction, round trip for round trip, sent straight through mysql2
// (scripts/bench-checkout-floor.ts) from the same tills with the same carts, after the api has
// stopped. Prints throughput, latency percentiles and
// failed answers of both, their ratio, CPU per checkout by process, the statements one checkout
// sends, and the stock and points ledger checks. The bench client runs on the same cores as the
// api and MariaDB, which real tills would not.
import 'reflect-metadata';
import { hashPassword } from '@charity/accounts';
import { AuditService } from '@charity/audit';
import { businessDate } from '@charity/common';
import { loadConfig, loadEnvFile, type AppConfig } from '@charity/config';
import { dataSourceOptions, ensureDatabase, runMigrationsLocked } from '@charity/database';
import {
  findPointsLedgerMismatches,
  HouseholdsService,
  newCardNumber,
  PersonalDataCipher,
  withCheckCharacter,
} from '@charity/households';
import { ean13CheckDigit, findStockLedgerMismatches, internalCodeFor } from '@charity/inventory';
import { Logger } from '@nestjs/common';
import { createConnection, createPool, type Connection, type Pool } from 'mysql2/promise';
import { type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { Agent, request as httpRequest } from 'node:http';
import { cpus } from 'node:os';
import { resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { DataSource } from 'typeorm';
import {
  floorCheckout,
  FloorProblem,
  type BenchCart,
  type BenchClerk,
  type BenchLine,
} from './bench-checkout-floor';
import {
  buildIfStale,
  clearQueueKeys,
  dropDatabase,
  errorText,
  freePort,
  insertRows,
  login,
  option,
  pad,
  percentile,
  pick,
  ProcessLog,
  seconds,
  startApi,
  stopProcess,
  whole,
  BENCH_TOWNSHIPS,
  BENCH_VILLAGES,
} from './bench-support';
import { random } from './seeded-random';

const BENCH_DATABASE = 'charity_bench_checkout';
const DEFAULT_DATABASE_URL = 'mysql://charity:charity@127.0.0.1:3306/charity_supermarket';
const QUEUE_PREFIX = 'bench_checkout';
const PASSWORD = 'Bench2026checkout';

const STORES_PER_TOWNSHIP = 2;
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
const PRODUCTS = 300;
const HOUSEHOLDS = 10_000;
const LOT_QUANTITY = 1_000_000;
const OPENING_POINTS = 1_000_000;
const SURNAMES = [...'王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹'];
const GIVEN = [...'秀英桂兰建国玉梅志强淑珍春花文华明德金凤玉兰永红海燕国华翠花'];
const HOUSEHOLD_CATEGORIES = ['wubao', 'dibao', 'dibao', 'dibao', 'tekun', 'other'];

interface Options {
  count: number;
  seconds: number;
  concurrency: number[];
  warmup: number;
}

interface Product {
  id: number;
  barcode: string | null;
  internalCode: string;
}

interface Till extends BenchClerk {
  cards: string[];
  token: string;
}

interface Outcome {
  /** `201` for the api, `ok` for the floor, else the status or error code. */
  status: string;
  detail?: string;
}

interface CpuTimes {
  client: number;
  api: number | null;
  database: number | null;
  /** Busy time of all cores together (/proc/stat). */
  machine: number | null;
}

interface Phase {
  path: 'app' | 'floor';
  concurrency: number;
  count: number;
  seconds: number;
  latencies: number[];
  statuses: Map<string, number>;
  samples: Map<string, string[]>;
  /** CPU seconds per 1,000 checkouts, by process (machine: every process on it). */
  cpu: CpuTimes;
  /** Share of all cores busy during the run, and the part of it no bench process used. */
  busy: { machine: number; others: number } | null;
}

// ---------------------------------------------------------------------------------- utilities

function parseOptions(args: string[]): Options {
  const list = option(args, 'concurrency') ?? '8,32';
  const concurrency = list.split(',').map(Number);
  if (concurrency.some((c) => !Number.isInteger(c) || c < 1 || c > 200)) {
    throw new Error(`--concurrency must list whole numbers 1–200, got ${list}`);
  }
  return {
    count: whole(args, 'count', 2000),
    seconds: whole(args, 'seconds', 20),
    concurrency,
    warmup: whole(args, 'warmup', 200),
  };
}

function shuffled<T>(items: readonly T[], next: () => number): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i -= 1) {
    const j = Math.floor(next() * (i + 1));
    [copy[i], copy[j]] = [copy[j], copy[i]];
  }
  return copy;
}

// ------------------------------------------------------------------------------------ seeding

interface Seeded {
  clerks: BenchClerk[];
  cardsByStore: Map<number, string[]>;
  products: Product[];
  lots: number;
}

/**
 * A county as the services would have written it, with explicit ids so every reference is known
 * without reading back: stock arrives as one donation per store (donation_in movements), points as
 * one manual adjustment per household (entry, grant and allocation, balance_after and the cached
 * balance equal).
 */
async function seed(dataSource: DataSource, config: AppConfig): Promise<Seeded> {
  const next = random(20261122);
  const now = new Date();
  const today = businessDate(now, config.timeZone);
  const year = Number(today.slice(0, 4));

  // regions: the county, its townships, six villages each
  const regions: unknown[][] = [[1, '青山县', 'county', null, null, now]];
  const townshipIds: number[] = [];
  const villagesOf = new Map<number, number[]>();
  let regionId = 1;
  for (const name of BENCH_TOWNSHIPS) {
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
    for (let i = 0; i < STORES_PER_TOWNSHIP; i += 1) {
      const id = stores.length + 1;
      stores.push({ id, code: `QS${String(id).padStart(2, '0')}`, townshipId });
    }
  }
  await insertRows(
    dataSource,
    'stores',
    ['id', 'code', 'name', 'region_id', 'address', 'phone', 'active', 'created_at', 'updated_at'],
    stores.map((store, i) => {
      const township = BENCH_TOWNSHIPS[Math.floor(i / STORES_PER_TOWNSHIP)];
      const suffix =
        i % STORES_PER_TOWNSHIP === 0 ? '' : `（${(i % STORES_PER_TOWNSHIP) + 1}号店）`;
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
  const passwordHash = await hashPassword(PASSWORD);
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
  const products: (Product & {
    name: string;
    categoryId: number;
    unit: string;
    pointPrice: number;
    unitValueFen: number;
  })[] = [];
  for (let id = 1; id <= PRODUCTS; id += 1) {
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
  const goodsValueFen = products.reduce((sum, p) => sum + p.unitValueFen * LOT_QUANTITY, 0);
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
      const lotId = (store.id - 1) * PRODUCTS + p.id;
      lots.push([
        lotId,
        store.id,
        p.id,
        'donation',
        String(store.id),
        null,
        p.unitValueFen,
        LOT_QUANTITY,
        LOT_QUANTITY,
        now,
      ]);
      donationLines.push([
        lotId,
        store.id,
        p.id,
        p.id,
        p.name,
        p.unit,
        LOT_QUANTITY,
        p.unitValueFen,
        p.unitValueFen * LOT_QUANTITY,
        null,
        lotId,
      ]);
      movements.push([
        lotId,
        store.id,
        p.id,
        lotId,
        'donation_in',
        LOT_QUANTITY,
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
  for (let id = 1; id <= HOUSEHOLDS; id += 1) {
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
      OPENING_POINTS,
      store.id,
      now,
      now,
    ]);
    entries.push([
      id,
      id,
      'adjustment',
      OPENING_POINTS,
      OPENING_POINTS,
      store.id,
      store.id,
      now,
      today,
      '压测期初积分',
      'manual',
    ]);
    grants.push([id, id, id, OPENING_POINTS, OPENING_POINTS, today, null]);
    allocations.push([id, id, id, OPENING_POINTS]);
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

// ------------------------------------------------------------------------------------ the api

/**
 * Keeps one connection per till open, as a till's browser would. node:http rather than fetch:
 * fetch cost the bench client 0.7 ms of CPU per checkout at 32 tills and node:http 0.2 ms, on the
 * cores the api runs on.
 */
const tillAgent = new Agent({ keepAlive: true, maxSockets: Infinity });

function appCheckout(base: URL, till: Till, cart: BenchCart): Promise<Outcome> {
  const body = JSON.stringify(cart);
  return new Promise((done) => {
    const request = httpRequest(
      {
        agent: tillAgent,
        host: base.hostname,
        port: base.port,
        method: 'POST',
        path: '/api/v1/redemptions',
        headers: {
          authorization: `Bearer ${till.token}`,
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
          'idempotency-key': `bench-${randomUUID()}`,
        },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => {
          if (response.statusCode === 201) done({ status: '201' });
          else {
            const text = Buffer.concat(chunks).toString('utf8');
            done({ status: String(response.statusCode), detail: text.slice(0, 500) });
          }
        });
        response.on('error', (error) => done({ status: 'network', detail: errorText(error) }));
      },
    );
    request.on('error', (error) => done({ status: 'network', detail: errorText(error) }));
    request.end(body);
  });
}

// --------------------------------------------------------------------------------- the floor

function floorPool(config: AppConfig, type: 'mysql' | 'mariadb'): Pool {
  const options = dataSourceOptions(config, type) as { extra?: { connectionLimit?: number } };
  const { host, port, username, password, database, socketPath } = config.database;
  return createPool({
    host,
    port,
    socketPath,
    user: username,
    password,
    database,
    // as TypeORM opens the app's pool
    charset: 'utf8mb4_unicode_520_ci',
    timezone: 'Z',
    supportBigNumbers: true,
    bigNumberStrings: true,
    // as the app's checkout pool (batchedDataSourceOptions)
    multipleStatements: true,
    connectionLimit: options.extra?.connectionLimit ?? 10,
  });
}

async function floorOnce(
  pool: Pool,
  till: Till,
  cart: BenchCart,
  timeZone: string,
  retries: { count: number },
): Promise<Outcome & { statements?: number; roundTrips?: number }> {
  try {
    const result = await floorCheckout(pool, till, cart, `bench-${randomUUID()}`, timeZone);
    retries.count += result.attempts - 1;
    return { status: 'ok', statements: result.statements, roundTrips: result.roundTrips };
  } catch (error) {
    const driverCode = (error as { code?: unknown }).code;
    const code =
      error instanceof FloorProblem
        ? error.code
        : typeof driverCode === 'string'
          ? driverCode
          : 'error';
    return { status: code, detail: errorText(error).slice(0, 500) };
  }
}

// ------------------------------------------------------------------------------- the driving

function cartFor(till: Till, products: Product[], next: () => number, lines?: number): BenchCart {
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

/** utime + stime of a process in seconds, or null when /proc cannot tell. */
function processCpu(pid: number | undefined): number | null {
  if (pid === undefined) return null;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return null;
  }
}

function databasePid(): number | undefined {
  try {
    for (const entry of readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      try {
        const comm = readFileSync(`/proc/${entry}/comm`, 'utf8').trim();
        if (comm === 'mariadbd' || comm === 'mysqld') return Number(entry);
      } catch {
        // gone meanwhile
      }
    }
  } catch {
    // no /proc
  }
  return undefined;
}

/** Seconds all cores together spent busy since boot, or null without /proc/stat. */
function machineBusy(): number | null {
  try {
    const [, ...ticks] = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/);
    // user nice system idle iowait irq softirq (steal: time the host kept the cores, not busy)
    const [user, nice, system, , , irq, softirq] = ticks.map(Number);
    return (user + nice + system + irq + softirq) / 100;
  } catch {
    return null;
  }
}

function cpuNow(apiPid: number | undefined, dbPid: number | undefined): CpuTimes {
  const own = process.cpuUsage();
  return {
    client: (own.user + own.system) / 1e6,
    api: processCpu(apiPid),
    database: processCpu(dbPid),
    machine: machineBusy(),
  };
}

/**
 * C workers, worker i the till tills[i % tills.length], each drawing carts from its own seeded
 * PRNG, until `total` checkouts were sent or `maxSeconds` passed.
 */
async function drive(
  path: Phase['path'],
  tills: Till[],
  products: Product[],
  concurrency: number,
  total: number,
  maxSeconds: number,
  seed: number,
  one: (till: Till, cart: BenchCart) => Promise<Outcome>,
  pids: { api?: number; db?: number },
): Promise<Phase> {
  const latencies: number[] = [];
  const statuses = new Map<string, number>();
  const samples = new Map<string, string[]>();
  let issued = 0;
  const cpuBefore = cpuNow(pids.api, pids.db);
  const started = performance.now();
  let finished = started;
  await Promise.all(
    Array.from({ length: concurrency }, async (_, worker) => {
      const till = tills[worker % tills.length];
      const next = random(seed + worker * 7919);
      while (issued < total && performance.now() - started < maxSeconds * 1000) {
        issued += 1;
        const cart = cartFor(till, products, next);
        const before = performance.now();
        const outcome = await one(till, cart);
        finished = performance.now();
        latencies.push(finished - before);
        statuses.set(outcome.status, (statuses.get(outcome.status) ?? 0) + 1);
        if (outcome.detail !== undefined) {
          const kept = samples.get(outcome.status) ?? [];
          if (kept.length < 3) kept.push(outcome.detail);
          samples.set(outcome.status, kept);
        }
      }
    }),
  );
  const cpuAfter = cpuNow(pids.api, pids.db);
  const perThousand = (a: number | null, b: number | null) =>
    a === null || b === null ? null : ((b - a) / latencies.length) * 1000;
  const used = (a: number | null, b: number | null) => (a === null || b === null ? 0 : b - a);
  const capacity = ((finished - started) / 1000) * cpus().length;
  const machine = used(cpuBefore.machine, cpuAfter.machine);
  const ours =
    used(cpuBefore.client, cpuAfter.client) +
    used(cpuBefore.api, cpuAfter.api) +
    used(cpuBefore.database, cpuAfter.database);
  latencies.sort((a, b) => a - b);
  return {
    busy:
      cpuBefore.machine === null || capacity <= 0
        ? null
        : { machine: machine / capacity, others: Math.max(0, machine - ours) / capacity },
    path,
    concurrency,
    count: latencies.length,
    seconds: (finished - started) / 1000,
    latencies,
    statuses,
    samples,
    cpu: {
      client: perThousand(cpuBefore.client, cpuAfter.client) ?? 0,
      api: perThousand(cpuBefore.api, cpuAfter.api),
      database: perThousand(cpuBefore.database, cpuAfter.database),
      machine: perThousand(cpuBefore.machine, cpuAfter.machine),
    },
  };
}

function succeeded(phase: Phase): number {
  return (phase.statuses.get('201') ?? 0) + (phase.statuses.get('ok') ?? 0);
}

function failures(phase: Phase): string {
  const bad = [...phase.statuses].filter(([status]) => status !== '201' && status !== 'ok');
  return bad.length === 0 ? 'none' : bad.map(([status, n]) => `${status}×${n}`).join(', ');
}

function printPhase(phase: Phase): void {
  const l = phase.latencies;
  const cpu = phase.cpu;
  const part = (label: string, value: number | null) =>
    value === null ? '' : `, ${label} ${value.toFixed(1)}`;
  console.log(
    `  ${phase.path.padEnd(5)} C=${pad(phase.concurrency, 2)}  ${pad(phase.count, 5)} checkouts in ` +
      `${phase.seconds.toFixed(1)} s = ${(succeeded(phase) / phase.seconds).toFixed(1)}/s   ` +
      `p50 ${percentile(l, 50).toFixed(1)}  p95 ${percentile(l, 95).toFixed(1)}  ` +
      `p99 ${percentile(l, 99).toFixed(1)}  max ${(l.at(-1) ?? 0).toFixed(1)} ms   ` +
      `failed: ${failures(phase)}`,
  );
  console.log(
    `           CPU s per 1,000 checkouts: bench client ${cpu.client.toFixed(1)}` +
      `${part(phase.path === 'app' ? 'api' : '(no api)', phase.path === 'app' ? cpu.api : null)}` +
      `${part('mariadbd', cpu.database)}${part('whole machine', cpu.machine)}`,
  );
  if (phase.busy) {
    // Node runs the api's JavaScript on one thread: near 100% of one core, the api is the limit
    const apiCore =
      phase.path === 'app' && cpu.api !== null
        ? `; the api process ${((cpu.api * phase.count) / 10 / phase.seconds).toFixed(0)}% of one core`
        : '';
    console.log(
      `           cores busy ${(phase.busy.machine * 100).toFixed(0)}% of ${cpus().length}, ` +
        `${(phase.busy.others * 100).toFixed(0)}% of them by processes outside the bench${apiCore}`,
    );
  }
  for (const [status, details] of phase.samples) {
    for (const detail of details) console.log(`           ${status}: ${detail}`);
  }
}

// --------------------------------------------------------------------------- statement counts

const COUNTERS = [
  'Questions',
  'Com_select',
  'Com_insert',
  'Com_update',
  'Com_begin',
  'Com_commit',
  'Com_rollback',
  'Com_set_option',
] as const;
type Counters = Record<(typeof COUNTERS)[number], number>;

async function serverCounters(connection: Connection): Promise<Counters> {
  const [rows] = await connection.query(
    `SHOW GLOBAL STATUS WHERE Variable_name IN (${COUNTERS.map(() => '?').join(', ')})`,
    [...COUNTERS],
  );
  const values = new Map(
    (rows as { Variable_name: string; Value: string }[]).map((row) => [
      row.Variable_name.toLowerCase(),
      Number(row.Value),
    ]),
  );
  return Object.fromEntries(
    COUNTERS.map((name) => [name, values.get(name.toLowerCase()) ?? 0]),
  ) as Counters;
}

function minus(a: Counters, b: Counters): Counters {
  return Object.fromEntries(COUNTERS.map((name) => [name, a[name] - b[name]])) as Counters;
}

/**
 * Statements the server saw while `action` ran, less the status queries' own. The counters are
 * global, so another client busy at that moment (a test suite, another bench) would count too: an
 * attempt counts only when the server was quiet for 100 ms before and after it; otherwise the
 * least of 15 attempts is reported, marked as such.
 */
async function countStatements(
  connection: Connection,
  action: () => Promise<void>,
): Promise<{ counts: Counters; quiet: boolean }> {
  let overhead: Counters | null = null;
  for (let i = 0; i < 3; i += 1) {
    const first = await serverCounters(connection);
    const delta = minus(await serverCounters(connection), first);
    if (!overhead || delta.Questions < overhead.Questions) overhead = delta;
  }
  if (!overhead) throw new Error('no status');
  let least: Counters | null = null;
  for (let attempt = 0; attempt < 15; attempt += 1) {
    const idle = await serverCounters(connection);
    await sleep(100);
    const before = await serverCounters(connection);
    await action();
    await sleep(100);
    const after = await serverCounters(connection);
    await sleep(100);
    const settled = await serverCounters(connection);
    const delta = minus(minus(after, before), overhead);
    const quiet =
      minus(before, idle).Questions === overhead.Questions &&
      minus(settled, after).Questions === overhead.Questions;
    if (quiet) return { counts: delta, quiet };
    if (!least || delta.Questions < least.Questions) least = delta;
  }
  if (!least) throw new Error('no count');
  return { counts: least, quiet: false };
}

function describeCounts({ counts, quiet }: { counts: Counters; quiet: boolean }): string {
  const other =
    counts.Questions -
    counts.Com_select -
    counts.Com_insert -
    counts.Com_update -
    counts.Com_begin -
    counts.Com_commit -
    counts.Com_rollback -
    counts.Com_set_option;
  return (
    `${counts.Questions} (select ${counts.Com_select}, insert ${counts.Com_insert}, ` +
    `update ${counts.Com_update}, begin ${counts.Com_begin}, commit ${counts.Com_commit}, ` +
    `set ${counts.Com_set_option}${counts.Com_rollback ? `, rollback ${counts.Com_rollback}` : ''}` +
    `${other ? `, other ${other}` : ''})` +
    (quiet ? '' : ' [never quiet: least of 15, other clients counted too]')
  );
}

// ------------------------------------------------------------------------------------- main

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const root = resolve(__dirname, '..');
  const runStarted = performance.now();

  // the bench prints its own lines; Nest's (the migration runner's) only when something is wrong
  Logger.overrideLogger(['error', 'warn']);
  loadEnvFile();
  const url = new URL(process.env.DATABASE_URL ?? DEFAULT_DATABASE_URL);
  url.pathname = `/${BENCH_DATABASE}`;
  process.env.DATABASE_URL = url.toString();
  process.env.DEMO_DATA = 'false';
  process.env.QUEUE_PREFIX = QUEUE_PREFIX;
  const config = loadConfig(process.env);

  console.log(
    `bench:checkout  database ${BENCH_DATABASE}; C = ${options.concurrency.join(', ')}; ` +
      `${options.count} checkouts or ${options.seconds} s per run after ${options.warmup} warm-up`,
  );

  // 1. a fresh database, migrated
  let step = performance.now();
  await dropDatabase(config, BENCH_DATABASE);
  const type = await ensureDatabase(config);
  const dataSource = await new DataSource(dataSourceOptions(config, type)).initialize();
  let api: ChildProcess | undefined;
  const killApi = () => api?.kill('SIGKILL');
  process.once('exit', killApi);
  try {
    await runMigrationsLocked(dataSource);
    console.log(
      `  database     dropped, created and migrated in ${seconds(step)} s (${type}); ` +
        `${await clearQueueKeys(config, QUEUE_PREFIX)} Redis keys under ${QUEUE_PREFIX}: removed`,
    );

    // 2. the county
    step = performance.now();
    const seeded = await seed(dataSource, config);
    console.log(
      `  seed         ${BENCH_TOWNSHIPS.length} townships, ${seeded.clerks.length} stores and clerks, ` +
        `${PRODUCTS} products, ${seeded.lots} lots, ${HOUSEHOLDS} households in ${seconds(step)} s`,
    );

    // 3. the api
    step = performance.now();
    console.log(`  api build    ${buildIfStale(root, 'api')}`);
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const endpoint = new URL(base);
    const apiLog = new ProcessLog();
    step = performance.now();
    api = await startApi(root, port, {
      databaseUrl: url.toString(),
      queuePrefix: QUEUE_PREFIX,
      log: apiLog,
      // 50 clerks log in at once from one address; the limit is per address and user anyway
      env: { LOGIN_RATE_LIMIT: '1000' },
    });
    console.log(`  api          pid ${api.pid} on port ${port}, healthy after ${seconds(step)} s`);
    step = performance.now();
    const tokens = new Map<number, string>();
    for (let i = 0; i < seeded.clerks.length; i += 5) {
      const batch = seeded.clerks.slice(i, i + 5);
      const got = await Promise.all(batch.map((clerk) => login(base, clerk.username, PASSWORD)));
      batch.forEach((clerk, j) => tokens.set(clerk.userId, got[j]));
    }
    console.log(`  logins       ${tokens.size} clerks in ${seconds(step)} s`);

    // one till per store, the stores in a seeded random order
    const tills: Till[] = shuffled(seeded.clerks, random(7)).map((clerk) => ({
      ...clerk,
      cards: seeded.cardsByStore.get(clerk.storeId) ?? [],
      token: tokens.get(clerk.userId) ?? '',
    }));
    const pids = { api: api.pid, db: databasePid() };
    const maxC = Math.max(...options.concurrency);

    // 4. the app
    step = performance.now();
    const appWarm = await drive(
      'app',
      tills,
      seeded.products,
      maxC,
      options.warmup,
      120,
      1,
      (till, cart) => appCheckout(endpoint, till, cart),
      pids,
    );
    console.log(
      `  app warm-up  ${appWarm.count} checkouts in ${seconds(step)} s, failed: ${failures(appWarm)}`,
    );
    const status = await createConnection({
      host: config.database.host,
      port: config.database.port,
      socketPath: config.database.socketPath,
      user: config.database.username,
      password: config.database.password,
      database: config.database.database,
    });
    const statementCounts: string[] = [];
    const appQuestions = new Map<number, number>();
    try {
      const countTill = tills[0];
      for (const lines of [1, 8]) {
        const next = random(100 + lines);
        const counts = await countStatements(status, async () => {
          const outcome = await appCheckout(
            endpoint,
            countTill,
            cartFor(countTill, seeded.products, next, lines),
          );
          if (outcome.status !== '201')
            throw new Error(`count checkout: ${JSON.stringify(outcome)}`);
        });
        appQuestions.set(lines, counts.counts.Questions);
        statementCounts.push(`app   ${lines}-line cart: ${describeCounts(counts)}`);
      }
    } finally {
      await status.end().catch(() => undefined);
    }

    const phases: Phase[] = [];
    for (const concurrency of options.concurrency) {
      const phase = await drive(
        'app',
        tills,
        seeded.products,
        concurrency,
        options.count,
        options.seconds,
        1000 + concurrency,
        (till, cart) => appCheckout(endpoint, till, cart),
        pids,
      );
      phases.push(phase);
      printPhase(phase);
    }
    await stopProcess(api);
    console.log(
      `  api          stopped; ${await clearQueueKeys(config, QUEUE_PREFIX)} Redis keys of its queued receipt ` +
        `renders removed (no worker runs here)`,
    );
    if (apiLog.messages.size > 0) {
      console.log(`  api log      (LOG_LEVEL=warn)`);
      for (const [message, count] of [...apiLog.messages].slice(0, 15)) {
        console.log(`    ${pad(count, 5)}× ${message}`);
      }
    }

    // 5. the floor: the same transaction through mysql2, same pool size, tills and carts
    const pool = floorPool(config, type);
    try {
      const retries = { count: 0 };
      step = performance.now();
      const floorWarm = await drive(
        'floor',
        tills,
        seeded.products,
        maxC,
        options.warmup,
        120,
        1,
        (till, cart) => floorOnce(pool, till, cart, config.timeZone, retries),
        pids,
      );
      console.log(
        `  floor warm-up ${floorWarm.count} checkouts in ${seconds(step)} s, failed: ${failures(floorWarm)}`,
      );
      const counter = await createConnection({
        host: config.database.host,
        port: config.database.port,
        socketPath: config.database.socketPath,
        user: config.database.username,
        password: config.database.password,
      });
      try {
        const countTill = tills[0];
        for (const lines of [1, 8]) {
          const next = random(100 + lines);
          let own = 0;
          let roundTrips = 0;
          const counts = await countStatements(counter, async () => {
            const outcome = await floorOnce(
              pool,
              countTill,
              cartFor(countTill, seeded.products, next, lines),
              config.timeZone,
              retries,
            );
            if (outcome.status !== 'ok')
              throw new Error(`count checkout: ${JSON.stringify(outcome)}`);
            own = outcome.statements ?? 0;
            roundTrips = outcome.roundTrips ?? 0;
          });
          statementCounts.push(
            `floor ${lines}-line cart: ${own} sent in ${roundTrips} round trips; ` +
              `the server saw ${describeCounts(counts)}; ` +
              `the app sends ${(appQuestions.get(lines) ?? 0) - own} more`,
          );
        }
      } finally {
        await counter.end().catch(() => undefined);
      }
      for (const concurrency of options.concurrency) {
        const phase = await drive(
          'floor',
          tills,
          seeded.products,
          concurrency,
          options.count,
          options.seconds,
          1000 + concurrency,
          (till, cart) => floorOnce(pool, till, cart, config.timeZone, retries),
          pids,
        );
        phases.push(phase);
        printPhase(phase);
      }
      console.log(`  floor        deadlock/lock-timeout retries: ${retries.count}`);
    } finally {
      await pool.end();
    }

    // 6. the ledgers
    step = performance.now();
    const stock = await findStockLedgerMismatches(dataSource.manager);
    const points = await findPointsLedgerMismatches(dataSource.manager);
    const [totals] = await dataSource.query<
      { redemptions: string; lineCount: string; movements: string; households: string }[]
    >(
      `SELECT (SELECT COUNT(*) FROM redemptions) AS redemptions,
              (SELECT COUNT(*) FROM redemption_lines) AS lineCount,
              (SELECT COUNT(*) FROM stock_movements WHERE kind = 'redemption_out') AS movements,
              (SELECT COUNT(*) FROM households) AS households`,
    );
    const expected = phases.reduce((sum, phase) => sum + succeeded(phase), 0);

    // summary
    console.log('');
    console.log('summary (checkouts/s counts 201s or committed floor transactions; latency in ms)');
    console.log(
      '  path   C   checkouts  seconds  checkouts/s    p50    p95    p99     max  failed',
    );
    for (const phase of phases) {
      const l = phase.latencies;
      console.log(
        `  ${phase.path.padEnd(5)} ${pad(phase.concurrency, 2)}  ${pad(phase.count, 10)}  ` +
          `${pad(phase.seconds.toFixed(1), 7)}  ${pad((succeeded(phase) / phase.seconds).toFixed(1), 11)}  ` +
          `${pad(percentile(l, 50).toFixed(1), 5)}  ${pad(percentile(l, 95).toFixed(1), 5)}  ` +
          `${pad(percentile(l, 99).toFixed(1), 5)}  ${pad((l.at(-1) ?? 0).toFixed(1), 6)}  ${failures(phase)}`,
      );
    }
    for (const concurrency of options.concurrency) {
      const app = phases.find((p) => p.path === 'app' && p.concurrency === concurrency);
      const floor = phases.find((p) => p.path === 'floor' && p.concurrency === concurrency);
      if (!app || !floor) continue;
      const ratio = succeeded(app) / app.seconds / (succeeded(floor) / floor.seconds);
      console.log(
        `  app/floor throughput at C=${concurrency}: ${ratio.toFixed(2)} ` +
          `(p50 ${(percentile(app.latencies, 50) / percentile(floor.latencies, 50)).toFixed(1)}× the floor's)`,
      );
    }
    console.log(
      '  statements per checkout (MariaDB global Questions around one checkout on a quiet server):',
    );
    for (const line of statementCounts) console.log(`    ${line}`);
    console.log(
      `  ledgers      stock: ${seeded.lots} lots, ${stock.length} mismatches; ` +
        `points: ${Number(totals?.households)} households, ${points.length} mismatches ` +
        `(${seconds(step)} s)`,
    );
    console.log(
      `  rows         ${Number(totals?.redemptions)} redemptions (measured runs ${expected} + ` +
        `warm-ups and counting), ${Number(totals?.lineCount)} lines, ` +
        `${Number(totals?.movements)} redemption_out movements`,
    );
    console.log(`  total        ${seconds(runStarted)} s`);
    if (stock.length > 0 || points.length > 0) process.exitCode = 1;
  } finally {
    if (api) await stopProcess(api);
    process.removeListener('exit', killApi);
    await dataSource.destroy();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exit(1);
});
