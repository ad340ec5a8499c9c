import { type Actor, type InsertedId, type StatementBatch } from '@charity/common';
import { type Household } from '@charity/households';
import { type ConsumedLot } from '@charity/inventory';
import { type Cart, type CartItem } from './cart-rules';
import { LineValueTooLargeError, MAX_LINE_VALUE_FEN } from './redemption-errors';
import { type RedemptionLineLot } from './redemption-line-lot.entity';
import { type RedemptionLine } from './redemption-line.entity';
import { type Redemption } from './redemption.entity';
import { donationOf, type RedemptionLineView } from './redemption-views.service';

// A checkout's writes, queued in its batch. Plain SQL: the ORM's insert would read each row back
// for its column defaults.

type Queued<T> = Omit<T, 'id' | 'redemptionId'> & { redemptionId: InsertedId };

/**
 * A checkout's lines and, per line, the lots it drew from, queued as two multi-row inserts
 * whatever the cart, then the redemption's goods value; returns that value and the lines as the
 * receipt shows them.
 */
export function queueLines(
  batch: StatementBatch,
  redemptionId: InsertedId,
  items: CartItem[],
  consumed: ConsumedLot[],
): { goodsValueFen: number; lines: RedemptionLineView[] } {
  const lines: Queued<RedemptionLine>[] = [];
  const lots: Queued<RedemptionLineLot>[] = [];
  const views: RedemptionLineView[] = [];
  let total = 0;
  items.forEach((item, index) => {
    const lineNo = index + 1;
    const taken = consumed.filter((part) => part.productId === item.product.id);
    const valueFen = taken.reduce((sum, part) => sum + part.quantity * part.unitValueFen, 0);
    if (valueFen > MAX_LINE_VALUE_FEN) {
      // the statements are only queued: nothing is written, and the transaction rolls back
      throw new LineValueTooLargeError(
        {
          index: item.line - 1,
          productId: item.product.id,
          name: item.product.name,
          quantity: item.quantity,
        },
        valueFen,
      );
    }
    total += valueFen;
    const line = {
      redemptionId,
      lineNo,
      productId: item.product.id,
      categoryId: item.product.categoryId,
      productName: item.product.name,
      unit: item.product.unit,
      quantity: item.quantity,
      pointPrice: item.product.pointPrice,
      points: item.quantity * item.product.pointPrice,
      valueFen,
    };
    lines.push(line);
    for (const part of taken) {
      lots.push({
        redemptionId,
        lineNo,
        lotId: part.lotId,
        quantity: part.quantity,
        unitValueFen: part.unitValueFen,
      });
    }
    views.push({
      lineNo,
      productId: line.productId,
      name: line.productName,
      unit: line.unit,
      quantity: line.quantity,
      pointPrice: line.pointPrice,
      points: line.points,
      valueFen,
      lots: taken.map((part) => ({
        lotId: part.lotId,
        quantity: part.quantity,
        unitValueFen: part.unitValueFen,
        donationId: donationOf(part.sourceType, part.sourceRef),
      })),
    });
  });
  batch.insertRows(
    'redemption_lines',
    [
      'redemption_id',
      'line_no',
      'product_id',
      'category_id',
      'product_name',
      'unit',
      'quantity',
      'point_price',
      'points',
      'value_fen',
    ],
    lines.map((line) => [
      line.redemptionId,
      line.lineNo,
      line.productId,
      line.categoryId,
      line.productName,
      line.unit,
      line.quantity,
      line.pointPrice,
      line.points,
      line.valueFen,
    ]),
  );
  if (lots.length > 0) {
    batch.insertRows(
      'redemption_line_lots',
      ['redemption_id', 'line_no', 'lot_id', 'quantity', 'unit_value_fen'],
      lots.map((lot) => [lot.redemptionId, lot.lineNo, lot.lotId, lot.quantity, lot.unitValueFen]),
    );
  }
  batch.add('UPDATE redemptions SET goods_value_fen = ? WHERE id = ?', [total, redemptionId]);
  return { goodsValueFen: total, lines: views };
}

/** What a checkout records of itself before its goods' value is known. */
export function newRedemption(checkout: {
  actor: Actor;
  cart: Cart;
  receiptNo: string;
  store: { id: number };
  household: Household;
  pointsTotal: number;
  /** Where a delivery goes (the cart rules made sure there is one). */
  address: string | null;
  occurredAt: Date;
  businessDate: string;
  idempotencyKey: string;
  requestHash: string;
}): Omit<Redemption, 'id'> {
  const { actor, cart, household } = checkout;
  const delivery = cart.fulfilment === 'delivery';
  return {
    receiptNo: checkout.receiptNo,
    storeId: checkout.store.id,
    householdId: household.id,
    householdCategory: household.category,
    status: delivery ? 'awaiting_delivery' : 'completed',
    fulfilment: delivery ? 'delivery' : 'pickup',
    pointsTotal: checkout.pointsTotal,
    goodsValueFen: 0,
    balanceBefore: household.balance,
    balanceAfter: household.balance - checkout.pointsTotal,
    occurredAt: checkout.occurredAt,
    businessDate: checkout.businessDate,
    businessMonth: checkout.businessDate.slice(0, 7),
    createdBy: actor.userId,
    idempotencyKey: checkout.idempotencyKey,
    requestHash: checkout.requestHash,
    limitOverrideReason: cart.limitOverrideReason ?? null,
    limitOverrideBy: cart.limitOverrideReason ? actor.userId : null,
    deliveryAddress: delivery ? checkout.address : null,
    deliveryNote: delivery ? (cart.deliveryNote ?? null) : null,
    receivedBy: null,
    deliveredAt: null,
    deliveredBy: null,
    voidReason: null,
    voidedBy: null,
    voidedAt: null,
  };
}

/** The redemption's row; its id is known once the batch has run. */
export function queueRedemption(batch: StatementBatch, row: Omit<Redemption, 'id'>): InsertedId {
  const inserted = batch.add(
    `INSERT INTO redemptions (receipt_no, store_id, household_id, household_category, status, fulfilment,
        points_total, goods_value_fen, balance_before, balance_after, occurred_at, business_date,
        business_month, created_by, idempotency_key, request_hash, limit_override_reason,
        limit_override_by, delivery_address, delivery_note)
     VALUES (?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    [
      row.receiptNo,
      row.storeId,
      row.householdId,
      row.householdCategory,
      row.status,
      row.fulfilment,
      row.pointsTotal,
      row.balanceBefore,
      row.balanceAfter,
      row.occurredAt,
      row.businessDate,
      row.businessMonth,
      row.createdBy,
      row.idempotencyKey,
      row.requestHash,
      row.limitOverrideReason,
      row.limitOverrideBy,
      row.deliveryAddress,
      row.deliveryNote,
    ],
  );
  return batch.idOf(inserted);
}
