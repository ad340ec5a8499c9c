import { AuditService } from '@charity/audit';
import {
  businessDate,
  NotFoundError,
  pageOf,
  skipOf,
  SYSTEM_ACTOR,
  idText,
  StatementBatch,
  ValidationFailedError,
  type Actor,
  type InsertedId,
  type Page,
  type PageQuery,
} from '@charity/common';
import { AppConfig } from '@charity/config';
import { Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource, In, type EntityManager } from 'typeorm';
import { InsufficientStockError, LotExpiredError } from './inventory-errors';
import { movementDocuments, type MovementDocument } from './movement-documents';
import { Product } from './product.entity';
import { StockLot, type LotSource } from './stock-lot.entity';
import { STOCK_TOTAL_KIND_SQL } from './stock-month-total.entity';
import { StockMovement, type MovementKind } from './stock-movement.entity';

/** The document a stock change belongs to (a donation, a redemption, a transfer …). */
export interface StockRef {
  type: string;
  id: string | number;
}

/** A movement's document, which may be written in the same batch (queueConsumption). */
export interface QueuedRef {
  type: string;
  id: string | number | InsertedId;
}

export interface ReceiveInput {
  storeId: number;
  productId: number;
  quantity: number;
  unitValueFen: number;
  expiryDate: string | null;
  source: LotSource;
  kind: MovementKind;
  ref: StockRef;
  note?: string | null;
}

export interface ConsumeLine {
  productId: number;
  quantity: number;
}

export interface ConsumeOptions {
  kind: MovementKind;
  /** An InsertedId only with queueConsumption, for a document in the same batch. */
  ref: QueuedRef;
  note?: string | null;
  /** Write-offs and counts may take expired goods; sales and transfers never do. */
  includeExpired?: boolean;
  /** Take from this lot only (e.g. writing off one damaged lot). */
  lotId?: number;
  /**
   * The products' names (for the errors) when the caller has just read them, as the till has:
   * saves reading the products again.
   */
  productNames?: ReadonlyMap<number, string>;
  /**
   * Every in-stock lot of the products at the store, as the caller locked them with
   * queueLotLock in this transaction (the till, which locks them with its receipt number).
   */
  locked?: readonly LockedLot[];
}

/** What a consumption took from one lot; callers keep it to reverse or value the goods. */
export interface ConsumedLot {
  lotId: number;
  productId: number;
  quantity: number;
  expiryDate: string | null;
  unitValueFen: number;
  /** Where the lot came from (`donation` and the donation's id …), for traceability. */
  sourceType: LotSource;
  sourceRef: string | null;
}

export const ADJUSTMENT_REASONS = ['damaged', 'expired', 'lost', 'found', 'other'] as const;
export type AdjustmentReason = (typeof ADJUSTMENT_REASONS)[number];

const REASON_LABELS: Record<AdjustmentReason, string> = {
  damaged: '损坏',
  expired: '过期',
  lost: '丢失',
  found: '盘盈/找到',
  other: '其他',
};

export interface AdjustmentInput {
  storeId: number;
  productId: number;
  /** Signed; never zero. */
  quantity: number;
  reason: AdjustmentReason;
  note?: string | null;
  lotId?: number;
  expiryDate?: string | null;
  unitValueFen?: number;
}

export interface AdjustmentResult {
  id: string;
  storeId: number;
  productId: number;
  quantity: number;
  reason: AdjustmentReason;
  lots: { lotId: number; quantity: number }[];
  onHand: number;
}

export interface LotView {
  lotId: number;
  quantity: number;
  expiryDate: string | null;
  expired: boolean;
  unitValueFen: number;
  source: LotSource;
  receivedAt: Date;
}

export interface StockLevel {
  productId: number;
  name: string;
  unit: string;
  category: string | null;
  /** Everything in the store, expired lots included. */
  onHand: number;
  /** What can still be handed out (not expired). */
  available: number;
  /** onHand at the product's reference value. */
  valueFen: number;
  lowStockThreshold: number;
  lots: LotView[];
}

export interface MovementFilter {
  productId?: number;
  kind?: MovementKind;
  /** Local business dates, inclusive. */
  from?: string;
  to?: string;
}

/** A ledger row with the document (单据) a person knows it by. */
export type DocumentedMovement = StockMovement & { document: MovementDocument | null };

export type ExpiryBucket = 'expired' | 'within30' | 'within60' | 'within90';

export interface StockAlerts {
  lowStock: { productId: number; name: string; available: number; threshold: number }[];
  expiring: {
    lotId: number;
    productId: number;
    name: string;
    quantity: number;
    expiryDate: string;
    daysLeft: number;
    bucket: ExpiryBucket;
  }[];
}

export interface LedgerMismatch {
  lotId: number;
  storeId: number;
  productId: number;
  cached: number;
  ledger: number;
}

export interface WriteOffResult {
  lots: number;
  units: number;
  valueFen: number;
}

const DAY_MS = 86_400_000;

/**
 * stock_lots' (store_id, product_id, expiry_date) index. Every locking read of lots walks it, so
 * row locks are always taken in its order (store, product, expiry with undated first, id) and
 * concurrent writers queue instead of deadlocking. Left to itself the optimizer may pick the
 * product_id foreign-key index for an IN list, which locks the products' lots at every store, in id
 * order.
 */
const LOT_LOCK_INDEX = 'IDX_b6534149695869876838720344';

/** A lot as its locking read returns it. */
/** A lot as a locking read found it. */
export interface LockedLot {
  id: number;
  storeId: number;
  productId: number;
  expiryDate: string | null;
  unitValueFen: number;
  quantity: number;
  sourceType: LotSource;
  sourceRef: string | null;
}

/** One signed change of one lot's cached quantity. */
interface LotChange {
  lotId: number;
  productId: number;
  delta: number;
}

function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS);
}

/**
 * The only code that changes stock. Every change is a lot update guarded against going below zero
 * plus an appended movement, inside the caller's transaction (`em` is always required), so a
 * donation, a checkout or a transfer commits its stock with the rest of its document.
 */
@Injectable()
export class StockService {
  private readonly logger = new Logger(StockService.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly config: AppConfig,
    private readonly audit: AuditService,
  ) {}

  today(): string {
    return businessDate(new Date(), this.config.timeZone);
  }

  /** Puts goods into a new lot and records the movement. */
  async receive(em: EntityManager, actor: Actor | null, input: ReceiveInput): Promise<StockLot> {
    if (!Number.isInteger(input.quantity) || input.quantity <= 0) {
      throw new Error(`receive quantity must be a positive integer, got ${input.quantity}`);
    }
    const now = new Date();
    const lot = em.create(StockLot, {
      storeId: input.storeId,
      productId: input.productId,
      sourceType: input.source,
      sourceRef: String(input.ref.id),
      expiryDate: input.expiryDate,
      unitValueFen: input.unitValueFen,
      initialQuantity: input.quantity,
      quantity: input.quantity,
      receivedAt: now,
    });
    await em.insert(StockLot, lot);
    const batch = new StatementBatch();
    this.queueMovements(batch, actor, now, [
      {
        storeId: input.storeId,
        productId: input.productId,
        lotId: lot.id,
        kind: input.kind,
        quantity: input.quantity,
        ref: input.ref,
        note: input.note ?? null,
      },
    ]);
    await batch.run(em);
    return lot;
  }

  /**
   * Takes goods first-expiry-first-out, never from an expired lot unless asked, and fails with
   * INSUFFICIENT_STOCK naming the first short product (in id order). One locking read takes every
   * lot of every requested product in LOT_LOCK_INDEX order, so concurrent checkouts queue instead of
   * deadlocking; the takes are worked out in memory and written with one guarded UPDATE and one
   * INSERT, so a checkout costs the same round trips however many lines and lots it has.
   */
  async consumeFefo(
    em: EntityManager,
    actor: Actor | null,
    storeId: number,
    lines: ConsumeLine[],
    options: ConsumeOptions,
  ): Promise<ConsumedLot[]> {
    const batch = new StatementBatch();
    const consumed = await this.queueConsumption(em, batch, actor, storeId, lines, options);
    await batch.run(em);
    return consumed;
  }

  /**
   * consumeFefo for a caller that sends the writes itself, with its own, in `batch` (the till):
   * locks the lots and works out the takes now, and queues the lot update and the movements.
   */
  async queueConsumption(
    em: EntityManager,
    batch: StatementBatch,
    actor: Actor | null,
    storeId: number,
    lines: ConsumeLine[],
    options: ConsumeOptions,
  ): Promise<ConsumedLot[]> {
    const wanted = new Map<number, number>();
    for (const line of lines) {
      if (!Number.isInteger(line.quantity) || line.quantity <= 0) {
        throw new Error(`consume quantity must be a positive integer, got ${line.quantity}`);
      }
      wanted.set(line.productId, (wanted.get(line.productId) ?? 0) + line.quantity);
    }
    const productIds = [...wanted.keys()].sort((a, b) => a - b);
    const names = productIds.every((id) => options.productNames?.has(id))
      ? (options.productNames as ReadonlyMap<number, string>)
      : await this.productNames(em, productIds);
    const lotsByProduct = new Map<number, LockedLot[]>();
    const locked =
      options.locked ??
      (await this.lockLots(
        em,
        productIds.map((productId) => ({ storeId, productId })),
        { inStockOnly: true },
      ));
    for (const lot of locked) {
      const lots = lotsByProduct.get(lot.productId);
      if (lots) lots.push(lot);
      else lotsByProduct.set(lot.productId, [lot]);
    }
    const today = this.today();
    const now = new Date();
    const taken: ConsumedLot[] = [];

    for (const productId of productIds) {
      const requested = wanted.get(productId) ?? 0;
      const name = names.get(productId);
      if (name === undefined) throw new NotFoundError('product', productId);
      const lots = (lotsByProduct.get(productId) ?? []).filter(
        (lot) => options.lotId === undefined || lot.id === options.lotId,
      );
      if (options.lotId !== undefined && lots.length === 0) {
        throw new NotFoundError('lot', options.lotId);
      }
      const usable = lots.filter(
        (lot) => options.includeExpired || lot.expiryDate === null || lot.expiryDate >= today,
      );
      if (options.lotId !== undefined && usable.length === 0 && lots[0]?.expiryDate) {
        throw new LotExpiredError(options.lotId, name, lots[0].expiryDate);
      }
      const available = usable.reduce((sum, lot) => sum + lot.quantity, 0);
      if (available < requested) {
        throw new InsufficientStockError(productId, name, requested, available);
      }
      let remaining = requested;
      for (const lot of usable) {
        if (remaining === 0) break;
        const quantity = Math.min(lot.quantity, remaining);
        taken.push({
          lotId: lot.id,
          productId,
          quantity,
          expiryDate: lot.expiryDate,
          unitValueFen: lot.unitValueFen,
          sourceType: lot.sourceType,
          sourceRef: lot.sourceRef,
        });
        remaining -= quantity;
      }
    }

    this.queueLotMoves(
      batch,
      taken.map((part) => ({
        lotId: part.lotId,
        productId: part.productId,
        delta: -part.quantity,
      })),
      names,
      locked,
    );
    this.queueMovements(
      batch,
      actor,
      now,
      taken.map((part) => ({
        storeId,
        productId: part.productId,
        lotId: part.lotId,
        kind: options.kind,
        quantity: -part.quantity,
        ref: options.ref,
        note: options.note ?? null,
      })),
    );
    return taken;
  }

  /**
   * Undoes every movement of a document that has not been undone yet, lot by lot: goods taken
   * go back into the very lots they came from (keeping their expiry); goods received come out
   * again, which fails with INSUFFICIENT_STOCK if they have been handed out meanwhile. Like
   * consumeFefo it costs the same round trips however many movements it undoes.
   */
  async reverse(
    em: EntityManager,
    actor: Actor | null,
    original: StockRef,
    reversal: { kind: MovementKind; ref: StockRef; note?: string | null },
  ): Promise<StockMovement[]> {
    const movements = await em.getRepository(StockMovement).find({
      where: { refType: original.type, refId: String(original.id) },
      order: { id: 'ASC' },
    });
    if (movements.length === 0) return [];
    const alreadyReversed = new Set(
      (
        await em.getRepository(StockMovement).find({
          select: { reversesMovementId: true },
          where: { reversesMovementId: In(movements.map((m) => m.id)) },
        })
      ).map((m) => m.reversesMovementId),
    );
    const pending = movements
      .filter((m) => !alreadyReversed.has(m.id))
      .sort((a, b) => a.productId - b.productId || a.lotId - b.lotId);
    const names = await this.productNames(
      em,
      pending.map((m) => m.productId),
    );
    // lock as consumeFefo does (every lot of the products, in LOT_LOCK_INDEX order) so a reversal
    // and a checkout of the same goods queue instead of deadlocking
    const locked = await this.lockLots(em, pending, { inStockOnly: false });
    const changes = new Map<number, LotChange>();
    for (const movement of pending) {
      const change = changes.get(movement.lotId);
      if (change) change.delta -= movement.quantity;
      else {
        changes.set(movement.lotId, {
          lotId: movement.lotId,
          productId: movement.productId,
          delta: -movement.quantity,
        });
      }
    }
    const now = new Date();
    const batch = new StatementBatch();
    this.queueLotMoves(
      batch,
      [...changes.values()].filter((change) => change.delta !== 0),
      names,
      locked,
    );
    this.queueMovements(
      batch,
      actor,
      now,
      pending.map((movement) => ({
        storeId: movement.storeId,
        productId: movement.productId,
        lotId: movement.lotId,
        kind: reversal.kind,
        quantity: -movement.quantity,
        ref: reversal.ref,
        note: reversal.note ?? null,
        reversesMovementId: movement.id,
      })),
    );
    await batch.run(em);
    return em.getRepository(StockMovement).find({
      where: { refType: reversal.ref.type, refId: String(reversal.ref.id) },
      order: { id: 'ASC' },
    });
  }

  /** 库存调整 by a manager: a signed quantity with a reason; never below zero. */
  async adjust(actor: Actor, input: AdjustmentInput): Promise<AdjustmentResult> {
    const outward = input.quantity < 0;
    if (input.quantity === 0 || !Number.isInteger(input.quantity)) {
      throw ValidationFailedError.field('quantity', '调整数量必须是非零整数', 'notEquals');
    }
    if (input.reason === 'found' && outward) {
      throw ValidationFailedError.field('quantity', '原因为“找到”时数量必须为正', 'isPositive');
    }
    if (['damaged', 'expired', 'lost'].includes(input.reason) && !outward) {
      const message = `原因为“${REASON_LABELS[input.reason]}”时数量必须为负`;
      throw ValidationFailedError.field('quantity', message, 'isNegative');
    }
    const id = randomUUID();
    const ref: StockRef = { type: 'adjustment', id };
    const note = `${REASON_LABELS[input.reason]}${input.note ? `：${input.note}` : ''}`;
    return this.dataSource.transaction(async (em) => {
      const product = await em.findOneBy(Product, { id: input.productId });
      if (!product) throw new NotFoundError('product', input.productId);
      let lots: { lotId: number; quantity: number }[];
      if (outward) {
        const consumed = await this.consumeFefo(
          em,
          actor,
          input.storeId,
          [{ productId: input.productId, quantity: -input.quantity }],
          { kind: 'adjustment', ref, note, includeExpired: true, lotId: input.lotId },
        );
        lots = consumed.map((part) => ({ lotId: part.lotId, quantity: -part.quantity }));
      } else {
        const lot = await this.receive(em, actor, {
          storeId: input.storeId,
          productId: input.productId,
          quantity: input.quantity,
          unitValueFen: input.unitValueFen ?? product.unitValueFen,
          expiryDate: input.expiryDate ?? null,
          source: 'adjustment',
          kind: 'adjustment',
          ref,
          note,
        });
        lots = [{ lotId: lot.id, quantity: input.quantity }];
      }
      await this.audit.record(em, actor, {
        action: 'stock.adjust',
        entityType: 'product',
        entityId: product.id,
        summary: `库存调整 ${product.name} ${input.quantity > 0 ? '+' : ''}${input.quantity}${product.unit}（${note}）`,
        storeId: input.storeId,
      });
      const onHand = await this.onHand(em, input.storeId, input.productId);
      return {
        id,
        storeId: input.storeId,
        productId: input.productId,
        quantity: input.quantity,
        reason: input.reason,
        lots,
        onHand,
      };
    });
  }

  /** Nightly: every lot past its expiry date is written off with `expiry_writeoff` movements. */
  async writeOffExpired(today = this.today()): Promise<WriteOffResult> {
    const expired = await this.dataSource
      .getRepository(StockLot)
      .createQueryBuilder('lot')
      .select(['lot.id'])
      .where('lot.quantity > 0 AND lot.expiryDate < :today', { today })
      .orderBy('lot.id', 'ASC')
      .getMany();
    const result: WriteOffResult = { lots: 0, units: 0, valueFen: 0 };
    for (const { id } of expired) {
      await this.dataSource.transaction(async (em) => {
        const candidate = await em.findOneByOrFail(StockLot, { id });
        const lot = (await this.lockLots(em, [candidate], { inStockOnly: true })).find(
          (locked) => locked.id === id,
        );
        if (!lot) return; // adjusted away or written off meanwhile
        const consumed = await this.consumeFefo(
          em,
          SYSTEM_ACTOR,
          lot.storeId,
          [{ productId: lot.productId, quantity: lot.quantity }],
          {
            kind: 'expiry_writeoff',
            ref: { type: 'expiry', id: today },
            note: `过期报损（保质期至 ${lot.expiryDate}）`,
            includeExpired: true,
            lotId: lot.id,
          },
        );
        for (const part of consumed) {
          result.lots += 1;
          result.units += part.quantity;
          result.valueFen += part.quantity * part.unitValueFen;
        }
      });
    }
    if (result.lots > 0) {
      this.logger.log(`wrote off ${result.units} units in ${result.lots} expired lots`);
    }
    return result;
  }

  async levels(storeId: number): Promise<StockLevel[]> {
    const today = this.today();
    const lots = await this.dataSource.getRepository(StockLot).find({
      where: { storeId },
      relations: { product: { category: true } },
      order: { productId: 'ASC', expiryDate: 'ASC', id: 'ASC' },
    });
    const levels = new Map<number, StockLevel>();
    for (const lot of lots) {
      if (lot.quantity === 0) continue;
      const product = lot.product;
      if (!product) continue;
      let level = levels.get(product.id);
      if (!level) {
        level = {
          productId: product.id,
          name: product.name,
          unit: product.unit,
          category: product.category?.name ?? null,
          onHand: 0,
          available: 0,
          valueFen: 0,
          lowStockThreshold: product.lowStockThreshold,
          lots: [],
        };
        levels.set(product.id, level);
      }
      const expired = lot.expiryDate !== null && lot.expiryDate < today;
      level.onHand += lot.quantity;
      if (!expired) level.available += lot.quantity;
      level.valueFen += lot.quantity * product.unitValueFen;
      level.lots.push({
        lotId: lot.id,
        quantity: lot.quantity,
        expiryDate: lot.expiryDate,
        expired,
        unitValueFen: lot.unitValueFen,
        source: lot.sourceType,
        receivedAt: lot.receivedAt,
      });
    }
    return [...levels.values()];
  }

  async movements(
    storeId: number,
    filter: MovementFilter,
    page: PageQuery,
  ): Promise<Page<DocumentedMovement>> {
    const qb = this.dataSource
      .getRepository(StockMovement)
      .createQueryBuilder('m')
      .where('m.storeId = :storeId', { storeId });
    if (filter.productId !== undefined) qb.andWhere('m.productId = :productId', filter);
    if (filter.kind !== undefined) qb.andWhere('m.kind = :kind', filter);
    if (filter.from !== undefined) qb.andWhere('m.businessDate >= :from', filter);
    if (filter.to !== undefined) qb.andWhere('m.businessDate <= :to', filter);
    const [items, total] = await qb
      .orderBy('m.id', 'DESC')
      .skip(skipOf(page))
      .take(page.pageSize)
      .getManyAndCount();
    const documents = await movementDocuments(this.dataSource.manager, items);
    return pageOf(
      items.map((movement, index) => ({ ...movement, document: documents[index] ?? null })),
      total,
      page,
    );
  }

  async alerts(storeId: number): Promise<StockAlerts> {
    const today = this.today();
    const lowStock = await this.dataSource.query<
      { productId: number; name: string; available: string; threshold: number }[]
    >(
      `SELECT p.id AS productId, p.name AS name, p.low_stock_threshold AS threshold,
              COALESCE(SUM(CASE WHEN l.expiry_date IS NULL OR l.expiry_date >= ? THEN l.quantity END), 0) AS available
         FROM products p
         JOIN stock_lots l ON l.product_id = p.id AND l.store_id = ?
        WHERE p.active = 1 AND p.low_stock_threshold > 0
        GROUP BY p.id, p.name, p.low_stock_threshold
       HAVING available <= p.low_stock_threshold
        ORDER BY p.id`,
      [today, storeId],
    );
    const horizon = new Date(Date.parse(`${today}T00:00:00Z`) + 90 * DAY_MS)
      .toISOString()
      .slice(0, 10);
    const lots = await this.dataSource
      .getRepository(StockLot)
      .createQueryBuilder('lot')
      .innerJoinAndSelect('lot.product', 'product')
      .where('lot.storeId = :storeId AND lot.quantity > 0 AND lot.expiryDate <= :horizon', {
        storeId,
        horizon,
      })
      .orderBy('lot.expiryDate', 'ASC')
      .addOrderBy('lot.id', 'ASC')
      .getMany();
    return {
      lowStock: lowStock.map((row) => ({
        productId: Number(row.productId),
        name: row.name,
        available: Number(row.available),
        threshold: Number(row.threshold),
      })),
      expiring: lots.map((lot) => {
        const expiryDate = lot.expiryDate ?? today;
        const daysLeft = daysBetween(today, expiryDate);
        const bucket: ExpiryBucket =
          daysLeft < 0
            ? 'expired'
            : daysLeft <= 30
              ? 'within30'
              : daysLeft <= 60
                ? 'within60'
                : 'within90';
        return {
          lotId: lot.id,
          productId: lot.productId,
          name: lot.product?.name ?? '',
          quantity: lot.quantity,
          expiryDate,
          daysLeft,
          bucket,
        };
      }),
    };
  }

  /** Lots whose cached quantity differs from the sum of their movements (should be none). */
  async ledgerMismatches(em: EntityManager = this.dataSource.manager): Promise<LedgerMismatch[]> {
    return findStockLedgerMismatches(em);
  }

  private async onHand(em: EntityManager, storeId: number, productId: number): Promise<number> {
    const [row] = await em.query<{ onHand: string | null }[]>(
      'SELECT SUM(quantity) AS onHand FROM stock_lots WHERE store_id = ? AND product_id = ?',
      [storeId, productId],
    );
    return Number(row?.onHand ?? 0);
  }

  /**
   * Row-locks every lot of the given products at the given stores in one statement, returned
   * soonest expiry first (undated last) within each product. InnoDB locks rows in the order it
   * walks the index, not in the ORDER BY, so the index is forced: every path that changes lots
   * locks through here and so always queues in the same order.
   */
  private async lockLots(
    em: EntityManager,
    scope: { storeId: number; productId: number }[],
    options: { inStockOnly: boolean },
  ): Promise<LockedLot[]> {
    const batch = new StatementBatch();
    const locked = this.queueLocks(batch, scope, options);
    await batch.run(em);
    return locked();
  }

  /**
   * The lock queueConsumption takes, queued in `batch` for a caller that locks more in the same
   * round trip (the till): every in-stock lot of the products at the store. Hand what the function
   * gives, once the batch has run, to queueConsumption as `locked`.
   */
  queueLotLock(batch: StatementBatch, storeId: number, productIds: number[]): () => LockedLot[] {
    return this.queueLocks(
      batch,
      productIds.map((productId) => ({ storeId, productId })),
      { inStockOnly: true },
    );
  }

  private queueLocks(
    batch: StatementBatch,
    scope: { storeId: number; productId: number }[],
    options: { inStockOnly: boolean },
  ): () => LockedLot[] {
    const productsByStore = new Map<number, Set<number>>();
    for (const { storeId, productId } of scope) {
      productsByStore.set(storeId, (productsByStore.get(storeId) ?? new Set()).add(productId));
    }
    if (productsByStore.size === 0) return () => [];
    const stores = [...productsByStore.entries()].sort(([a], [b]) => a - b);
    const where = stores
      .map(([, ids]) => `(store_id = ? AND product_id IN (${[...ids].map(() => '?').join(', ')}))`)
      .join(' OR ');
    // the driver may answer numbers as strings: they are converted below
    const read = batch.select<LockedLot>(
      `SELECT id, store_id AS storeId, product_id AS productId, unit_value_fen AS unitValueFen,
              DATE_FORMAT(expiry_date, '%Y-%m-%d') AS expiryDate, quantity,
              source_type AS sourceType, source_ref AS sourceRef
         FROM stock_lots FORCE INDEX (${LOT_LOCK_INDEX})
        WHERE (${where})${options.inStockOnly ? ' AND quantity > 0' : ''}
        ORDER BY store_id, product_id, expiry_date IS NULL, expiry_date, id
          FOR UPDATE`,
      stores.flatMap(([storeId, ids]) => [storeId, ...[...ids].sort((a, b) => a - b)]),
    );
    return () =>
      batch.rowsOf(read).map((row) => ({
        id: Number(row.id),
        storeId: Number(row.storeId),
        productId: Number(row.productId),
        expiryDate: row.expiryDate,
        unitValueFen: Number(row.unitValueFen),
        quantity: Number(row.quantity),
        sourceType: row.sourceType,
        sourceRef: row.sourceRef,
      }));
  }

  private async productNames(em: EntityManager, ids: number[]): Promise<Map<number, string>> {
    const unique = [...new Set(ids)];
    if (unique.length === 0) return new Map();
    const products = await em
      .getRepository(Product)
      .find({ select: { id: true, name: true }, where: { id: In(unique) } });
    return new Map(products.map((product) => [product.id, product.name]));
  }

  /**
   * The guard that keeps every lot at zero or above whatever runs concurrently: one UPDATE moves
   * all the lots (each at most once in `changes`), and only if every one of them can move. The
   * caller has locked the lots (`held`, as that read found them), so what a failed guard reports
   * is what the lot held then.
   */
  private queueLotMoves(
    batch: StatementBatch,
    changes: LotChange[],
    names: ReadonlyMap<number, string>,
    held: readonly LockedLot[],
  ): void {
    if (changes.length === 0) return;
    const cases = changes.map(() => 'WHEN ? THEN ?').join(' ');
    const ids = changes.map((change) => change.lotId);
    // the guard compares with what leaves the lot rather than adding a negative: `unsigned +
    // negative` below zero is an out-of-range error in MySQL, not a failed condition
    batch.add(
      `UPDATE stock_lots SET quantity = quantity + CASE id ${cases} END
        WHERE id IN (${ids.map(() => '?').join(', ')}) AND quantity >= CASE id ${cases} END`,
      [
        ...changes.flatMap((change) => [change.lotId, change.delta]),
        ...ids,
        ...changes.flatMap((change) => [change.lotId, Math.max(0, -change.delta)]),
      ],
      (result) => {
        if (result.affectedRows === changes.length) return;
        const quantities = new Map(held.map((lot) => [lot.id, lot.quantity]));
        const short =
          changes.find((change) => (quantities.get(change.lotId) ?? 0) < -change.delta) ??
          changes[0];
        throw new InsufficientStockError(
          short.productId,
          names.get(short.productId) ?? `#${short.productId}`,
          -short.delta,
          quantities.get(short.lotId) ?? 0,
        );
      },
    );
  }

  /** The movements, one multi-row INSERT, and the month's value totals they move. */
  private queueMovements(
    batch: StatementBatch,
    actor: Actor | null,
    at: Date,
    rows: {
      storeId: number;
      productId: number;
      lotId: number;
      kind: MovementKind;
      quantity: number;
      ref: QueuedRef;
      note: string | null;
      reversesMovementId?: string;
    }[],
  ): void {
    if (rows.length === 0) return;
    const date = businessDate(at, this.config.timeZone);
    const actorId = actor && actor.userId !== 0 ? actor.userId : null;
    batch.insertRows(
      'stock_movements',
      [
        'store_id',
        'product_id',
        'lot_id',
        'kind',
        'quantity',
        'actor_id',
        'ref_type',
        'ref_id',
        'reverses_movement_id',
        'note',
        'occurred_at',
        'business_date',
      ],
      rows.map((row) => [
        row.storeId,
        row.productId,
        row.lotId,
        row.kind,
        row.quantity,
        actorId,
        row.ref.type,
        idText(row.ref.id),
        row.reversesMovementId ?? null,
        row.note,
        at,
        date,
      ]),
    );
    // the totals of the movements just queued, as values: their ids are not known (a multi-row
    // INSERT is answered with its first row's id only, and ids may come in steps of a cluster's size)
    const moved = rows
      .map(() => 'SELECT ? AS store_id, ? AS lot_id, ? AS kind, ? AS ref_type, ? AS quantity')
      .join(' UNION ALL ');
    batch.add(
      `INSERT INTO stock_month_totals (business_month, store_id, kind, value_fen)
       SELECT ?, m.store_id, ${STOCK_TOTAL_KIND_SQL}, SUM(m.quantity * CAST(l.unit_value_fen AS SIGNED))
         FROM (${moved}) m JOIN stock_lots l ON l.id = m.lot_id
        GROUP BY m.store_id, 3
       ON DUPLICATE KEY UPDATE value_fen = value_fen + VALUES(value_fen)`,
      [
        date.slice(0, 7),
        ...rows.flatMap((row) => [row.storeId, row.lotId, row.kind, row.ref.type, row.quantity]),
      ],
    );
  }
}

/** Shared by the service and `npm run check:ledgers`. */
export async function findStockLedgerMismatches(em: EntityManager): Promise<LedgerMismatch[]> {
  const rows = await em.query<
    { lotId: number; storeId: number; productId: number; cached: number; ledger: string | null }[]
  >(
    `SELECT l.id AS lotId, l.store_id AS storeId, l.product_id AS productId, l.quantity AS cached,
            COALESCE(m.total, 0) AS ledger
       FROM stock_lots l
       LEFT JOIN (SELECT lot_id, SUM(quantity) AS total FROM stock_movements GROUP BY lot_id) m
              ON m.lot_id = l.id
      WHERE l.quantity <> COALESCE(m.total, 0)
      ORDER BY l.id`,
  );
  return rows.map((row) => ({
    lotId: Number(row.lotId),
    storeId: Number(row.storeId),
    productId: Number(row.productId),
    cached: Number(row.cached),
    ledger: Number(row.ledger ?? 0),
  }));
}
