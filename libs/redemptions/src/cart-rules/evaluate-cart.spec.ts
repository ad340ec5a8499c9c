import { type Cart, type CartPolicy, type FoundProduct, type MonthUsage } from './cart';
import { evaluateCart, type CartHousehold, type CartInput } from './evaluate-cart';
import { everyProblem, firstProblem, type CartProblem } from './problems';

// Plain data in, problems out: no database, the same rules the till runs offline.

const rice = found({ id: 1, name: '大米 5kg', pointPrice: 30 }, { available: 10 });
const oil = found({ id: 2, name: '菜籽油 1L', pointPrice: 20 }, { available: 10 });

function found(
  product: Partial<FoundProduct['product']> & { id: number; name: string },
  { available = 10, categoryLimit = null as number | null, categoryId = 100 } = {},
): FoundProduct {
  return {
    product: {
      categoryId,
      unit: '袋',
      pointPrice: 10,
      monthlyLimitPerHousehold: null,
      active: true,
      ...product,
    },
    category: { id: categoryId, name: '粮油', monthlyLimitPerHousehold: categoryLimit },
    available,
  };
}

const household: CartHousehold = {
  id: 7,
  cardNo: 'AX0007',
  status: 'active',
  balance: 500,
  address: null,
};

const noUsage = (): MonthUsage => ({ products: new Map(), categories: new Map(), visits: 0 });
const policy: CartPolicy = { monthlyVisitLimit: null, exitedMaySpend: false };

/** A cart of (product, quantity) lines, each found as given unless a line says otherwise. */
function evaluate(
  lines: [FoundProduct | null, number][],
  overrides: Partial<Omit<CartInput, 'cart'>> & { cart?: Partial<Cart> } = {},
) {
  const { cart, ...rest } = overrides;
  return evaluateCart({
    cart: {
      storeId: 1,
      cardNo: household.cardNo,
      lines: lines.map(([product, quantity]) => ({
        productId: product?.product.id ?? 99,
        quantity,
      })),
      ...cart,
    },
    household,
    products: lines.map(([product]) => product),
    spendable: 500,
    usage: noUsage(),
    policy,
    mayOverrideLimits: false,
    ...rest,
  });
}

const codes = (problems: CartProblem[]) => problems.map((problem) => problem.code);

describe('evaluateCart', () => {
  it('prices a cart with nothing wrong and says what the shelf holds', () => {
    const result = evaluate([
      [rice, 2],
      [oil, 1],
    ]);
    expect(result.ok).toBe(true);
    expect(result.pointsTotal).toBe(80);
    expect(result.balanceAfter).toBe(420);
    expect(result.lines.map((line) => [line.name, line.points, line.available])).toEqual([
      ['大米 5kg', 60, 10],
      ['菜籽油 1L', 20, 10],
    ]);
    expect(everyProblem(result)).toEqual([]);
  });

  it('names an unknown barcode and an unknown product id on their lines', () => {
    const result = evaluateCart({
      cart: {
        storeId: 1,
        cardNo: household.cardNo,
        lines: [
          { barcode: '6900000000001', quantity: 1 },
          { productId: 404, quantity: 1 },
        ],
      },
      household,
      products: [null, null],
      spendable: 500,
      usage: noUsage(),
      policy,
      mayOverrideLimits: false,
    });
    expect(result.ok).toBe(false);
    expect(result.lines[0]?.problems).toEqual([
      {
        code: 'UNKNOWN_BARCODE',
        message: '条码“6900000000001”没有对应的商品',
        details: { barcode: '6900000000001' },
      },
    ]);
    expect(result.lines[1]?.problems).toEqual([
      {
        code: 'NOT_FOUND',
        message: '商品不存在（ID 404）',
        details: { entity: 'product', id: '404' },
      },
    ]);
  });

  it('refuses a product that is no longer handed out', () => {
    const stopped = found({ id: 3, name: '旧货', active: false });
    const result = evaluate([[stopped, 1]]);
    expect(result.lines[0]?.problems).toEqual([
      {
        code: 'PRODUCT_INACTIVE',
        message: '商品“旧货”已停用，不能兑换',
        details: { productId: 3, name: '旧货' },
      },
    ]);
  });

  it('checks stock against the lines of one product together, on the first of them', () => {
    const scarce = found({ id: 1, name: '大米 5kg' }, { available: 5 });
    const result = evaluate([
      [scarce, 3],
      [oil, 1],
      [scarce, 3],
    ]);
    expect(result.lines[0]?.problems).toEqual([
      {
        code: 'INSUFFICIENT_STOCK',
        message: '大米 5kg：库存只剩 5，不够 6',
        details: { productId: 1, name: '大米 5kg', requested: 6, available: 5 },
      },
    ]);
    expect(result.lines[2]?.problems).toEqual([]);
    expect(result.items.map((item) => [item.product.id, item.quantity, item.line])).toEqual([
      [1, 6, 1],
      [2, 1, 2],
    ]);
    expect(evaluate([[scarce, 5]]).ok).toBe(true);
  });

  it("keeps a product's monthly limit, counting what was taken this month", () => {
    const limited = found({ id: 1, name: '大米 5kg', monthlyLimitPerHousehold: 2 });
    const usage = { ...noUsage(), products: new Map([[1, 1]]) };
    expect(evaluate([[limited, 1]], { usage }).ok).toBe(true);
    const result = evaluate([[limited, 2]], { usage });
    expect(result.lines[0]?.problems).toEqual([
      {
        code: 'LIMIT_EXCEEDED',
        message: '“大米 5kg”每户每月限兑 2，本月已兑 1，本次 2',
        details: {
          limit: 'product',
          productId: 1,
          name: '大米 5kg',
          used: 1,
          requested: 2,
          allowed: 2,
        },
      },
    ]);
  });

  it("keeps a category's monthly limit across its products, said once on the first line", () => {
    const grain = { categoryId: 100, categoryLimit: 3 };
    const rice3 = found({ id: 1, name: '大米 5kg' }, grain);
    const flour = found({ id: 4, name: '面粉 5kg' }, grain);
    const usage = { ...noUsage(), categories: new Map([[100, 1]]) };
    expect(
      evaluate(
        [
          [rice3, 1],
          [flour, 1],
        ],
        { usage },
      ).ok,
    ).toBe(true);
    const result = evaluate(
      [
        [rice3, 1],
        [flour, 2],
      ],
      { usage },
    );
    expect(result.lines[0]?.problems).toEqual([
      {
        code: 'LIMIT_EXCEEDED',
        message: '“粮油”类商品每户每月限兑 3，本月已兑 1，本次 3',
        details: {
          limit: 'category',
          categoryId: 100,
          name: '粮油',
          used: 1,
          requested: 3,
          allowed: 3,
        },
      },
    ]);
    expect(result.lines[1]?.problems).toEqual([]);
  });

  it('keeps the monthly visits limit: this checkout is one more 人次', () => {
    const limitedPolicy = { ...policy, monthlyVisitLimit: 2 };
    expect(
      evaluate([[rice, 1]], { policy: limitedPolicy, usage: { ...noUsage(), visits: 1 } }).ok,
    ).toBe(true);
    const result = evaluate([[rice, 1]], {
      policy: limitedPolicy,
      usage: { ...noUsage(), visits: 2 },
    });
    expect(result.problems).toEqual([
      {
        code: 'LIMIT_EXCEEDED',
        message: '每户每月最多兑换 2 次，本月已兑换 2 次',
        details: { limit: 'visits', used: 2, requested: 1, allowed: 2 },
      },
    ]);
  });

  it('spends no more than the household may spend today', () => {
    expect(evaluate([[rice, 2]], { spendable: 60 }).ok).toBe(true);
    const result = evaluate([[rice, 2]], { spendable: 59 });
    expect(result.problems).toEqual([
      {
        code: 'INSUFFICIENT_POINTS',
        message: '积分不足：可用 59 分，需要 60 分',
        details: { householdId: 7, balance: 59, needed: 60 },
      },
    ]);
  });

  describe("a manager's override", () => {
    const limited = found(
      { id: 1, name: '大米 5kg', monthlyLimitPerHousehold: 1 },
      { available: 1 },
    );
    const overLimits = {
      usage: { ...noUsage(), products: new Map([[1, 1]]), visits: 4 },
      policy: { ...policy, monthlyVisitLimit: 4 },
      spendable: 10,
    };

    it('lets the checkout past its limits, and only its limits', () => {
      const result = evaluate([[limited, 2]], {
        ...overLimits,
        mayOverrideLimits: true,
        cart: { limitOverrideReason: '家中有病人' },
      });
      expect(codes(everyProblem(result))).toEqual(['INSUFFICIENT_POINTS', 'INSUFFICIENT_STOCK']);
    });

    it('needs both the reason and someone who may give it', () => {
      const clerk = evaluate([[limited, 2]], {
        ...overLimits,
        cart: { limitOverrideReason: '家中有病人' },
      });
      const noReason = evaluate([[limited, 2]], { ...overLimits, mayOverrideLimits: true });
      for (const result of [clerk, noReason]) {
        expect(codes(everyProblem(result))).toEqual([
          'LIMIT_EXCEEDED',
          'INSUFFICIENT_POINTS',
          'INSUFFICIENT_STOCK',
          'LIMIT_EXCEEDED',
        ]);
      }
    });
  });

  describe("the household's status", () => {
    it('refuses a suspended household as data the till can show', () => {
      const result = evaluate([[rice, 1]], { household: { ...household, status: 'suspended' } });
      expect(result.problems).toEqual([
        {
          code: 'HOUSEHOLD_INACTIVE',
          message: '该户状态为“暂停”，不能获得或使用积分',
          details: { householdId: 7, cardNo: 'AX0007', status: 'suspended' },
        },
      ]);
    });

    it('lets an exited household spend what it holds only when the policy allows it', () => {
      const exited = { ...household, status: 'exited' as const };
      expect(codes(evaluate([[rice, 1]], { household: exited }).problems)).toEqual([
        'HOUSEHOLD_INACTIVE',
      ]);
      expect(
        evaluate([[rice, 1]], { household: exited, policy: { ...policy, exitedMaySpend: true } })
          .ok,
      ).toBe(true);
    });
  });

  describe('the delivery address', () => {
    const delivery = { fulfilment: 'delivery' as const };

    it('is needed for a delivery when the household has none registered', () => {
      const result = evaluate([[rice, 1]], { cart: delivery });
      expect(result.problems).toEqual([
        {
          code: 'VALIDATION_FAILED',
          message: '上门服务需要填写送货地址（该户未登记地址）',
          details: {
            fields: [
              {
                field: 'deliveryAddress',
                constraints: ['required'],
                messages: ['address required'],
              },
            ],
          },
        },
      ]);
    });

    it("is the clerk's, else the registered one; a pickup needs none", () => {
      expect(
        evaluate([[rice, 1]], { cart: { ...delivery, deliveryAddress: '东村 3 组' } }).ok,
      ).toBe(true);
      expect(
        evaluate([[rice, 1]], { cart: delivery, household: { ...household, address: '西村 1 号' } })
          .ok,
      ).toBe(true);
      expect(evaluate([[rice, 1]], { cart: { fulfilment: 'pickup' } }).ok).toBe(true);
    });
  });
});

describe('firstProblem', () => {
  it('names the most basic problem first: household, goods, limits, stock, points, address', () => {
    const stopped = found({ id: 3, name: '旧货', active: false }, { available: 0 });
    const limited = found(
      { id: 1, name: '大米 5kg', monthlyLimitPerHousehold: 0 },
      { available: 0 },
    );
    const everything = (changes: Partial<Omit<CartInput, 'cart'>> & { cart?: Partial<Cart> }) =>
      firstProblem(
        everyProblem(
          evaluate(
            [
              [limited, 1],
              [stopped, 1],
              [null, 1],
            ],
            { spendable: 0, cart: { fulfilment: 'delivery' }, ...changes },
          ),
        ),
      )?.code;
    expect(everything({ household: { ...household, status: 'suspended' } })).toBe(
      'HOUSEHOLD_INACTIVE',
    );
    expect(everything({})).toBe('NOT_FOUND');
    const ranked = firstProblem(
      everyProblem(evaluate([[limited, 1]], { spendable: 0, cart: { fulfilment: 'delivery' } })),
    );
    expect(ranked?.code).toBe('LIMIT_EXCEEDED');
    const noLimit = found({ id: 1, name: '大米 5kg' }, { available: 0 });
    const order = [
      evaluate([[noLimit, 1]], { spendable: 0, cart: { fulfilment: 'delivery' } }),
      evaluate([[rice, 1]], { spendable: 0, cart: { fulfilment: 'delivery' } }),
      evaluate([[rice, 1]], { cart: { fulfilment: 'delivery' } }),
    ].map((result) => firstProblem(everyProblem(result))?.code);
    expect(order).toEqual(['INSUFFICIENT_STOCK', 'INSUFFICIENT_POINTS', 'VALIDATION_FAILED']);
    expect(firstProblem([])).toBeUndefined();
  });

  it('keeps the order of problems of equal rank: the first line scanned wins', () => {
    const a = found({ id: 1, name: '甲' }, { available: 0 });
    const b = found({ id: 2, name: '乙' }, { available: 0 });
    const first = firstProblem(
      everyProblem(
        evaluate([
          [a, 1],
          [b, 1],
        ]),
      ),
    );
    expect(first?.details).toMatchObject({ name: '甲' });
  });
});
