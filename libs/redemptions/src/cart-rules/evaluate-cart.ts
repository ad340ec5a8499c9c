import type { Cart, CartPolicy, CartProduct, FoundProduct, MonthUsage } from './cart';
import {
  deliveryAddressRequired,
  householdInactive,
  insufficientPoints,
  insufficientStock,
  limitExceeded,
  productInactive,
  unknownBarcode,
  unknownProduct,
  type CartHouseholdStatus,
  type CartProblem,
} from './problems';

export interface CartHousehold {
  id: number;
  cardNo: string;
  status: CartHouseholdStatus;
  balance: number;
  /** The registered address, where a delivery goes when the clerk gives none. */
  address: string | null;
}

export interface CartInput {
  cart: Cart;
  household: CartHousehold;
  /** Per cart line, in order: its product as found in the store, or null. */
  products: readonly (FoundProduct | null)[];
  /** Points the household may spend today. */
  spendable: number;
  /** This month's usage; may be empty when no limit applies. */
  usage: MonthUsage;
  policy: CartPolicy;
  /** The one asking may let a checkout past its limits (a store manager or county admin). */
  mayOverrideLimits: boolean;
}

export interface QuoteLine {
  /** 1-based position in the request. */
  line: number;
  productId: number | null;
  barcode: string | null;
  name: string | null;
  unit: string | null;
  quantity: number;
  pointPrice: number | null;
  points: number;
  /** Units the store can hand out now (unexpired lots). */
  available: number | null;
  problems: CartProblem[];
}

/** One product of the cart, its lines merged, at the line where it was first scanned. */
export interface CartItem {
  product: CartProduct;
  quantity: number;
  line: number;
  available: number;
}

export interface CartEvaluation {
  lines: QuoteLine[];
  pointsTotal: number;
  balanceAfter: number;
  /** Problems of the whole cart (household, points, visits limit, delivery address). */
  problems: CartProblem[];
  ok: boolean;
  /** Merged by product, in the order first scanned. */
  items: CartItem[];
}

/**
 * 兑换 rules: prices the cart and lists every problem, per line (unknown barcode, inactive
 * product, not enough stock, a product or category limit) and for the whole cart (household
 * inactive, the visits limit, not enough points, no delivery address). Pure: the api and the
 * offline till run the very same rules.
 */
export function evaluateCart(input: CartInput): CartEvaluation {
  const { lines, items } = priceLines(input);
  for (const item of items) {
    const line = lines[item.line - 1];
    if (!line) continue;
    line.available = item.available;
    line.problems.push(...itemProblems(item, input));
  }
  addCategoryLimits(lines, items, input);
  const pointsTotal = lines.reduce((sum, line) => sum + line.points, 0);
  const problems = cartProblems(input, pointsTotal);
  if (input.cart.limitOverrideReason && input.mayOverrideLimits) {
    // a manager lets this checkout past its limits; everything else still holds
    for (const line of lines) line.problems = withoutLimits(line.problems);
    problems.splice(0, problems.length, ...withoutLimits(problems));
  }
  return {
    lines,
    pointsTotal,
    balanceAfter: input.household.balance - pointsTotal,
    problems,
    ok: problems.length === 0 && lines.every((line) => line.problems.length === 0),
    items,
  };
}

/** The whole cart's problems: the household, the visits limit, the points, the address. */
function cartProblems(
  { cart, household, policy, usage, spendable }: CartInput,
  pointsTotal: number,
): CartProblem[] {
  const problems: CartProblem[] = [];
  const refusal = spendRefusal(household, policy);
  if (refusal) problems.push(refusal);
  if (policy.monthlyVisitLimit !== null && usage.visits + 1 > policy.monthlyVisitLimit) {
    problems.push(
      limitExceeded({
        limit: 'visits',
        used: usage.visits,
        requested: 1,
        allowed: policy.monthlyVisitLimit,
      }),
    );
  }
  if (pointsTotal > spendable) {
    problems.push(insufficientPoints(household.id, spendable, pointsTotal));
  }
  if (cart.fulfilment === 'delivery' && !deliveryAddressOf(cart, household)) {
    problems.push(deliveryAddressRequired());
  }
  return problems;
}

/** The same rule a checkout applies to the household: exited ones spend only if the policy says. */
export function spendRefusal(household: CartHousehold, policy: CartPolicy): CartProblem | null {
  if (household.status === 'active') return null;
  if (household.status === 'exited' && policy.exitedMaySpend) return null;
  return householdInactive(household);
}

/** Where a delivery goes: the clerk's address, else the household's registered one. */
export function deliveryAddressOf(cart: Cart, household: CartHousehold): string | null {
  return cart.deliveryAddress ?? household.address;
}

/** A line per request line, priced; products merged into items in the order first scanned. */
function priceLines({ cart, products }: CartInput): { lines: QuoteLine[]; items: CartItem[] } {
  const lines: QuoteLine[] = [];
  const items: CartItem[] = [];
  const byProduct = new Map<number, CartItem>();
  cart.lines.forEach((input, index) => {
    const found = products[index] ?? null;
    const line: QuoteLine = {
      line: index + 1,
      productId: found?.product.id ?? input.productId ?? null,
      barcode: input.barcode ?? null,
      name: found?.product.name ?? null,
      unit: found?.product.unit ?? null,
      quantity: input.quantity,
      pointPrice: found?.product.pointPrice ?? null,
      points: found ? found.product.pointPrice * input.quantity : 0,
      available: null,
      problems: [],
    };
    lines.push(line);
    if (!found) {
      line.problems.push(
        input.barcode ? unknownBarcode(input.barcode) : unknownProduct(String(input.productId)),
      );
      return;
    }
    if (!found.product.active) line.problems.push(productInactive(found.product));
    const merged = byProduct.get(found.product.id);
    if (merged) merged.quantity += input.quantity;
    else {
      const item = {
        product: found.product,
        quantity: input.quantity,
        line: index + 1,
        available: found.available,
      };
      byProduct.set(found.product.id, item);
      items.push(item);
    }
  });
  return { lines, items };
}

/** Stock and the product's own limit, on the first line of each product. */
function itemProblems(item: CartItem, { usage }: CartInput): CartProblem[] {
  const problems: CartProblem[] = [];
  if (item.available < item.quantity) {
    problems.push(insufficientStock(item.product, item.quantity, item.available));
  }
  const limit = item.product.monthlyLimitPerHousehold;
  const used = usage.products.get(item.product.id) ?? 0;
  if (limit !== null && used + item.quantity > limit) {
    problems.push(
      limitExceeded({
        limit: 'product',
        productId: item.product.id,
        name: item.product.name,
        used,
        requested: item.quantity,
        allowed: limit,
      }),
    );
  }
  return problems;
}

/** A category's limit counts every product of it in the cart, said once on its first line. */
function addCategoryLimits(lines: QuoteLine[], items: CartItem[], input: CartInput): void {
  const categories = new Map(
    input.products.flatMap((found) => (found ? [[found.category.id, found.category]] : [])),
  );
  const inCart = new Map<number, number>();
  for (const item of items) {
    const id = item.product.categoryId;
    inCart.set(id, (inCart.get(id) ?? 0) + item.quantity);
  }
  const reported = new Set<number>();
  for (const item of items) {
    const category = categories.get(item.product.categoryId);
    const allowed = category?.monthlyLimitPerHousehold ?? null;
    const line = lines[item.line - 1];
    if (!category || allowed === null || reported.has(category.id) || !line) continue;
    const used = input.usage.categories.get(category.id) ?? 0;
    const requested = inCart.get(category.id) ?? 0;
    if (used + requested <= allowed) continue;
    reported.add(category.id);
    line.problems.push(
      limitExceeded({
        limit: 'category',
        categoryId: category.id,
        name: category.name,
        used,
        requested,
        allowed,
      }),
    );
  }
}

function withoutLimits(problems: CartProblem[]): CartProblem[] {
  return problems.filter((problem) => problem.code !== 'LIMIT_EXCEEDED');
}
