// Problems are data: the till shows them, and the checkout throws the first as its error class.

/** A household's standing as the cart rules see it (`HouseholdStatus` in @charity/households). */
export type CartHouseholdStatus = 'active' | 'suspended' | 'exited';

const STATUS_LABELS: Record<CartHouseholdStatus, string> = {
  active: '正常',
  suspended: '暂停',
  exited: '已脱贫',
};

export type LimitKind = 'product' | 'category' | 'visits';

/** One limit a checkout would break. */
export interface LimitProblem {
  limit: LimitKind;
  /** The product or category limited; absent for visits. */
  productId?: number;
  categoryId?: number;
  name?: string;
  /** Already taken this month (units, or checkouts for visits). */
  used: number;
  /** What this checkout adds. */
  requested: number;
  allowed: number;
}

/** One field a person must correct, as the api's validation errors name it. */
export interface FieldProblem {
  field: string;
  constraints: string[];
  messages: string[];
}

/** Everything that can stop a cart, each with the facts its error class carries. */
export type CartProblem =
  | {
      code: 'HOUSEHOLD_INACTIVE';
      message: string;
      details: { householdId: number; cardNo: string; status: CartHouseholdStatus };
    }
  | { code: 'UNKNOWN_BARCODE'; message: string; details: { barcode: string } }
  | { code: 'NOT_FOUND'; message: string; details: { entity: 'product'; id: string } }
  | { code: 'PRODUCT_INACTIVE'; message: string; details: { productId: number; name: string } }
  | { code: 'LIMIT_EXCEEDED'; message: string; details: LimitProblem }
  | {
      code: 'INSUFFICIENT_STOCK';
      message: string;
      details: { productId: number; name: string; requested: number; available: number };
    }
  | {
      code: 'INSUFFICIENT_POINTS';
      message: string;
      details: { householdId: number; balance: number; needed: number };
    }
  | { code: 'VALIDATION_FAILED'; message: string; details: { fields: FieldProblem[] } };

export type CartProblemCode = CartProblem['code'];

/** The problem of one code, with its facts. */
export type ProblemOf<C extends CartProblemCode> = Extract<CartProblem, { code: C }>;

export function householdInactive(household: {
  id: number;
  cardNo: string;
  status: CartHouseholdStatus;
}): ProblemOf<'HOUSEHOLD_INACTIVE'> {
  return {
    code: 'HOUSEHOLD_INACTIVE',
    message: `该户状态为“${STATUS_LABELS[household.status]}”，不能获得或使用积分`,
    details: { householdId: household.id, cardNo: household.cardNo, status: household.status },
  };
}

export function unknownBarcode(barcode: string): ProblemOf<'UNKNOWN_BARCODE'> {
  return {
    code: 'UNKNOWN_BARCODE',
    message: `条码“${barcode}”没有对应的商品`,
    details: { barcode },
  };
}

export function unknownProduct(id: string): ProblemOf<'NOT_FOUND'> {
  return {
    code: 'NOT_FOUND',
    message: `商品不存在（ID ${id}）`,
    details: { entity: 'product', id },
  };
}

export function productInactive(product: {
  id: number;
  name: string;
}): ProblemOf<'PRODUCT_INACTIVE'> {
  return {
    code: 'PRODUCT_INACTIVE',
    message: `商品“${product.name}”已停用，不能兑换`,
    details: { productId: product.id, name: product.name },
  };
}

export function limitMessage(problem: LimitProblem): string {
  switch (problem.limit) {
    case 'product':
      return `“${problem.name}”每户每月限兑 ${problem.allowed}，本月已兑 ${problem.used}，本次 ${problem.requested}`;
    case 'category':
      return `“${problem.name}”类商品每户每月限兑 ${problem.allowed}，本月已兑 ${problem.used}，本次 ${problem.requested}`;
    case 'visits':
      return `每户每月最多兑换 ${problem.allowed} 次，本月已兑换 ${problem.used} 次`;
  }
}

export function limitExceeded(limit: LimitProblem): ProblemOf<'LIMIT_EXCEEDED'> {
  return { code: 'LIMIT_EXCEEDED', message: limitMessage(limit), details: { ...limit } };
}

export function insufficientStock(
  product: { id: number; name: string },
  requested: number,
  available: number,
): ProblemOf<'INSUFFICIENT_STOCK'> {
  return {
    code: 'INSUFFICIENT_STOCK',
    message: `${product.name}：库存只剩 ${available}，不够 ${requested}`,
    details: { productId: product.id, name: product.name, requested, available },
  };
}

export function insufficientPoints(
  householdId: number,
  balance: number,
  needed: number,
): ProblemOf<'INSUFFICIENT_POINTS'> {
  return {
    code: 'INSUFFICIENT_POINTS',
    message: `积分不足：可用 ${balance} 分，需要 ${needed} 分`,
    details: { householdId, balance, needed },
  };
}

export const DELIVERY_ADDRESS_MESSAGE = '上门服务需要填写送货地址（该户未登记地址）';

export function deliveryAddressRequired(): ProblemOf<'VALIDATION_FAILED'> {
  return {
    code: 'VALIDATION_FAILED',
    message: DELIVERY_ADDRESS_MESSAGE,
    details: {
      fields: [
        { field: 'deliveryAddress', constraints: ['required'], messages: ['address required'] },
      ],
    },
  };
}

/**
 * A checkout fails with the most basic problem first, so the error names what to fix first:
 * the household, then unknown or inactive goods, limits, stock, the points, and last the
 * delivery address.
 */
const PRIORITY: readonly CartProblemCode[] = [
  'HOUSEHOLD_INACTIVE',
  'UNKNOWN_BARCODE',
  'NOT_FOUND',
  'PRODUCT_INACTIVE',
  'LIMIT_EXCEEDED',
  'INSUFFICIENT_STOCK',
  'INSUFFICIENT_POINTS',
  'VALIDATION_FAILED',
];

/** The problem to fix first; the earliest of equal rank (cart problems before line problems). */
export function firstProblem(problems: readonly CartProblem[]): CartProblem | undefined {
  const rank = (problem: CartProblem) => PRIORITY.indexOf(problem.code);
  return [...problems].sort((a, b) => rank(a) - rank(b))[0];
}

/** Every problem of an evaluated cart: the whole cart's first, then each line's. */
export function everyProblem(evaluation: {
  problems: CartProblem[];
  lines: { problems: CartProblem[] }[];
}): CartProblem[] {
  return [...evaluation.problems, ...evaluation.lines.flatMap((line) => line.problems)];
}
