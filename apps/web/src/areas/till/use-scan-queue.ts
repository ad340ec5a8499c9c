// The one scan field the USB scanner types into. What it reads is parsed (`3*` sets how many the
// next scan counts) and each code is handled after the one before it has finished, so a card is
// loaded before the goods scanned straight after it.
import { ref } from 'vue';
import { MAX_QUANTITY, parseScan } from './till';

/**
 * `handle` takes one scanned code and the quantity it counts for, and resolves what to tell the
 * clerk ('' when all went well); `settled` runs after each code (the till puts the focus back).
 */
export function useScanQueue(
  handle: (code: string, quantity: number) => Promise<string>,
  settled: () => void,
) {
  const scanText = ref('');
  const scanError = ref('');
  /** `3*` typed on its own: the next scanned product counts this many */
  const multiplier = ref<number | null>(null);
  let queue: Promise<void> = Promise.resolve();

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
        queue = queue.then(() => take(scan.code, quantity)).finally(settled);
        break;
      }
    }
    return queue;
  }

  function clear(): void {
    multiplier.value = null;
    scanError.value = '';
  }

  return { scanText, scanError, multiplier, submit, clear };
}
