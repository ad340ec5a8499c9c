import { businessDate, DomainError, USER_ALREADY_CHECKED, type Actor } from '@charity/common';
import { Household } from '@charity/households';
import type { CatalogueProduct } from '@charity/inventory';
import type { RedemptionsService } from '@charity/redemptions';
import type { DataSource } from 'typeorm';
import { DEMO_STORES } from './demo-county';
import { demoHomeStore, type DemoHousehold, type LoadedDemoHousehold } from './demo-households';
import { DemoRandom } from './demo-random';

/** Every fresh install plans the same month at the till from this seed. */
export const DEMO_REDEMPTION_SEED = 0x7d1e5a3b;

/** Households of its own villages each store serves this month. */
export const DEMO_STORE_VISITS: readonly (readonly [string, number])[] = [
  ['QS01', 24],
  ['QS02', 24],
  ['QS03', 12],
  ['QS04', 14],
];

/**
 * Households that also shop at a second store: 王庄村 people at the 柳河镇 town shop on market
 * day, 石门乡 people at the county shop when they are in town anyway.
 */
const SECOND_STORE_VISITS: readonly (readonly [from: string, to: string, count: number])[] = [
  ['QS04', 'QS03', 3],
  ['QS02', 'QS01', 2],
];

type DeliveryOutcome = 'delivered' | 'awaiting' | 'cancelled';

/** 送货上门 by the store's van, for old people living alone: store and how each one ends. */
const DELIVERIES: readonly (readonly [string, DeliveryOutcome])[] = [
  ['QS01', 'delivered'],
  ['QS01', 'awaiting'],
  ['QS02', 'delivered'],
  ['QS02', 'cancelled'],
  ['QS03', 'delivered'],
];

const DELIVERY_NOTES = ['独居老人，行动不便', '腿脚不便，请送到屋里', '耳背，请多敲门'];
const CANCEL_REASON = '户主住院，家属来电本月不用送了';
const VOID_REASON = '顾客当场退回，改日再来兑换';

/** Shelves by how often a household reaches for them; school things and baby goods by need. */
const SHELF_WEIGHTS: Record<string, number> = {
  粮油: 5,
  副食: 4,
  日用品: 4,
  衣物: 1,
  家电: 0.3,
  学习用品: 1,
  母婴: 0.5,
};

/** The least a household holds for it to come to the till this month. */
const MIN_BALANCE = 20;

export interface DemoShelfProduct {
  id: number;
  name: string;
  /** Category name, as in DEMO_CATEGORIES. */
  category: string;
  pointPrice: number;
  monthlyLimitPerHousehold: number | null;
}

export interface DemoTillHousehold {
  demo: DemoHousehold;
  /** Points the household holds now (the demo never lets them expire). */
  balance: number;
}

export interface PlannedRedemption {
  store: string;
  /** Position of the household in the list planned from. */
  household: number;
  lines: { productId: number; quantity: number }[];
  points: number;
  delivery: { address: string; note: string; outcome: DeliveryOutcome } | null;
  /** Voided by the store manager right away. */
  voidReason: string | null;
}

/**
 * The current month at the till: each store serves a share of its own villages' active
 * households, a few of them at a second store as well, five by delivery and one voided. Carts
 * hold 1–4 products the store has on its shelves (`shelves`: units by store code and product id)
 * within the household's points and monthly limits, so a checkout is refused only if something
 * changed between planning and the till. Voids are not credited back: the plan stays on the
 * safe side.
 */
export function planDemoRedemptions(
  households: readonly DemoTillHousehold[],
  products: readonly DemoShelfProduct[],
  shelves: ReadonlyMap<string, ReadonlyMap<number, number>>,
  seed = DEMO_REDEMPTION_SEED,
): PlannedRedemption[] {
  const random = new DemoRandom(seed);
  const stock = new Map([...shelves].map(([store, units]) => [store, new Map(units)]));
  const balances = households.map((h) => h.balance);
  const taken = households.map(() => new Map<number, number>());
  const planned: PlannedRedemption[] = [];

  const basket = (store: string, index: number): PlannedRedemption | null => {
    const household = households[index];
    const onShelf = stock.get(store);
    const used = taken[index];
    if (!household || !onShelf || !used) return null;
    const balance = balances[index] ?? 0;
    let budget = Math.floor(balance * (0.35 + 0.5 * random.next()));
    const lineCount = random.weighted([
      [1, 2],
      [2, 4],
      [3, 3],
      [4, 2],
    ] as const);
    const children = household.demo.memberCount >= 3;
    const lines: PlannedRedemption['lines'] = [];
    for (let i = 0; i < lineCount; i += 1) {
      const fits = products.filter(
        (p) =>
          p.pointPrice <= budget &&
          (onShelf.get(p.id) ?? 0) > 0 &&
          (p.monthlyLimitPerHousehold === null ||
            (used.get(p.id) ?? 0) < p.monthlyLimitPerHousehold) &&
          !lines.some((line) => line.productId === p.id) &&
          (children || (p.category !== '学习用品' && p.category !== '母婴')),
      );
      const shelvesWithGoods = [...new Set(fits.map((p) => p.category))];
      if (shelvesWithGoods.length === 0) break;
      const shelf = random.weighted(
        shelvesWithGoods.map((name) => [name, SHELF_WEIGHTS[name] ?? 1] as const),
      );
      const product = random.pick(fits.filter((p) => p.category === shelf));
      const room = Math.min(
        onShelf.get(product.id) ?? 0,
        Math.floor(budget / product.pointPrice),
        (product.monthlyLimitPerHousehold ?? Infinity) - (used.get(product.id) ?? 0),
      );
      // cheap everyday goods are often taken two at a time
      const quantity = product.pointPrice <= 15 && room >= 2 && random.chance(0.35) ? 2 : 1;
      lines.push({ productId: product.id, quantity });
      budget -= quantity * product.pointPrice;
      onShelf.set(product.id, (onShelf.get(product.id) ?? 0) - quantity);
      used.set(product.id, (used.get(product.id) ?? 0) + quantity);
    }
    if (lines.length === 0) return null;
    const points = lines.reduce(
      (sum, line) =>
        sum + line.quantity * (products.find((p) => p.id === line.productId)?.pointPrice ?? 0),
      0,
    );
    balances[index] = balance - points;
    return { store, household: index, lines, points, delivery: null, voidReason: null };
  };

  const served = new Map<string, number[]>();
  for (const [store, visits] of DEMO_STORE_VISITS) {
    const own = households.flatMap((h, index) =>
      h.demo.status === 'active' &&
      h.balance >= MIN_BALANCE &&
      demoHomeStore(h.demo.village) === store
        ? [index]
        : [],
    );
    const chosen = random.shuffle(own).slice(0, visits);
    // the van goes to those who live alone and are least able to come in
    const deliveries = DELIVERIES.filter(([code]) => code === store).map(([, outcome]) => outcome);
    const need = (index: number): number => {
      const demo = households[index]?.demo;
      if (!demo) return 0;
      return (
        (demo.category === 'wubao' || demo.category === 'tekun' ? 2 : 0) +
        (demo.memberCount === 1 ? 1 : 0)
      );
    };
    const neediest = [...chosen].sort((a, b) => need(b) - need(a));
    const delivered = new Map(
      neediest.slice(0, deliveries.length).map((index, i) => [index, deliveries[i]]),
    );
    const carts: PlannedRedemption[] = [];
    for (const index of chosen) {
      const cart = basket(store, index);
      if (!cart) continue;
      const outcome = delivered.get(index);
      const demo = households[index]?.demo;
      if (outcome && demo) {
        cart.delivery = { address: demo.address, note: random.pick(DELIVERY_NOTES), outcome };
      }
      carts.push(cart);
    }
    // the county shop's manager voids one pickup of the day
    const voided = store === 'QS01' ? carts.filter((cart) => !cart.delivery)[3] : undefined;
    if (voided) voided.voidReason = VOID_REASON;
    planned.push(...carts);
    served.set(
      store,
      carts.filter((cart) => !cart.delivery).map((cart) => cart.household),
    );
  }

  for (const [from, to, count] of SECOND_STORE_VISITS) {
    const again = random
      .shuffle(served.get(from) ?? [])
      .filter((index) => (balances[index] ?? 0) >= MIN_BALANCE);
    let added = 0;
    for (const index of again) {
      if (added === count) break;
      const cart = basket(to, index);
      if (!cart) continue;
      planned.push(cart);
      added += 1;
    }
  }
  return planned;
}

export interface DemoRedemptionsRun {
  checkouts: number;
  /** Carts the till refused (none, unless the plan and the shelves disagree). */
  refused: number;
  deliveries: number;
  delivered: number;
  cancelled: number;
  voided: number;
}

/**
 * This month at the till, through RedemptionsService as the stores' clerks ring it up: checkouts
 * (points debited soonest-expiry first, goods taken FEFO, gapless receipt numbers), deliveries
 * the clerk later marks delivered, one the manager cancels and one pickup the manager voids.
 * A refusal skips that cart; it never stops the bootstrap. Receipts are left for the download to
 * render, as for the demo donations.
 */
export async function loadDemoRedemptions(
  dataSource: DataSource,
  redemptions: RedemptionsService,
  loaded: readonly LoadedDemoHousehold[],
  staff: { clerks: Map<string, Actor>; managers: Map<number, Actor> },
  products: Map<string, CatalogueProduct>,
  timeZone: string,
): Promise<DemoRedemptionsRun> {
  const balances = new Map(
    (await dataSource.manager.find(Household, { select: { id: true, balance: true } })).map((h) => [
      h.id,
      h.balance,
    ]),
  );
  const households = loaded.map(({ demo, household }) => ({
    demo,
    balance: balances.get(household.id) ?? 0,
  }));
  const catalogue = [...products.values()].map((p) => ({
    id: p.id,
    name: p.name,
    category: p.category.name,
    pointPrice: p.pointPrice,
    monthlyLimitPerHousehold: p.monthlyLimitPerHousehold,
  }));
  const plan = planDemoRedemptions(
    households,
    catalogue,
    await demoShelves(dataSource, businessDate(new Date(), timeZone)),
  );

  const run: DemoRedemptionsRun = {
    checkouts: 0,
    refused: 0,
    deliveries: 0,
    delivered: 0,
    cancelled: 0,
    voided: 0,
  };
  const followUps: { id: number; cart: PlannedRedemption }[] = [];
  for (const [n, cart] of plan.entries()) {
    const clerk = staff.clerks.get(cart.store);
    const household = loaded[cart.household];
    if (!clerk?.storeId || !household) continue;
    const id = await refusedAsNull(async () => {
      const { redemption } = await redemptions.checkout(
        clerk,
        {
          storeId: clerk.storeId ?? 0,
          cardNo: household.household.cardNo,
          lines: cart.lines,
          ...(cart.delivery
            ? {
                fulfilment: 'delivery' as const,
                deliveryAddress: cart.delivery.address,
                deliveryNote: cart.delivery.note,
              }
            : {}),
        },
        `demo:${cart.store}:${String(n + 1).padStart(3, '0')}`,
        USER_ALREADY_CHECKED,
      );
      return redemption.id;
    });
    if (id === null) {
      run.refused += 1;
      continue;
    }
    run.checkouts += 1;
    if (cart.delivery) run.deliveries += 1;
    if (cart.delivery || cart.voidReason) followUps.push({ id, cart });
  }

  for (const { id, cart } of followUps) {
    const clerk = staff.clerks.get(cart.store);
    const manager = clerk?.storeId ? staff.managers.get(clerk.storeId) : undefined;
    const household = loaded[cart.household];
    if (!clerk || !manager || !household) continue;
    if (cart.voidReason) {
      const reason = cart.voidReason;
      if (await refusedAsNull(() => redemptions.void(manager, id, reason))) run.voided += 1;
    } else if (cart.delivery?.outcome === 'delivered') {
      const receivedBy = household.demo.headName;
      if (await refusedAsNull(() => redemptions.markDelivered(clerk, id, { receivedBy }))) {
        run.delivered += 1;
      }
    } else if (cart.delivery?.outcome === 'cancelled') {
      if (await refusedAsNull(() => redemptions.cancelDelivery(manager, id, CANCEL_REASON))) {
        run.cancelled += 1;
      }
    }
  }
  return run;
}

/** Units each store can hand out today (unexpired lots), by store code and product id. */
async function demoShelves(
  dataSource: DataSource,
  today: string,
): Promise<Map<string, Map<number, number>>> {
  const rows = await dataSource.query<{ store: string; productId: number; quantity: string }[]>(
    `SELECT s.code AS store, l.product_id AS productId, SUM(l.quantity) AS quantity
       FROM stock_lots l JOIN stores s ON s.id = l.store_id
      WHERE l.quantity > 0 AND (l.expiry_date IS NULL OR l.expiry_date >= ?)
      GROUP BY s.code, l.product_id`,
    [today],
  );
  const shelves = new Map(DEMO_STORES.map((store) => [store.code, new Map<number, number>()]));
  for (const row of rows) {
    shelves.get(row.store)?.set(Number(row.productId), Number(row.quantity));
  }
  return shelves;
}

/** The service's answer, or null when it refused (a domain error); anything else is thrown. */
async function refusedAsNull<T>(action: () => Promise<T>): Promise<T | null> {
  try {
    return await action();
  } catch (error) {
    if (error instanceof DomainError) return null;
    throw error;
  }
}
