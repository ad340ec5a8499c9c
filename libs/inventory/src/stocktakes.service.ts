import { AuditService } from '@charity/audit';
import {
  DomainError,
  NotFoundError,
  pageOf,
  skipOf,
  ValidationFailedError,
  type Actor,
  type Page,
  type PageQuery,
} from '@charity/common';
import { Store } from '@charity/organisation';
import { Injectable } from '@nestjs/common';
import { DataSource, In, type EntityManager } from 'typeorm';
import { StocktakeAlreadyOpenError } from './inventory-errors';
import { Product } from './product.entity';
import { StockService, type StockRef } from './stock.service';
import { StocktakeLine } from './stocktake-line.entity';
import { Stocktake, type StocktakeStatus } from './stocktake.entity';

/** One product's count in one store; scanning in `add` mode must not run past it. */
export const MAX_COUNTED_QUANTITY = 1_000_000;
export const COUNT_MODES = ['set', 'add'] as const;
/** `set` replaces a product's count (typed in); `add` adds to it (each scan adds 1). */
export type CountMode = (typeof COUNT_MODES)[number];

export interface CountInput {
  lines: { productId: number; countedQuantity: number }[];
  mode?: CountMode;
}

export interface StocktakeLineView {
  productId: number;
  name: string;
  unit: string;
  counted: number;
  /**
   * On-hand (expired lots included): live while the count is open, as it was at the moment of
   * finalizing afterwards, null for a cancelled count.
   */
  system: number | null;
  /** counted − system; what finalizing posts (or posted) as a `stocktake` movement. */
  variance: number | null;
  countedAt: Date;
}

export interface StocktakeSummary {
  id: number;
  storeId: number;
  status: StocktakeStatus;
  note: string | null;
  openedBy: number;
  openedAt: Date;
  closedBy: number | null;
  closedAt: Date | null;
  lineCount: number;
}

export interface StocktakeView extends Omit<StocktakeSummary, 'lineCount'> {
  lines: StocktakeLineView[];
  /**
   * While open: products with stock at the store that nobody has counted yet. Finalizing leaves
   * them untouched — a stocktake only corrects the products it counted.
   */
  uncountedProducts: number | null;
}

export class StocktakeNotOpenError extends DomainError {
  constructor(stocktake: Stocktake) {
    const state = stocktake.status === 'finalized' ? '已确认' : '已取消';
    super('STOCKTAKE_NOT_OPEN', `盘点单 ${stocktake.id} ${state}，不能再修改`, {
      stocktakeId: stocktake.id,
      status: stocktake.status,
    });
  }
}

/**
 * 盘点: staff count a store's goods (typed in or scanned), see the variance against the system
 * figure, and a manager finalizes the count into `stocktake` movements: a shortfall leaves the
 * lots first-expiry-first-out (expired lots included), a surplus comes in as a new lot at the
 * product's reference value without expiry. Products not counted are not touched.
 */
@Injectable()
export class StocktakesService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly stock: StockService,
    private readonly audit: AuditService,
  ) {}

  /** Only one count may be open per store; the store row lock makes two racing opens queue. */
  async open(
    actor: Actor,
    storeId: number,
    input: { note?: string | null },
  ): Promise<StocktakeView> {
    const id = await this.dataSource.transaction(async (em) => {
      const store = await em.findOne(Store, {
        where: { id: storeId },
        lock: { mode: 'pessimistic_write' },
      });
      if (!store) throw new NotFoundError('store', storeId);
      const already = await em.findOneBy(Stocktake, { storeId, status: 'open' });
      if (already) {
        throw new StocktakeAlreadyOpenError(store, already.id);
      }
      const stocktake = em.create(Stocktake, {
        storeId,
        status: 'open',
        note: input.note ?? null,
        openedBy: actor.userId,
        openedAt: new Date(),
        closedBy: null,
        closedAt: null,
      });
      await em.insert(Stocktake, stocktake);
      await this.audit.record(em, actor, {
        action: 'stocktake.open',
        entityType: 'stocktake',
        entityId: stocktake.id,
        summary: `${store.name} 开始盘点（盘点单 ${stocktake.id}）`,
        storeId,
      });
      return stocktake.id;
    });
    return this.get(storeId, id);
  }

  /** Records counts; in `add` mode concurrent scanners queue on the stocktake row lock. */
  async count(
    actor: Actor,
    storeId: number,
    id: number,
    input: CountInput,
  ): Promise<StocktakeView> {
    const mode = input.mode ?? 'set';
    const idle = input.lines.findIndex((line) => line.countedQuantity < 1);
    if (mode === 'add' && idle >= 0) {
      // an added 0 would still create a count of 0, which finalizing turns into a write-off
      throw new ValidationFailedError('累加模式下 countedQuantity 必须大于 0', {
        fields: [
          {
            field: `lines.${idle}.countedQuantity`,
            constraints: ['min'],
            messages: ["countedQuantity must be at least 1 in mode 'add'"],
          },
        ],
      });
    }
    await this.dataSource.transaction(async (em) => {
      const stocktake = await this.lockOpen(em, storeId, id);
      const productIds = [...new Set(input.lines.map((line) => line.productId))];
      const products = await em.findBy(Product, { id: In(productIds) });
      const missing = productIds.find((productId) => !products.some((p) => p.id === productId));
      if (missing !== undefined) throw new NotFoundError('product', missing);
      const existing = new Map(
        (await em.findBy(StocktakeLine, { stocktakeId: id, productId: In(productIds) })).map(
          (line) => [line.productId, line],
        ),
      );
      const now = new Date();
      for (const { productId, countedQuantity } of input.lines) {
        let line = existing.get(productId);
        const counted =
          mode === 'add' ? (line?.countedQuantity ?? 0) + countedQuantity : countedQuantity;
        if (counted > MAX_COUNTED_QUANTITY) {
          throw new ValidationFailedError(
            `商品 ${productId} 的盘点数量 ${counted} 超过上限 ${MAX_COUNTED_QUANTITY}，请核对`,
            {
              fields: [
                {
                  field: 'lines.countedQuantity',
                  constraints: ['max'],
                  messages: [`counted quantity must not exceed ${MAX_COUNTED_QUANTITY}`],
                },
              ],
            },
          );
        }
        if (line) {
          line.countedQuantity = counted;
          line.countedAt = now;
        } else {
          line = em.create(StocktakeLine, {
            stocktakeId: id,
            productId,
            countedQuantity: counted,
            systemQuantity: null,
            countedAt: now,
          });
          existing.set(productId, line);
        }
      }
      await em.save(
        StocktakeLine,
        [...existing.values()].filter((line) => line.countedAt === now),
      );
      await this.audit.record(em, actor, {
        action: 'stocktake.count',
        entityType: 'stocktake',
        entityId: stocktake.id,
        summary: `盘点单 ${stocktake.id} ${mode === 'add' ? '累加' : '录入'} ${productIds.length} 种商品的数量`,
        storeId,
      });
    });
    return this.get(storeId, id);
  }

  /**
   * Posts the variances. Each counted product's lots are locked before its on-hand is read, so
   * the variance is against the stock at this moment even with checkouts running, and the
   * movements bring the product exactly to the counted figure.
   */
  async finalize(actor: Actor, storeId: number, id: number): Promise<StocktakeView> {
    await this.dataSource.transaction(async (em) => {
      const stocktake = await this.lockOpen(em, storeId, id);
      const lines = await em.find(StocktakeLine, {
        where: { stocktakeId: id },
        order: { productId: 'ASC' },
      });
      const products = new Map(
        (await em.findBy(Product, { id: In(lines.map((line) => line.productId)) })).map((p) => [
          p.id,
          p,
        ]),
      );
      const ref: StockRef = { type: 'stocktake', id };
      let surplus = 0;
      let shortfall = 0;
      // ascending product id, the order consumeFefo locks in, so a checkout and a finalize queue
      for (const line of lines) {
        const product = products.get(line.productId);
        if (!product) throw new NotFoundError('product', line.productId);
        const system = await this.lockedOnHand(em, storeId, line.productId);
        const variance = line.countedQuantity - system;
        if (variance < 0) {
          await this.stock.consumeFefo(
            em,
            actor,
            storeId,
            [{ productId: line.productId, quantity: -variance }],
            { kind: 'stocktake', ref, note: `盘亏 ${-variance}`, includeExpired: true },
          );
          shortfall += -variance;
        } else if (variance > 0) {
          await this.stock.receive(em, actor, {
            storeId,
            productId: line.productId,
            quantity: variance,
            unitValueFen: product.unitValueFen,
            expiryDate: null,
            source: 'stocktake',
            kind: 'stocktake',
            ref,
            note: `盘盈 ${variance}`,
          });
          surplus += variance;
        }
        await em.update(StocktakeLine, { id: line.id }, { systemQuantity: system });
      }
      await em.update(
        Stocktake,
        { id },
        { status: 'finalized', closedBy: actor.userId, closedAt: new Date() },
      );
      await this.audit.record(em, actor, {
        action: 'stocktake.finalize',
        entityType: 'stocktake',
        entityId: stocktake.id,
        summary: `盘点单 ${stocktake.id} 已确认：盘点 ${lines.length} 种商品，盘盈 ${surplus} 件，盘亏 ${shortfall} 件；未盘点的商品不变`,
        storeId,
      });
    });
    return this.get(storeId, id);
  }

  async cancel(actor: Actor, storeId: number, id: number): Promise<StocktakeView> {
    await this.dataSource.transaction(async (em) => {
      await this.lockOpen(em, storeId, id);
      await em.update(
        Stocktake,
        { id },
        { status: 'cancelled', closedBy: actor.userId, closedAt: new Date() },
      );
      await this.audit.record(em, actor, {
        action: 'stocktake.cancel',
        entityType: 'stocktake',
        entityId: id,
        summary: `盘点单 ${id} 已取消，库存未变`,
        storeId,
      });
    });
    return this.get(storeId, id);
  }

  async get(storeId: number, id: number): Promise<StocktakeView> {
    const em = this.dataSource.manager;
    const stocktake = await em.findOneBy(Stocktake, { id, storeId });
    if (!stocktake) throw new NotFoundError('stocktake', id);
    const lines = await em.find(StocktakeLine, {
      where: { stocktakeId: id },
      order: { productId: 'ASC' },
    });
    const productIds = lines.map((line) => line.productId);
    const products = new Map(
      (productIds.length === 0 ? [] : await em.findBy(Product, { id: In(productIds) })).map((p) => [
        p.id,
        p,
      ]),
    );
    const live = stocktake.status === 'open' ? await this.onHandByProduct(em, storeId) : null;
    const { lineCount: _lineCount, ...summary } = summaryOf(stocktake, lines.length);
    return {
      ...summary,
      lines: lines.map((line) => {
        const system =
          stocktake.status === 'finalized'
            ? line.systemQuantity
            : live
              ? (live.get(line.productId) ?? 0)
              : null;
        return {
          productId: line.productId,
          name: products.get(line.productId)?.name ?? '',
          unit: products.get(line.productId)?.unit ?? '',
          counted: line.countedQuantity,
          system,
          variance: system === null ? null : line.countedQuantity - system,
          countedAt: line.countedAt,
        };
      }),
      uncountedProducts: live
        ? [...live.entries()].filter(
            ([productId, onHand]) => onHand > 0 && !productIds.includes(productId),
          ).length
        : null,
    };
  }

  async list(
    storeId: number,
    filter: { status?: StocktakeStatus },
    page: PageQuery,
  ): Promise<Page<StocktakeSummary>> {
    const em = this.dataSource.manager;
    if (!(await em.existsBy(Store, { id: storeId }))) throw new NotFoundError('store', storeId);
    const [stocktakes, total] = await em.findAndCount(Stocktake, {
      where: { storeId, ...(filter.status !== undefined ? { status: filter.status } : {}) },
      order: { id: 'DESC' },
      skip: skipOf(page),
      take: page.pageSize,
    });
    const counts =
      stocktakes.length === 0
        ? []
        : await em.query<{ stocktakeId: number; lines: string }[]>(
            `SELECT stocktake_id AS stocktakeId, COUNT(*) AS \`lines\`
               FROM stocktake_lines WHERE stocktake_id IN (?) GROUP BY stocktake_id`,
            [stocktakes.map((stocktake) => stocktake.id)],
          );
    const lineCounts = new Map(counts.map((row) => [Number(row.stocktakeId), Number(row.lines)]));
    return pageOf(
      stocktakes.map((stocktake) => summaryOf(stocktake, lineCounts.get(stocktake.id) ?? 0)),
      total,
      page,
    );
  }

  /** The stocktake, row-locked, if it belongs to the store and is still open. */
  private async lockOpen(em: EntityManager, storeId: number, id: number): Promise<Stocktake> {
    const stocktake = await em.findOne(Stocktake, {
      where: { id, storeId },
      lock: { mode: 'pessimistic_write' },
    });
    if (!stocktake) throw new NotFoundError('stocktake', id);
    if (stocktake.status !== 'open') throw new StocktakeNotOpenError(stocktake);
    return stocktake;
  }

  /** Locks every lot of the product at the store (in consumeFefo's order) and sums them. */
  private async lockedOnHand(
    em: EntityManager,
    storeId: number,
    productId: number,
  ): Promise<number> {
    const lots = await em.query<{ quantity: number }[]>(
      `SELECT quantity FROM stock_lots WHERE store_id = ? AND product_id = ?
        ORDER BY expiry_date IS NULL, expiry_date, id FOR UPDATE`,
      [storeId, productId],
    );
    return lots.reduce((sum, lot) => sum + Number(lot.quantity), 0);
  }

  private async onHandByProduct(em: EntityManager, storeId: number): Promise<Map<number, number>> {
    const rows = await em.query<{ productId: number; onHand: string }[]>(
      `SELECT product_id AS productId, SUM(quantity) AS onHand
         FROM stock_lots WHERE store_id = ? GROUP BY product_id`,
      [storeId],
    );
    return new Map(rows.map((row) => [Number(row.productId), Number(row.onHand)]));
  }
}

function summaryOf(stocktake: Stocktake, lineCount: number): StocktakeSummary {
  return {
    id: stocktake.id,
    storeId: stocktake.storeId,
    status: stocktake.status,
    note: stocktake.note,
    openedBy: stocktake.openedBy,
    openedAt: stocktake.openedAt,
    closedBy: stocktake.closedBy,
    closedAt: stocktake.closedAt,
    lineCount,
  };
}
