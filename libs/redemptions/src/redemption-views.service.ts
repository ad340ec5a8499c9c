import { User } from '@charity/accounts';
import {
  assertStoreAccess,
  maskName,
  NotFoundError,
  pageOf,
  skipOf,
  storeScopeOf,
  type Actor,
  type Page,
  type PageQuery,
} from '@charity/common';
import { Household } from '@charity/households';
import { StockLot } from '@charity/inventory';
import { Injectable } from '@nestjs/common';
import { DataSource, In, type EntityManager } from 'typeorm';
import { type Fulfilment } from './cart-rules';
import { RedemptionLineLot } from './redemption-line-lot.entity';
import { RedemptionLine } from './redemption-line.entity';
import { Redemption, type RedemptionStatus } from './redemption.entity';

export interface RedemptionLineView {
  lineNo: number;
  productId: number;
  name: string;
  unit: string;
  quantity: number;
  pointPrice: number;
  points: number;
  valueFen: number;
  lots: { lotId: number; quantity: number; unitValueFen: number; donationId: number | null }[];
}

export interface RedemptionView {
  id: number;
  receiptNo: string;
  storeId: number;
  householdId: number;
  cardNo: string;
  householdName: string;
  status: RedemptionStatus;
  fulfilment: Fulfilment;
  lines: RedemptionLineView[];
  pointsTotal: number;
  goodsValueFen: number;
  balanceBefore: number;
  balanceAfter: number;
  occurredAt: Date;
  businessDate: string;
  createdBy: number;
  limitOverrideReason: string | null;
  delivery: {
    address: string | null;
    note: string | null;
    receivedBy: string | null;
    deliveredAt: Date | null;
  } | null;
  voidReason: string | null;
  voidedAt: Date | null;
  receiptUrl: string;
}

export interface RedemptionFilter {
  storeId?: number;
  householdId?: number;
  month?: string;
  status?: RedemptionStatus;
  fulfilment?: Fulfilment;
}

/** Redemptions as the till, the lists and the receipts show them: lines, lots, masked names. */
@Injectable()
export class RedemptionViews {
  constructor(private readonly dataSource: DataSource) {}

  async get(actor: Actor, id: number): Promise<RedemptionView> {
    const redemption = await this.dataSource.getRepository(Redemption).findOneBy({ id });
    if (!redemption) throw new NotFoundError('redemption', id);
    assertStoreAccess(actor, redemption.storeId);
    return this.view(this.dataSource.manager, id);
  }

  async list(
    actor: Actor,
    filter: RedemptionFilter,
    page: PageQuery,
  ): Promise<Page<RedemptionView>> {
    const qb = this.dataSource.getRepository(Redemption).createQueryBuilder('r');
    const scope = storeScopeOf(actor);
    if (scope !== null) qb.andWhere('r.storeId = :scope', { scope });
    if (filter.storeId !== undefined) qb.andWhere('r.storeId = :storeId', filter);
    if (filter.householdId !== undefined) qb.andWhere('r.householdId = :householdId', filter);
    if (filter.month !== undefined) qb.andWhere('r.businessMonth = :month', filter);
    if (filter.status !== undefined) qb.andWhere('r.status = :status', filter);
    if (filter.fulfilment !== undefined) qb.andWhere('r.fulfilment = :fulfilment', filter);
    const [rows, total] = await qb
      .orderBy('r.id', 'DESC')
      .skip(skipOf(page))
      .take(page.pageSize)
      .getManyAndCount();
    return pageOf(await this.views(this.dataSource.manager, rows), total, page);
  }

  async view(em: EntityManager, id: number): Promise<RedemptionView> {
    const redemption = await em.findOneBy(Redemption, { id });
    if (!redemption) throw new NotFoundError('redemption', id);
    const [view] = await this.views(em, [redemption]);
    if (!view) throw new NotFoundError('redemption', id);
    return view;
  }

  /** Clerk names for receipts. */
  async userNames(em: EntityManager, ids: number[]): Promise<Map<number, string>> {
    const users = ids.length > 0 ? await em.findBy(User, { id: In(ids) }) : [];
    return new Map(users.map((user) => [user.id, user.displayName]));
  }

  private async views(em: EntityManager, rows: Redemption[]): Promise<RedemptionView[]> {
    if (rows.length === 0) return [];
    const ids = rows.map((r) => r.id);
    const [lines, lots, households] = await Promise.all([
      em.find(RedemptionLine, {
        where: { redemptionId: In(ids) },
        order: { redemptionId: 'ASC', lineNo: 'ASC' },
      }),
      em.find(RedemptionLineLot, { where: { redemptionId: In(ids) }, order: { id: 'ASC' } }),
      em.find(Household, {
        where: { id: In([...new Set(rows.map((r) => r.householdId))]) },
        select: { id: true, cardNo: true, headName: true },
      }),
    ]);
    const lotIds = [...new Set(lots.map((l) => l.lotId))];
    const sources =
      lotIds.length > 0
        ? await em.find(StockLot, {
            where: { id: In(lotIds) },
            select: { id: true, sourceType: true, sourceRef: true },
          })
        : [];
    const lotSources = new Map(sources.map((lot) => [lot.id, lot]));
    const people = new Map(households.map((h) => [h.id, h]));
    return rows.map((r) =>
      redemptionView(
        r,
        people.get(r.householdId) ?? null,
        lines
          .filter((line) => line.redemptionId === r.id)
          .map((line) => ({
            lineNo: line.lineNo,
            productId: line.productId,
            name: line.productName,
            unit: line.unit,
            quantity: line.quantity,
            pointPrice: line.pointPrice,
            points: line.points,
            valueFen: line.valueFen,
            lots: lots
              .filter((lot) => lot.redemptionId === r.id && lot.lineNo === line.lineNo)
              .map((lot) => {
                const source = lotSources.get(lot.lotId);
                return {
                  lotId: lot.lotId,
                  quantity: lot.quantity,
                  unitValueFen: lot.unitValueFen,
                  donationId: source ? donationOf(source.sourceType, source.sourceRef) : null,
                };
              }),
          })),
      ),
    );
  }
}

/** A redemption as responses show it; the checkout builds it from what it wrote. */
export function redemptionView(
  r: Redemption,
  household: Pick<Household, 'cardNo' | 'headName'> | null,
  lines: RedemptionLineView[],
): RedemptionView {
  return {
    id: r.id,
    receiptNo: r.receiptNo,
    storeId: r.storeId,
    householdId: r.householdId,
    cardNo: household?.cardNo ?? '',
    householdName: household ? maskName(household.headName) : '',
    status: r.status,
    fulfilment: r.fulfilment,
    lines,
    pointsTotal: r.pointsTotal,
    goodsValueFen: r.goodsValueFen,
    balanceBefore: r.balanceBefore,
    balanceAfter: r.balanceAfter,
    occurredAt: r.occurredAt,
    businessDate: r.businessDate,
    createdBy: r.createdBy,
    limitOverrideReason: r.limitOverrideReason,
    delivery:
      r.fulfilment === 'delivery'
        ? {
            address: r.deliveryAddress,
            note: r.deliveryNote,
            receivedBy: r.receivedBy,
            deliveredAt: r.deliveredAt,
          }
        : null,
    voidReason: r.voidReason,
    voidedAt: r.voidedAt,
    receiptUrl: `/api/v1/redemptions/${r.id}/receipt.pdf`,
  };
}

/** The donation a lot came from, when it came from one. */
export function donationOf(sourceType: string, sourceRef: string | null): number | null {
  return sourceType === 'donation' && sourceRef && /^\d+$/.test(sourceRef)
    ? Number(sourceRef)
    : null;
}
