// The one scan field the USB scanner types into. What it reads is parsed (`3*` sets how many the
// next scan counts) and each code is handled after the one before it has finished, so a card is
// loaded before the goods scanned straight after it. The field keeps the focus: after each code,
// and whenever the till calls `focus` (a button clicked, a dialog closed).
import type { InputInstance } from 'element-plus';
import { ref } from 'vue';
import { MAX_QUANTITY, parseScan } from './till';

/**
 * `handle` takes one scanned code and the quantity it counts for, and resolves what to tell the
 * clerk ('' when all went well). Bind `scanInput` to the field (`ref="scanInput"`) and `onEnter`
 * to its Enter key.
 */
export function useScanQueue(handle: (code: string, quantity: number) => Promise<string>) {
  const scanInput = ref<Pick<InputInstance, 'focus'>>();
  const scanText = ref('');
  const scanError = ref('');
  /** `3*` typed on its own: the next scanned product counts this many */
  const multiplier = ref<number | null>(null);
  let queue: Promise<void> = Promise.resolve();

  function focus(): void {
    // after the event that caused it: a clicked +/- button takes the focus once its handler is done
    setTimeout(() => scanInput.value?.focus(), 0);
  }

  /** `edit` as a click handler: the field takes the focus back once it has run. */
  function refocusing<A extends unknown[]>(edit: (...args: A) => void): (...args: A) => void {
    return (...args) => {
      edit(...args);
      focus();
    };
  }

  async function take(code: string, quantity: number): Promise<void> {
    scanError.value = '';
    scanError.value = await handle(code, quantity);
  }

  /** Enter in the scan field: read what was typed and queue the code. */
  function submit(): Promise<void> {
    const scan = parseScan(scanText.value);
    scanText.value = '';
    switch (scan.kind) {
      case 'empty':
        break;
      case 'bad-quantity':
        scanError.value = `数量要在 1 到 ${MAX_QUANTITY} 之间，例如先输入 3* 再扫码`;
        break;
      case 'multiplier':
        multiplier.value = scan.quantity;
        scanError.value = '';
        break;
      case 'code': {
        const quantity = scan.quantity ?? multiplier.value ?? 1;
        multiplier.value = null;
        queue = queue.then(() => take(scan.code, quantity)).finally(focus);
        break;
      }
    }
    return queue;
  }

  /** The field's Enter key; Ctrl+Enter is left to 确认兑换 (useTillKeys). */
  function onEnter(event: Event | KeyboardEvent): void {
    if (!isScanEnter(event)) return;
    event.preventDefault();
    void submit();
  }

  /** A key typed on the page itself, as a scan after a click elsewhere does: it joins the field. */
  function typeIn(key: string): void {
    scanText.value += key;
    focus();
  }

  function clear(): void {
    multiplier.value = null;
    scanError.value = '';
  }

  return {
    scanInput,
    scanText,
    scanError,
    multiplier,
    focus,
    refocusing,
    submit,
    onEnter,
    typeIn,
    clear,
  };
}

/** Enter in the scan field, except Ctrl+Enter (确认兑换, handled by useTillKeys). */
export function isScanEnter(event: Event | KeyboardEvent): boolean {
  return !(event instanceof KeyboardEvent && (event.ctrlKey || event.metaKey));
}
