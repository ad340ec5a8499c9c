// The till's shapes (as the api answers them), the cart kept in sessionStorage so an expired
// login or a reload does not lose a half-scanned cart, and how a scan is read.
import type { Fulfilment, Schema } from '@/api/types';

export type { Fulfilment };

export const STATUS_LABELS: Record<string, string> = {
  active: '正常',
  suspended: '暂停',
  exited: '已脱贫',
};

export type Problem = Schema<'ProblemResponse'>;

export type QuoteHousehold = Schema<'TillHouseholdResponse'>;

/** GET /households/card/:cardNo/allowance */
export type Allowance = Schema<'AllowanceResponse'>;

/** POST /redemptions/quote */
export type Quote = Schema<'QuoteResponse'>;

/** GET /products/barcode/:code (what the till reads of it) */
export type ScannedProduct = Pick<
  Schema<'ProductView'>,
  'id' | 'name' | 'unit' | 'pointPrice' | 'active' | 'monthlyLimitPerHousehold'
>;

/** POST /redemptions (what the till reads of it) */
export type Redemption = Pick<
  Schema<'RedemptionResponse'>,
  | 'id'
  | 'receiptNo'
  | 'householdName'
  | 'cardNo'
  | 'fulfilment'
  | 'pointsTotal'
  | 'balanceBefore'
  | 'balanceAfter'
>;

export interface TillLine {
  productId: number;
  name: string;
  unit: string;
  pointPrice: number;
  quantity: number;
}

/** Everything the clerk has put on the till, as kept between page loads. */
export interface TillCart {
  cardNo: string | null;
  lines: TillLine[];
  fulfilment: Fulfilment;
  deliveryAddress: string;
  deliveryNote: string;
  limitOverrideReason: string;
  /**
   * The Idempotency-Key of this cart's checkout, made on the first 确认兑换 and sent again on
   * every retry of the same cart, so a double click or a lost answer can never charge twice.
   */
  idempotencyKey: string | null;
}

export const MAX_QUANTITY = 1000;

const STORAGE_KEY = 'charity.till';

export function emptyCart(): TillCart {
  return {
    cardNo: null,
    lines: [],
    fulfilment: 'pickup',
    deliveryAddress: '',
    deliveryNote: '',
    limitOverrideReason: '',
    idempotencyKey: null,
  };
}

export function restoreCart(): TillCart {
  try {
    const saved = JSON.parse(sessionStorage.getItem(STORAGE_KEY) ?? 'null') as TillCart | null;
    if (saved && Array.isArray(saved.lines)) return { ...emptyCart(), ...saved };
  } catch {
    // a damaged entry is the same as none
  }
  return emptyCart();
}

export function saveCart(cart: TillCart): void {
  if (cart.cardNo === null && cart.lines.length === 0) sessionStorage.removeItem(STORAGE_KEY);
  else sessionStorage.setItem(STORAGE_KEY, JSON.stringify(cart));
}

/** A household card: `H` and ten digits. Product barcodes never start with a letter H. */
export function isCardNumber(code: string): boolean {
  return /^H\d{10}$/i.test(code);
}

export type Scan =
  | { kind: 'empty' }
  /** `3*` alone: the next scan counts 3 */
  | { kind: 'multiplier'; quantity: number }
  | { kind: 'code'; code: string; quantity: number | null }
  | { kind: 'bad-quantity' };

/** Reads what the scanner (or the clerk) typed: a code, optionally led by `3*` for 3 units. */
export function parseScan(text: string): Scan {
  const input = text.trim();
  if (input === '') return { kind: 'empty' };
  const match = /^(\d+)\s*[*xX×]\s*(.*)$/.exec(input);
  if (!match) return { kind: 'code', code: input, quantity: null };
  const quantity = Number(match[1]);
  if (!Number.isInteger(quantity) || quantity < 1 || quantity > MAX_QUANTITY) {
    return { kind: 'bad-quantity' };
  }
  const code = (match[2] ?? '').trim();
  return code === '' ? { kind: 'multiplier', quantity } : { kind: 'code', code, quantity };
}

/**
 * What the till says when a checkout got no answer (status 0: the network) or a 503 (the
 * database did not answer in time, perhaps after the checkout's COMMIT had left): it may or may
 * not have gone through, so the cart and its Idempotency-Key stay as they are and pressing
 * 确认兑换 again returns the first result or does it once. null for a definite answer, which the
 * till shows as it is (and then prices the cart again).
 */
export function uncertainCheckout(status: number, message: string): string | null {
  switch (status) {
    case 0:
      return '网络中断，不确定是否已兑换。请不要改动商品，直接再按“确认兑换”重试，不会重复扣分。';
    case 503:
      return `${message.replace(/[。.]$/, '')}。不确定是否已兑换：请不要改动商品，稍后直接再按“确认兑换”重试，不会重复扣分。`;
    default:
      return null;
  }
}
