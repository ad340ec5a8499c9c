// The receipt of the checkout just done: printed at once through a hidden frame, printed again or
// downloaded on request. The PDF is fetched once per redemption.
import type { Ref } from 'vue';
import { download, getBlob } from '@/api/client';
import { runAction, useAction } from '@/composables/use-action';
import { printPdf } from '@/print';
import type { Redemption } from './till';

/** `done` is the redemption on screen; `refocus` gives the scanner its field back. */
export function useTillReceipt(done: Ref<Redemption | null>, refocus: () => void) {
  const printAction = useAction();
  let fetched: { redemptionId: number; pdf: Blob } | null = null;

  function pathOf(redemption: Redemption): string {
    return `/redemptions/${redemption.id}/receipt.pdf`;
  }

  async function print(): Promise<void> {
    const redemption = done.value;
    if (!redemption) return;
    await printAction.run(
      async () => {
        if (fetched?.redemptionId !== redemption.id) {
          const pdf = await getBlob(pathOf(redemption), { width: 80 });
          fetched = { redemptionId: redemption.id, pdf };
        }
        const frame = printPdf(fetched.pdf);
        // the print dialog takes the focus; the scanner needs it back afterwards
        frame.addEventListener('load', () => setTimeout(refocus, 0));
      },
      { failure: '小票打印失败' },
    );
    refocus();
  }

  async function save(): Promise<void> {
    const redemption = done.value;
    if (!redemption) return;
    const filename = `兑换小票-${redemption.receiptNo}.pdf`;
    await runAction(() => download(pathOf(redemption), filename, { width: 80 }));
    refocus();
  }

  return { printing: printAction.busy, print, save };
}
