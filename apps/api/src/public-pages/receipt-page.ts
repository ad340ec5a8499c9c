import type { PublicReceipt } from '@charity/donations';
import { amountInChineseCapitals, chineseDate, formatYuan } from '@charity/documents';
import { html, type SafeHtml } from './html';
import { publicPage } from './page-layout';

/** 真实有效 / 已作废 / 查无此收据: what a scanned donation receipt turns out to be. */
export type ReceiptVerdict = 'genuine' | 'voided' | 'unknown';

export function receiptVerdict(receipt: PublicReceipt | null): ReceiptVerdict {
  if (!receipt) return 'unknown';
  return receipt.status === 'voided' ? 'voided' : 'genuine';
}

const HEADINGS: Record<ReceiptVerdict, string> = {
  genuine: '真实有效',
  voided: '已作废',
  unknown: '查无此收据',
};

function fact(label: string, value: SafeHtml | string): SafeHtml {
  return html`<div>
    <dt>${label}</dt>
    <dd>${value}</dd>
  </div>`;
}

function receiptFacts(receipt: PublicReceipt): SafeHtml {
  const amount = html`<span class="amount">¥${formatYuan(receipt.totalValueFen)}</span>
    <span class="capitals">人民币${amountInChineseCapitals(receipt.totalValueFen)}</span>`;
  return html`<dl class="facts">
    ${fact('收据编号', receipt.receiptNo)} ${fact('收据日期', chineseDate(receipt.receivedDate))}
    ${fact('接收门店', receipt.storeName)} ${fact('捐赠方', receipt.donorName)}
    ${fact('捐赠金额', amount)}
  </dl>`;
}

function verdictBox(verdict: ReceiptVerdict, detail: string): SafeHtml {
  return html`<section class="verdict ${verdict}" data-verdict="${verdict}">
    <h1>${HEADINGS[verdict]}</h1>
    <p>${detail}</p>
  </section>`;
}

function mainContent(receipt: PublicReceipt | null, requestedNo: string): SafeHtml {
  if (!receipt) {
    return html`${verdictBox('unknown', '没有找到与这个二维码相符的捐赠收据')}
      <dl class="facts">${fact('查询的收据编号', requestedNo)}</dl>
      <p class="note">
        请核对收据编号，或重新扫描收据上的二维码。如有疑问，请联系开具收据的爱心超市。
      </p>`;
  }
  if (receipt.status === 'voided') {
    const when = receipt.voidedDate ? `于${chineseDate(receipt.voidedDate)}` : '';
    return html`${verdictBox('voided', `这张收据已${when}作废，不能再作为捐赠凭证`)}
      ${receiptFacts(receipt)}
      <p class="note">如有疑问，请联系${receipt.storeName}。</p>`;
  }
  return html`${verdictBox('genuine', '这是爱心超市开具的捐赠收据')} ${receiptFacts(receipt)}
    <p class="note">请核对：以上信息应与您手中收据上印的一致。感谢您的爱心！</p>`;
}

/**
 * The page a donation receipt's QR code opens. `requestedNo` is what the link asked for, shown
 * (escaped) when no receipt answers to it.
 */
export function renderReceiptPage(
  receipt: PublicReceipt | null,
  requestedNo: string,
  unionName: string,
): string {
  const verdict = receiptVerdict(receipt);
  return publicPage({
    title: `捐赠收据验证：${HEADINGS[verdict]}`,
    brand: `${unionName} · 爱心超市捐赠收据验证`,
    main: mainContent(receipt, requestedNo),
  });
}
