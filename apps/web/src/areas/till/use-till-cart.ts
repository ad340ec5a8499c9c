// The cart on the till: what the clerk has scanned, kept in sessionStorage across reloads and
// logins, and the request body the quote and the checkout send for it.
import { computed, reactive, ref, watch } from 'vue';
import {
  emptyCart,
  MAX_QUANTITY,
  restoreCart,
  saveCart,
  type ScannedProduct,
  type TillLine,
} from './till';

export function useTillCart(storeId: number | null, canOverride: boolean) {
  const cart = reactive(restoreCart());
  /** the product scanned last, highlighted in the list */
  const recent = ref<number | null>(null);

  const delivery = computed({
    get: () => cart.fulfilment === 'delivery',
    set: (on: boolean) => {
      cart.fulfilment = on ? 'delivery' : 'pickup';
    },
  });

  /** What POST /redemptions/quote and POST /redemptions receive. */
  const requestBody = computed(() => {
    const isDelivery = cart.fulfilment === 'delivery';
    const reason = cart.limitOverrideReason.trim();
    return {
      storeId,
      cardNo: cart.cardNo,
      lines: cart.lines.map((line) => ({ productId: line.productId, quantity: line.quantity })),
      fulfilment: cart.fulfilment,
      deliveryAddress: isDelivery ? cart.deliveryAddress.trim() || undefined : undefined,
      deliveryNote: isDelivery ? cart.deliveryNote.trim() || undefined : undefined,
      limitOverrideReason: canOverride && reason ? reason : undefined,
    };
  });
  const signature = computed(() => JSON.stringify(requestBody.value));

  const pointsTotal = computed(() =>
    cart.lines.reduce((sum, line) => sum + line.pointPrice * line.quantity, 0),
  );

  // a different cart is a different checkout
  watch(signature, () => {
    cart.idempotencyKey = null;
  });
  watch(cart, () => saveCart(cart), { deep: true });

  function addProduct(product: ScannedProduct, quantity: number): void {
    const existing = cart.lines.find((line) => line.productId === product.id);
    if (existing) {
      existing.quantity = Math.min(MAX_QUANTITY, existing.quantity + quantity);
    } else {
      cart.lines.push({
        productId: product.id,
        name: product.name,
        unit: product.unit,
        pointPrice: product.pointPrice,
        quantity: Math.min(MAX_QUANTITY, quantity),
      });
    }
    recent.value = product.id;
  }

  function setQuantity(line: TillLine, quantity: number): void {
    const target = cart.lines.find((l) => l.productId === line.productId);
    if (target) target.quantity = Math.max(1, Math.min(MAX_QUANTITY, Math.round(quantity)));
  }

  function removeLine(line: TillLine): void {
    cart.lines = cart.lines.filter((l) => l.productId !== line.productId);
  }

  function clear(): void {
    Object.assign(cart, emptyCart());
    recent.value = null;
  }

  return {
    cart,
    recent,
    delivery,
    requestBody,
    signature,
    pointsTotal,
    addProduct,
    setQuantity,
    removeLine,
    clear,
  };
}
