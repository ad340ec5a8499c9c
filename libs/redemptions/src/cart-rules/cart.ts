// What a till sends and what the cart rules read: plain data, the same in the api and the browser.

export const FULFILMENTS = ['pickup', 'delivery'] as const;
export type Fulfilment = (typeof FULFILMENTS)[number];

/** Most lines one checkout may carry. */
export const MAX_CART_LINES = 50;

export interface CartLine {
  productId?: number;
  barcode?: string;
  quantity: number;
}

export interface Cart {
  storeId: number;
  cardNo: string;
  lines: CartLine[];
  fulfilment?: Fulfilment;
  deliveryAddress?: string | null;
  deliveryNote?: string | null;
  /** A store manager's (or county admin's) reason to let this one checkout past its limits. */
  limitOverrideReason?: string | null;
}

/** What the rules read of a product and its category. */
export interface CartProduct {
  id: number;
  name: string;
  categoryId: number;
  unit: string;
  pointPrice: number;
  monthlyLimitPerHousehold: number | null;
  active: boolean;
}

export interface CartCategory {
  id: number;
  name: string;
  monthlyLimitPerHousehold: number | null;
}

/** A cart line's product as found in the store, with the units it can hand out now. */
export interface FoundProduct {
  product: CartProduct;
  category: CartCategory;
  /** Units the store can hand out now (unexpired lots). */
  available: number;
}

/** A household's units and checkouts this month, counting what stays spent. */
export interface MonthUsage {
  products: Map<number, number>;
  categories: Map<number, number>;
  /** 人次: completed checkouts this month. */
  visits: number;
}

/** The rules of the county's points policy that a cart must keep. */
export interface CartPolicy {
  monthlyVisitLimit: number | null;
  exitedMaySpend: boolean;
}
