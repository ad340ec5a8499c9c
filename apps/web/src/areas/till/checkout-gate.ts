// Whether 确认兑换 may be pressed, and if not, the one reason the till shows under it.
import type { Quote } from './till';

export interface CheckoutFacts {
  storeId: number | null;
  hasCard: boolean;
  lineCount: number;
  /** the household is suspended or exited: said at the card scan */
  refused: boolean;
  /** a checkout is under way */
  busy: boolean;
  quoting: boolean;
  /** the quote is for the cart as it is now */
  fresh: boolean;
  quote: Quote | null;
}

export function mayConfirm(facts: CheckoutFacts): boolean {
  return (
    facts.storeId !== null &&
    facts.hasCard &&
    facts.lineCount > 0 &&
    !facts.refused &&
    !facts.busy &&
    !facts.quoting &&
    facts.fresh &&
    facts.quote?.ok === true
  );
}

export function blockedBecause(facts: CheckoutFacts): string {
  if (facts.busy) return '';
  if (facts.refused) return '该户不能兑换（见上方红字）';
  if (facts.lineCount === 0) return '购物车是空的，请扫商品';
  if (facts.quoting || !facts.fresh) return '正在核对积分和库存…';
  if (facts.quote && !facts.quote.ok) return '还有问题未解决（见红字），不能兑换';
  return '';
}
