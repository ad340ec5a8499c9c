import { DEMO_STORES } from './demo-county';
import { demoHomeStore, demoHouseholds } from './demo-households';
import { demoHistoryMonths, planDemoPoints } from './demo-points';
import { DEMO_PRODUCTS } from './demo-products';
import {
  planDemoRedemptions,
  type DemoShelfProduct,
  type DemoTillHousehold,
  type PlannedRedemption,
} from './demo-redemptions';

describe('demo redemptions', () => {
  const months = demoHistoryMonths('2026-05-12');
  const households: DemoTillHousehold[] = demoHouseholds().map((demo) => ({
    demo,
    balance: planDemoPoints(demo, months).reduce((sum, entry) => sum + entry.points, 0),
  }));
  const products: DemoShelfProduct[] = DEMO_PRODUCTS.map((p, index) => ({
    id: index + 1,
    name: p.name,
    category: p.category,
    pointPrice: p.pointPrice,
    monthlyLimitPerHousehold: p.monthlyLimitPerHousehold ?? null,
  }));
  // the opening stock of loadDemoStock: the village shop has a smaller range and less of it
  const scale: Record<string, number> = { QS01: 4, QS02: 2, QS03: 2, QS04: 1 };
  const shelves = new Map(
    DEMO_STORES.map((store) => [
      store.code,
      new Map(
        products.flatMap((p, index) =>
          store.code === 'QS04' && index % 3 === 2
            ? []
            : [[p.id, (5 + (index % 6) * 3) * (scale[store.code] ?? 1)] as const],
        ),
      ),
    ]),
  );
  const plan = planDemoRedemptions(households, products, shelves);
  const price = (id: number) => products.find((p) => p.id === id)?.pointPrice ?? NaN;

  it('plans the same 60–90 checkouts of 1–4 lines at every store each time', () => {
    expect(planDemoRedemptions(households, products, shelves)).toEqual(plan);
    expect(plan.length).toBeGreaterThanOrEqual(60);
    expect(plan.length).toBeLessThanOrEqual(90);
    for (const cart of plan) {
      expect(cart.lines.length).toBeGreaterThanOrEqual(1);
      expect(cart.lines.length).toBeLessThanOrEqual(4);
      expect(new Set(cart.lines.map((line) => line.productId)).size).toBe(cart.lines.length);
      expect(cart.points).toBe(
        cart.lines.reduce((sum, line) => sum + line.quantity * price(line.productId), 0),
      );
    }
    for (const store of DEMO_STORES) {
      expect(plan.filter((cart) => cart.store === store.code).length).toBeGreaterThanOrEqual(10);
    }
  });

  it('serves active households at their own store, a few at a second one too', () => {
    for (const cart of plan) expect(households[cart.household]?.demo.status).toBe('active');
    const stores = new Map<number, Set<string>>();
    for (const cart of plan) {
      stores.set(cart.household, (stores.get(cart.household) ?? new Set()).add(cart.store));
    }
    const atTwo = [...stores.entries()].filter(([, codes]) => codes.size === 2);
    expect(atTwo.length).toBeGreaterThanOrEqual(3);
    for (const [index, codes] of atTwo) {
      const home = demoHomeStore(households[index]?.demo.village ?? '');
      expect(codes).toContain(home);
    }
    for (const cart of plan.filter((c) => stores.get(c.household)?.size === 1)) {
      expect(cart.store).toBe(demoHomeStore(households[cart.household]?.demo.village ?? ''));
    }
  });

  it('stays within each household’s points, each store’s shelves and the monthly limits', () => {
    const spent = new Map<number, number>();
    const units = new Map<string, number>();
    for (const cart of plan) {
      spent.set(cart.household, (spent.get(cart.household) ?? 0) + cart.points);
      for (const line of cart.lines) {
        const shelf = `${cart.store}/${line.productId}`;
        const taken = `${cart.household}/${line.productId}`;
        units.set(shelf, (units.get(shelf) ?? 0) + line.quantity);
        units.set(taken, (units.get(taken) ?? 0) + line.quantity);
      }
    }
    for (const [index, points] of spent) {
      expect(points).toBeLessThanOrEqual(households[index]?.balance ?? 0);
    }
    for (const store of DEMO_STORES) {
      for (const [id, quantity] of shelves.get(store.code) ?? []) {
        expect(units.get(`${store.code}/${id}`) ?? 0).toBeLessThanOrEqual(quantity);
      }
    }
    const offShelf = plan.flatMap((cart) =>
      cart.lines.filter((line) => !shelves.get(cart.store)?.has(line.productId)),
    );
    expect(offShelf).toEqual([]);
    for (const product of products.filter((p) => p.monthlyLimitPerHousehold !== null)) {
      for (const index of spent.keys()) {
        expect(units.get(`${index}/${product.id}`) ?? 0).toBeLessThanOrEqual(
          product.monthlyLimitPerHousehold ?? 0,
        );
      }
    }
  });

  it('delivers to five households living alone, one delivery cancelled, and voids one pickup', () => {
    const deliveries = plan.filter((cart) => cart.delivery);
    const outcomes = (carts: PlannedRedemption[]) => carts.map((cart) => cart.delivery?.outcome);
    expect(outcomes(deliveries).sort()).toEqual([
      'awaiting',
      'cancelled',
      'delivered',
      'delivered',
      'delivered',
    ]);
    for (const cart of deliveries) {
      const demo = households[cart.household]?.demo;
      expect(cart.delivery?.address).toBe(demo?.address);
      expect(['wubao', 'tekun']).toContain(demo?.category);
      expect(cart.voidReason).toBeNull();
    }
    const voided = plan.filter((cart) => cart.voidReason);
    expect(voided).toHaveLength(1);
    expect(voided[0]?.delivery).toBeNull();
  });
});
