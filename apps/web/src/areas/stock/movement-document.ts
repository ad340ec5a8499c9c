// The 单据 column of the stock ledger: the document's own number (receipt DH-…/JZ-…, 调拨单 12,
// 盘点单 3) and the screen that shows it, if the signed-in user may open that screen.
import { areaOf } from '@/areas';
import { hasRole } from '@/session';
import type { MovementDocument, MovementDocumentKind } from './stock';

const LABELS: Record<MovementDocumentKind, string> = {
  donation: '捐赠收据',
  donation_void: '作废收据',
  redemption: '兑换小票',
  redemption_void: '作废小票',
  delivery_cancel: '取消送货',
  transfer: '调拨单',
  stocktake: '盘点单',
  adjustment: '库存调整',
  expiry: '过期报损',
};

export interface DocumentCell {
  /** What the document is, for the tooltip and for documents without a number. */
  label: string;
  /** What is shown: the receipt number alone (the 类型 column says what it is), else label + id. */
  text: string;
  link: string | null;
}

function screenOf(document: MovementDocument): string | null {
  switch (document.kind) {
    case 'redemption':
    case 'redemption_void':
    case 'delivery_cancel':
      // the household's page lists its receipts with their numbers
      return document.householdId === null ? null : `/households/${document.householdId}`;
    case 'donation':
    case 'donation_void':
      return '/intake';
    case 'transfer':
      return '/stock/transfers';
    case 'stocktake':
      return document.id === null ? null : `/stock/stocktakes/${document.id}`;
    case 'adjustment':
    case 'expiry':
      return null;
  }
}

function mayOpen(path: string): boolean {
  const area = areaOf(path);
  return area !== undefined && hasRole(...area.roles);
}

export function documentCell(document: MovementDocument | null): DocumentCell {
  if (document === null) return { label: '', text: '—', link: null };
  const label = LABELS[document.kind];
  const receipt = /^(DH|JZ)-/.test(document.number ?? '');
  const text =
    document.number === null || document.kind === 'expiry'
      ? label
      : receipt
        ? document.number
        : `${label} ${document.number}`;
  const screen = screenOf(document);
  return { label, text, link: screen !== null && mayOpen(screen) ? screen : null };
}
