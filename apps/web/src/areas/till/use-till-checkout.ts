// 确认兑换: the cart is sent with an Idempotency-Key made on the first confirm and kept for every
// retry of the same cart, so a double click or a lost answer can never charge twice.
import { ElMessage } from 'element-plus';
import { ref, type Ref } from 'vue';
import { api, ApiError, errorText, newIdempotencyKey } from '@/api/client';
import { uncertainCheckout, type Redemption, type TillCart } from './till';

export interface CheckoutOutcomes {
  succeeded: (redemption: Redemption) => void;
  /** a definite no (stock taken by another till…): the cart should be priced again */
  refused: () => void;
  /** after either, and after an uncertain answer */
  settled: () => void;
}

export function useTillCheckout(cart: TillCart, body: Ref<unknown>, outcomes: CheckoutOutcomes) {
  const busy = ref(false);
  /** why the last checkout (or quote) failed, shown by 确认兑换 */
  const error = ref('');

  async function submit(): Promise<void> {
    busy.value = true;
    error.value = '';
    cart.idempotencyKey ??= newIdempotencyKey();
    try {
      const redemption = await api<Redemption>('POST', '/redemptions', {
        body: body.value,
        headers: { 'Idempotency-Key': cart.idempotencyKey },
      });
      outcomes.succeeded(redemption);
      ElMessage.success(
        `兑换成功：小票 ${redemption.receiptNo}，扣 ${redemption.pointsTotal} 分，余额 ${redemption.balanceAfter} 分`,
      );
    } catch (failure) {
      const uncertain =
        failure instanceof ApiError ? uncertainCheckout(failure.status, failure.message) : null;
      // uncertain: the same cart and key again give the first result, or the checkout done once
      error.value = uncertain ?? errorText(failure);
      const signedOut = failure instanceof ApiError && failure.status === 401;
      if (!uncertain && !signedOut) outcomes.refused();
    } finally {
      busy.value = false;
      outcomes.settled();
    }
  }

  return { busy, error, submit };
}
