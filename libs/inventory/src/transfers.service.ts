import { AuditService } from '@charity/audit';
import {
  assertStoreAccess,
  canAccessStore,
  DomainError,
  ForbiddenError,
  NotFoundError,
  pageOf,
  skipOf,
  storeScopeOf,
  type Actor,
  type Page,
  type PageQuery,
} from '@charity/common';
import { Store } from '@charity/organisation';
import { Injectable } from '@nestjs/common';
import { DataSource, In, type EntityManager } from 'typeorm';
import { InvalidTransferError } from './inventory-errors';
import { Product } from './product.entity';
import { StockService, type ConsumeLine, type StockRef } from './stock.service';
import { TransferLine } from './transfer-line.entity';
import { Transfer, type TransferStatus } from './transfer.entity';

export interface NewTransfer {
  fromStoreId: number;
  toStoreId: number;
  lines: ConsumeLine[];
  note?: string | null;
}

export interface TransferFilter {
  /** Transfers this store sent or receives. */
  storeId?: number;
  status?: TransferStatus;
}

export interface TransferLineView {
  productId: number;
  name: string;
  quantity: number;
  expiryDate: string | null;
  unitValueFen: number;
  fromLotId: number;
  toLotId: number | null;
}

export interface TransferView {
  id: number;
  fromStoreId: number;
  toStoreId: number;
  status: TransferStatus;
  note: string | null;
  lines: TransferLineView[];
  createdBy: number;
  createdAt: Date;
  closedBy: number | null;
  closedAt: Date | null;
}

export class TransferNotPendingError extends DomainError {
  constructor(transfer: Transfer) {
    const state = transfer.status === 'received' ? '已收货' : '已取消';
    super('TRANSFER_NOT_PENDING', `调拨单 ${transfer.id} ${state}，不能再收货或取消`, {
      transferId: transfer.id,
      status: transfer.status,
    });
  }
}

/**
 * 调拨: goods leave the sender's lots when the transfer is created (in transit while pending),
 * arrive at the receiver as new lots with the same expiry and unit value when received, or go back
 * into the very lots they left when cancelled. Every stock change goes through StockService and
 * carries the ref `{type: 'transfer', id}`: `transfer_out` at the sender, `transfer_in` at the
 * receiver, and for a cancellation `transfer_in` rows at the sender that name the `transfer_out`
 * rows they reverse (`reversesMovementId`).
 */
@Injectable()
export class TransfersService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly stock: StockService,
    private readonly audit: AuditService,
  ) {}

  async create(actor: Actor, input: NewTransfer): Promise<TransferView> {
    assertStoreAccess(actor, input.fromStoreId);
    if (input.fromStoreId === input.toStoreId) {
      throw InvalidTransferError.sameStore(input.fromStoreId);
    }
    const id = await this.dataSource.transaction(async (em) => {
      // a closing store may still send its goods away; only the receiver must be open
      const from = await em.findOneBy(Store, { id: input.fromStoreId });
      if (!from) throw new NotFoundError('store', input.fromStoreId);
      const to = await em.findOneBy(Store, { id: input.toStoreId });
      if (!to) throw new NotFoundError('store', input.toStoreId);
      if (!to.active) {
        throw InvalidTransferError.receiverInactive(to);
      }
      const transfer = em.create(Transfer, {
        fromStoreId: from.id,
        toStoreId: to.id,
        status: 'pending',
        note: input.note ?? null,
        createdBy: actor.userId,
        createdAt: new Date(),
        closedBy: null,
        closedAt: null,
      });
      await em.insert(Transfer, transfer);
      const taken = await this.stock.consumeFefo(em, actor, from.id, input.lines, {
        kind: 'transfer_out',
        ref: refOf(transfer.id),
        note: `调拨至 ${to.name}`,
      });
      await em.insert(
        TransferLine,
        taken.map((part) => ({
          transferId: transfer.id,
          productId: part.productId,
          fromLotId: part.lotId,
          toLotId: null,
          quantity: part.quantity,
          expiryDate: part.expiryDate,
          unitValueFen: part.unitValueFen,
        })),
      );
      const units = taken.reduce((sum, part) => sum + part.quantity, 0);
      const kinds = new Set(taken.map((part) => part.productId)).size;
      await this.audit.record(em, actor, {
        action: 'transfer.create',
        entityType: 'transfer',
        entityId: transfer.id,
        summary: `调拨单 ${transfer.id}：${from.name} → ${to.name}，${kinds} 种商品共 ${units} 件，在途`,
        storeId: from.id,
      });
      return transfer.id;
    });
    return this.view(this.dataSource.manager, id);
  }

  /** The receiver's staff (or the county) take the goods in. */
  async receive(actor: Actor, id: number): Promise<TransferView> {
    await this.dataSource.transaction(async (em) => {
      const transfer = await this.lockPending(em, actor, id, 'toStoreId');
      const lines = await em.find(TransferLine, {
        where: { transferId: id },
        order: { id: 'ASC' },
      });
      const from = await em.findOneBy(Store, { id: transfer.fromStoreId });
      const to = await em.findOneBy(Store, { id: transfer.toStoreId });
      if (!to?.active) {
        throw InvalidTransferError.receiverClosedSinceSent(transfer.toStoreId, to?.name ?? null);
      }
      for (const line of lines) {
        const lot = await this.stock.receive(em, actor, {
          storeId: transfer.toStoreId,
          productId: line.productId,
          quantity: line.quantity,
          unitValueFen: line.unitValueFen,
          expiryDate: line.expiryDate,
          source: 'transfer',
          kind: 'transfer_in',
          ref: refOf(id),
          note: `来自 ${from?.name ?? `门店 ${transfer.fromStoreId}`} 的调拨`,
        });
        await em.update(TransferLine, { id: line.id }, { toLotId: lot.id });
      }
      await this.close(em, actor, transfer, 'received');
      await this.audit.record(em, actor, {
        action: 'transfer.receive',
        entityType: 'transfer',
        entityId: id,
        summary: `调拨单 ${id} 已收货（来自 ${from?.name ?? transfer.fromStoreId}）`,
        storeId: transfer.toStoreId,
      });
    });
    return this.view(this.dataSource.manager, id);
  }

  /** The sender (or the county) calls it back: the goods return into the lots they left. */
  async cancel(actor: Actor, id: number): Promise<TransferView> {
    await this.dataSource.transaction(async (em) => {
      const transfer = await this.lockPending(em, actor, id, 'fromStoreId');
      await this.stock.reverse(em, actor, refOf(id), {
        kind: 'transfer_in',
        ref: refOf(id),
        note: '调拨取消，退回原批次',
      });
      await this.close(em, actor, transfer, 'cancelled');
      await this.audit.record(em, actor, {
        action: 'transfer.cancel',
        entityType: 'transfer',
        entityId: id,
        summary: `调拨单 ${id} 已取消，货物退回原批次`,
        storeId: transfer.fromStoreId,
      });
    });
    return this.view(this.dataSource.manager, id);
  }

  /** Store staff see only transfers their store sends or receives. */
  async get(actor: Actor, id: number): Promise<TransferView> {
    const transfer = await this.dataSource.getRepository(Transfer).findOneBy({ id });
    if (!transfer) throw new NotFoundError('transfer', id);
    assertInvolved(actor, transfer);
    return this.view(this.dataSource.manager, id);
  }

  async list(actor: Actor, filter: TransferFilter, page: PageQuery): Promise<Page<TransferView>> {
    const qb = this.dataSource.getRepository(Transfer).createQueryBuilder('t');
    const scope = storeScopeOf(actor);
    for (const [key, storeId] of [
      ['scope', scope],
      ['storeId', filter.storeId ?? null],
    ] as const) {
      if (storeId !== null) {
        qb.andWhere(`(t.fromStoreId = :${key} OR t.toStoreId = :${key})`, { [key]: storeId });
      }
    }
    if (filter.status !== undefined) qb.andWhere('t.status = :status', { status: filter.status });
    const [transfers, total] = await qb
      .orderBy('t.id', 'DESC')
      .skip(skipOf(page))
      .take(page.pageSize)
      .getManyAndCount();
    const views = await this.views(this.dataSource.manager, transfers);
    return pageOf(views, total, page);
  }

  /**
   * Locks the transfer row so a receive and a cancel (or two of either) racing each other queue:
   * the second sees the first's status and gets TRANSFER_NOT_PENDING.
   */
  private async lockPending(
    em: EntityManager,
    actor: Actor,
    id: number,
    side: 'fromStoreId' | 'toStoreId',
  ): Promise<Transfer> {
    const transfer = await em.findOne(Transfer, {
      where: { id },
      lock: { mode: 'pessimistic_write' },
    });
    if (!transfer) throw new NotFoundError('transfer', id);
    assertInvolved(actor, transfer);
    if (!canAccessStore(actor, transfer[side])) {
      throw new ForbiddenError(
        side === 'toStoreId' ? '只有调入门店可以收货' : '只有调出门店可以取消调拨',
        { transferId: id, storeId: transfer[side] },
      );
    }
    if (transfer.status !== 'pending') throw new TransferNotPendingError(transfer);
    return transfer;
  }

  private async close(
    em: EntityManager,
    actor: Actor,
    transfer: Transfer,
    status: Exclude<TransferStatus, 'pending'>,
  ): Promise<void> {
    await em.update(
      Transfer,
      { id: transfer.id },
      { status, closedBy: actor.userId, closedAt: new Date() },
    );
  }

  private async view(em: EntityManager, id: number): Promise<TransferView> {
    const transfer = await em.findOneBy(Transfer, { id });
    const [view] = transfer ? await this.views(em, [transfer]) : [];
    if (!view) throw new NotFoundError('transfer', id);
    return view;
  }

  private async views(em: EntityManager, transfers: Transfer[]): Promise<TransferView[]> {
    if (transfers.length === 0) return [];
    const lines = await em.find(TransferLine, {
      where: { transferId: In(transfers.map((transfer) => transfer.id)) },
      order: { id: 'ASC' },
    });
    const productIds = [...new Set(lines.map((line) => line.productId))];
    const products =
      productIds.length === 0 ? [] : await em.findBy(Product, { id: In(productIds) });
    const names = new Map(products.map((product) => [product.id, product.name]));
    return transfers.map((transfer) => ({
      id: transfer.id,
      fromStoreId: transfer.fromStoreId,
      toStoreId: transfer.toStoreId,
      status: transfer.status,
      note: transfer.note,
      lines: lines
        .filter((line) => line.transferId === transfer.id)
        .map((line) => ({
          productId: line.productId,
          name: names.get(line.productId) ?? '',
          quantity: line.quantity,
          expiryDate: line.expiryDate,
          unitValueFen: line.unitValueFen,
          fromLotId: line.fromLotId,
          toLotId: line.toLotId,
        })),
      createdBy: transfer.createdBy,
      createdAt: transfer.createdAt,
      closedBy: transfer.closedBy,
      closedAt: transfer.closedAt,
    }));
  }
}

function refOf(id: number): StockRef {
  return { type: 'transfer', id };
}

function assertInvolved(actor: Actor, transfer: Transfer): void {
  if (!canAccessStore(actor, transfer.fromStoreId) && !canAccessStore(actor, transfer.toStoreId)) {
    throw new ForbiddenError('无权查看其他门店的调拨单', { transferId: transfer.id });
  }
}
