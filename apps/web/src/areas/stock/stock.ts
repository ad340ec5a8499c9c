// Shapes the stock screens read from the api (apps/api/src/stock, transfers, stocktakes, products)
// and the Chinese words they are shown with.
import { reactive } from 'vue';
import { get, type Page } from '@/api/client';
import type { Schema } from '@/api/types';
import { today } from '@/format';
import { hasRole, session } from '@/session';

export type LotSource = LotView['source'];
export type MovementKind = StockMovement['kind'];
export type AdjustmentReason = Schema<'AdjustmentView'>['reason'];
export type TransferStatus = Transfer['status'];
export type StocktakeStatus = StocktakeSummary['status'];
export type ExpiryBucket = Schema<'ExpiringLotAlert'>['bucket'];

export type LotView = Schema<'LotViewDto'>;

export type StockLevel = Schema<'StockLevelView'>;

export type StockAlerts = Schema<'StockAlertsView'>;

export type MovementDocumentKind = MovementDocument['kind'];

/** The paper behind a movement (单据): its number as printed or shown on its own screen. */
export type MovementDocument = Schema<'MovementDocumentDto'>;

export type StockMovement = Schema<'StockMovementView'>;

export type TransferLine = Schema<'TransferLineView'>;

export type Transfer = Schema<'TransferView'>;

export type StocktakeSummary = Schema<'StocktakeSummaryView'>;

export type StocktakeLine = Schema<'StocktakeLineView'>;

export type Stocktake = Schema<'StocktakeView'>;

export type Product = Schema<'ProductView'>;

export const LOT_SOURCE_LABELS: Record<LotSource, string> = {
  donation: '捐赠',
  transfer: '调拨调入',
  adjustment: '库存调整',
  stocktake: '盘盈',
};

export const MOVEMENT_KIND_LABELS: Record<MovementKind, string> = {
  donation_in: '捐赠入库',
  redemption_out: '兑换出库',
  transfer_out: '调拨调出',
  transfer_in: '调拨调入',
  adjustment: '库存调整',
  stocktake: '盘点调整',
  expiry_writeoff: '过期报损',
  void_reversal: '作废冲回',
};

export const ADJUSTMENT_REASON_LABELS: Record<AdjustmentReason, string> = {
  damaged: '损坏',
  expired: '过期',
  lost: '丢失',
  found: '盘盈/找到',
  other: '其他',
};

export const TRANSFER_STATUS_LABELS: Record<TransferStatus, string> = {
  pending: '在途（待收货）',
  received: '已收货',
  cancelled: '已取消',
};

export const STOCKTAKE_STATUS_LABELS: Record<StocktakeStatus, string> = {
  open: '进行中',
  finalized: '已完成',
  cancelled: '已取消',
};

export const EXPIRY_BUCKET_LABELS: Record<ExpiryBucket, string> = {
  expired: '已过期',
  within30: '30 天内到期',
  within60: '60 天内到期',
  within90: '90 天内到期',
};

/** Lots expiring within this many days are highlighted on the levels screen. */
export const NEAR_EXPIRY_DAYS = 30;

/** Whole days from today (Asia/Shanghai) to a YYYY-MM-DD date; negative once past. */
export function daysUntil(date: string): number {
  return Math.round((Date.parse(`${date}T00:00:00Z`) - Date.parse(`${today()}T00:00:00Z`)) / 864e5);
}

export type ExpiryState = 'expired' | 'near' | 'ok';

export function expiryStateOf(lot: { expiryDate: string | null; expired?: boolean }): ExpiryState {
  if (lot.expiryDate === null) return 'ok';
  const days = daysUntil(lot.expiryDate);
  if (lot.expired || days < 0) return 'expired';
  return days <= NEAR_EXPIRY_DAYS ? 'near' : 'ok';
}

/** Who may do what on these screens (mirrors the controllers' @Roles). */
export const can = {
  adjust: (): boolean => hasRole('county_admin', 'store_manager'),
  sendTransfer: (): boolean => hasRole('county_admin', 'store_manager'),
  receiveTransfer: (): boolean => hasRole('county_admin', 'store_manager', 'clerk'),
  cancelTransfer: (): boolean => hasRole('county_admin', 'store_manager'),
  count: (): boolean => hasRole('county_admin', 'store_manager', 'clerk'),
  closeStocktake: (): boolean => hasRole('county_admin', 'store_manager'),
};

/** Names the screens show for ids: stores and users the role may list, products on demand. */
const names = reactive({
  stores: new Map<number, string>(),
  users: new Map<number, string>(),
  products: new Map<number, string>(),
});
let directoryLoaded: Promise<void> | null = null;

/** Loads the store directory (the user's county) and, for county staff, the users. */
export function loadDirectory(): Promise<void> {
  directoryLoaded ??= (async () => {
    const stores = await get<{ items: { id: number; name: string }[] }>('/stores/directory');
    for (const store of stores.items) names.stores.set(store.id, store.name);
    if (hasRole('county_admin', 'auditor')) {
      const users = await get<Page<{ id: number; displayName: string }>>('/users', {
        pageSize: 200,
      });
      for (const user of users.items) names.users.set(user.id, user.displayName);
    }
  })().catch(() => {
    directoryLoaded = null;
  });
  return directoryLoaded;
}

/** The open stores of the user's county. */
export function storeOptions(): { id: number; name: string }[] {
  return [...names.stores].map(([id, name]) => ({ id, name }));
}

export function storeName(id: number): string {
  return names.stores.get(id) ?? `超市（编号 ${id}）`;
}

export function userName(id: number | null): string {
  if (id === null) return '系统';
  if (id === session.user?.id) return `${session.user.displayName}（本人）`;
  return names.users.get(id) ?? `用户 ${id}`;
}

let catalogueLoaded: Promise<void> | null = null;

/**
 * Names for the given products: when one is unknown, the whole catalogue (county-wide, a few
 * hundred products) is read once, a page of 200 at a time, rather than a request per product.
 */
export async function loadProductNames(ids: number[]): Promise<void> {
  if (ids.every((id) => names.products.has(id))) return;
  catalogueLoaded ??= (async () => {
    for (let page = 1; ; page += 1) {
      const result = await get<Page<Product>>('/products', { page, pageSize: 200 });
      for (const product of result.items) names.products.set(product.id, product.name);
      if (page * result.pageSize >= result.total) return;
    }
  })().catch(() => {
    catalogueLoaded = null;
  });
  await catalogueLoaded;
  // a product added since: the next call reads the catalogue again
  if (!ids.every((id) => names.products.has(id))) catalogueLoaded = null;
}

export function rememberProductName(id: number, name: string): void {
  names.products.set(id, name);
}

export function productName(id: number): string {
  return names.products.get(id) ?? `商品 ${id}`;
}

/** Signed quantity as people read a change: +3, −2. */
export function signed(quantity: number): string {
  return quantity > 0 ? `+${quantity}` : quantity < 0 ? `−${-quantity}` : '0';
}
