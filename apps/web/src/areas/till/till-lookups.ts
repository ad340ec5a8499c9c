// What the till asks the api about a scanned code: the household behind a card with what it may
// still redeem, and the product behind a barcode. Each resolves the record, or the words for the
// clerk.
import { ApiError, errorText, get } from '@/api/client';
import { isCardNumber, type Allowance, type ScannedProduct } from './till';

export type Lookup<T> = { found: T } | { problem: string };

/** The sale as a scan finds it. */
export interface SaleState {
  /** a checkout is under way */
  busy: boolean;
  cardNo: string | null;
  lineCount: number;
}

/**
 * A scanned code as the sale stands: a card starts the next customer (unless goods are still in
 * the cart), a barcode names a product once a card was scanned.
 */
export async function lookUpScan(
  code: string,
  sale: SaleState,
): Promise<{ card: Allowance } | { product: ScannedProduct } | { problem: string }> {
  if (sale.busy) return { problem: '正在兑换，请稍候再扫' };
  if (isCardNumber(code)) {
    if (sale.cardNo !== null && sale.lineCount > 0) {
      return { problem: '当前顾客还有商品没有兑换：请先确认兑换，或按 Esc 清空后再扫下一张卡' };
    }
    const lookup = await allowanceByCard(code);
    return 'found' in lookup ? { card: lookup.found } : lookup;
  }
  if (sale.cardNo === null) {
    return { problem: `请先扫困难户卡（卡号以 H 开头），再扫商品。“${code}”不是卡号` };
  }
  const lookup = await productByBarcode(code);
  return 'found' in lookup ? { product: lookup.found } : lookup;
}

/** The household on the card and what it may still redeem (or why it may not). */
export async function allowanceByCard(cardNo: string): Promise<Lookup<Allowance>> {
  try {
    return {
      found: await get<Allowance>(`/households/card/${encodeURIComponent(cardNo)}/allowance`),
    };
  } catch (error) {
    return { problem: errorText(error) };
  }
}

/** The product a scanned barcode names; an unknown barcode is said as "not added to the cart". */
export async function productByBarcode(code: string): Promise<Lookup<ScannedProduct>> {
  try {
    return { found: await get<ScannedProduct>(`/products/barcode/${encodeURIComponent(code)}`) };
  } catch (error) {
    return {
      problem:
        error instanceof ApiError && error.code === 'UNKNOWN_BARCODE'
          ? `${error.message}，没有加入购物车`
          : errorText(error),
    };
  }
}
