import type { EntityManager } from 'typeorm';
import type { StockMovement } from './stock-movement.entity';

/** What a person calls the paper behind a stock movement (单据), not the ledger's internal ref. */
export const MOVEMENT_DOCUMENT_KINDS = [
  'donation', // 捐赠收据 JZ-…
  'donation_void', // the voided receipt JZ-…
  'redemption', // 兑换小票 DH-…
  'redemption_void', // the voided receipt DH-…
  'delivery_cancel', // the cancelled delivery's receipt DH-…
  'transfer', // 调拨单, numbered by its id as the transfers screen shows it
  'stocktake', // 盘点单, numbered by its id as the stocktakes screen shows it
  'adjustment', // 库存调整: no number of its own
  'expiry', // 过期报损 of one night: numbered by its date
] as const;
export type MovementDocumentKind = (typeof MOVEMENT_DOCUMENT_KINDS)[number];

export interface MovementDocument {
  kind: MovementDocumentKind;
  /** The document's row id, for opening it; null when it has none (adjustment, expiry). */
  id: number | null;
  /** The number printed on it or shown for it on its own screen; null when it has none. */
  number: string | null;
  /** For receipts of the till: the household served, whose page lists the receipt. */
  householdId: number | null;
}

const RECEIPTS = { donation: 'donations', redemption: 'redemptions' } as const;

function isDocumentKind(refType: string): refType is MovementDocumentKind {
  return (MOVEMENT_DOCUMENT_KINDS as readonly string[]).includes(refType);
}

function receiptTableOf(kind: MovementDocumentKind): keyof typeof RECEIPTS | null {
  if (kind === 'donation' || kind === 'donation_void') return 'donation';
  if (kind === 'redemption' || kind === 'redemption_void' || kind === 'delivery_cancel') {
    return 'redemption';
  }
  return null;
}

/**
 * The document behind each movement, in the movements' order, with two queries at most. Receipt
 * numbers live with donations and redemptions, which build on this library, so they are read here
 * by table rather than by entity (inventory cannot import those libraries without a cycle).
 */
export async function movementDocuments(
  em: EntityManager,
  movements: readonly StockMovement[],
): Promise<(MovementDocument | null)[]> {
  const wanted = { donation: new Set<number>(), redemption: new Set<number>() };
  for (const movement of movements) {
    if (!isDocumentKind(movement.refType)) continue;
    const table = receiptTableOf(movement.refType);
    const id = Number(movement.refId);
    if (table && Number.isSafeInteger(id)) wanted[table].add(id);
  }
  const receipts = {
    donation: await receiptsOf(em, 'donation', [...wanted.donation]),
    redemption: await receiptsOf(em, 'redemption', [...wanted.redemption]),
  };
  return movements.map((movement): MovementDocument | null => {
    const kind = movement.refType;
    if (!isDocumentKind(kind)) return null;
    const table = receiptTableOf(kind);
    if (table) {
      const receipt = receipts[table].get(Number(movement.refId));
      if (!receipt) return null;
      return { kind, id: receipt.id, number: receipt.receiptNo, householdId: receipt.householdId };
    }
    switch (kind) {
      case 'transfer':
      case 'stocktake': {
        const id = Number(movement.refId);
        return Number.isSafeInteger(id)
          ? { kind, id, number: String(id), householdId: null }
          : null;
      }
      case 'expiry':
        return { kind, id: null, number: movement.refId, householdId: null };
      default:
        return { kind, id: null, number: null, householdId: null };
    }
  });
}

interface ReceiptRow {
  id: number;
  receiptNo: string;
  householdId: number | null;
}

async function receiptsOf(
  em: EntityManager,
  table: keyof typeof RECEIPTS,
  ids: number[],
): Promise<Map<number, ReceiptRow>> {
  if (ids.length === 0) return new Map();
  const household = table === 'redemption' ? 'household_id' : 'NULL';
  const rows = await em.query<{ id: number; receipt_no: string; household_id: number | null }[]>(
    `SELECT id, receipt_no, ${household} AS household_id FROM ${RECEIPTS[table]} WHERE id IN (?)`,
    [ids],
  );
  return new Map(
    rows.map((row) => [
      Number(row.id),
      {
        id: Number(row.id),
        receiptNo: row.receipt_no,
        householdId: row.household_id === null ? null : Number(row.household_id),
      },
    ]),
  );
}
