import { nextTick } from 'vue';
import { MAX_QUANTITY, type ScannedProduct } from './till';
import { useTillCart } from './use-till-cart';

const rice: ScannedProduct = {
  id: 7,
  name: '大米 5kg',
  unit: '袋',
  pointPrice: 30,
  active: true,
  monthlyLimitPerHousehold: null,
};
const oil: ScannedProduct = { ...rice, id: 8, name: '食用油', pointPrice: 45 };

// the browser's sessionStorage, which the till keeps its cart in
const kept = new Map<string, string>();
Object.assign(globalThis, {
  sessionStorage: {
    getItem: (key: string) => kept.get(key) ?? null,
    setItem: (key: string, value: string) => kept.set(key, value),
    removeItem: (key: string) => kept.delete(key),
  },
});

describe('useTillCart', () => {
  beforeEach(() => kept.clear());

  it('adds a product scanned again to its line, never past the most one line may hold', () => {
    const till = useTillCart(1, false);
    till.addProduct(rice, 2);
    till.addProduct(oil, 1);
    till.addProduct(rice, 3);
    expect(till.cart.lines.map((line) => [line.name, line.quantity])).toEqual([
      ['大米 5kg', 5],
      ['食用油', 1],
    ]);
    expect(till.pointsTotal.value).toBe(5 * 30 + 45);
    expect(till.recent.value).toBe(rice.id);

    till.addProduct(oil, MAX_QUANTITY);
    till.setQuantity(till.cart.lines[0], 0);
    expect(till.cart.lines.map((line) => line.quantity)).toEqual([1, MAX_QUANTITY]);
  });

  it('makes a changed cart a new checkout: the idempotency key of the old one goes', async () => {
    const till = useTillCart(1, false);
    till.cart.cardNo = 'H0000000001';
    till.addProduct(rice, 1);
    await nextTick();
    till.cart.idempotencyKey = 'key-of-first-confirm';
    await nextTick();
    expect(till.cart.idempotencyKey).toBe('key-of-first-confirm');

    till.removeLine(till.cart.lines[0]);
    await nextTick();
    expect(till.cart.idempotencyKey).toBeNull();
  });

  it('sends the override reason only for a store manager, and the address only for delivery', () => {
    const clerk = useTillCart(1, false);
    const manager = useTillCart(1, true);
    for (const till of [clerk, manager]) {
      till.cart.limitOverrideReason = ' 家中有病人 ';
      till.cart.deliveryAddress = '东村 3 组';
    }
    expect(clerk.requestBody.value.limitOverrideReason).toBeUndefined();
    expect(manager.requestBody.value.limitOverrideReason).toBe('家中有病人');
    expect(manager.requestBody.value.deliveryAddress).toBeUndefined();
    manager.delivery.value = true;
    expect(manager.requestBody.value).toMatchObject({
      fulfilment: 'delivery',
      deliveryAddress: '东村 3 组',
    });
  });

  it('keeps the cart over a reload, and forgets it once cleared', async () => {
    const first = useTillCart(1, false);
    first.cart.cardNo = 'H0000000001';
    first.addProduct(rice, 2);
    await nextTick();
    const reloaded = useTillCart(1, false);
    expect(reloaded.cart.cardNo).toBe('H0000000001');
    expect(reloaded.cart.lines).toHaveLength(1);

    reloaded.clear();
    await nextTick();
    expect(useTillCart(1, false).cart.lines).toEqual([]);
  });
});
