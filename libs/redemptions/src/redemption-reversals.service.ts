import { AuditService } from '@charity/audit';
import {
  assertStoreAccess,
  maskName,
  NotFoundError,
  UnitOfWork,
  ValidationFailedError,
  type Actor,
} from '@charity/common';
import { addDays, PointsEntry, PointsLedger, POINTS_ISOLATION } from '@charity/households';
import { StockService } from '@charity/inventory';
import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { DeliveryNotPendingError, RedemptionNotVoidableError } from './redemption-errors';
import { Redemption } from './redemption.entity';
import { RedemptionViews, type RedemptionView } from './redemption-views.service';

/** Deadlocks and lock timeouts: a void or cancel is tried again this many times before a 409. */
const LOCK_RETRIES = 3;

type Reversal = 'voided' | 'cancelled';

/**
 * What happens to a redemption after its checkout: 作废 (void), a delivery cancelled, a delivery
 * handed over. A reversal gives the points back to the very grants they came from (with their
 * expiry) and the goods back into the very lots; the receipt number stays used.
 */
@Injectable()
export class RedemptionReversals {
  constructor(
    private readonly dataSource: DataSource,
    private readonly ledger: PointsLedger,
    private readonly stock: StockService,
    private readonly audit: AuditService,
    private readonly views: RedemptionViews,
  ) {}

  /** 作废, within the policy's window. */
  async void(actor: Actor, id: number, reason: string): Promise<RedemptionView> {
    await this.reverse(actor, id, reason, 'voided');
    return this.views.view(this.dataSource.manager, id);
  }

  /** A delivery that will not happen: reversed exactly like a void. */
  async cancelDelivery(actor: Actor, id: number, reason: string): Promise<RedemptionView> {
    await this.reverse(actor, id, reason, 'cancelled');
    return this.views.view(this.dataSource.manager, id);
  }

  async markDelivered(
    actor: Actor,
    id: number,
    input: { receivedBy: string; deliveredAt?: Date },
  ): Promise<RedemptionView> {
    await this.dataSource.transaction(async (em) => {
      const redemption = await lockRedemption(em, actor, id);
      if (redemption.status !== 'awaiting_delivery') throw new DeliveryNotPendingError(redemption);
      const deliveredAt = input.deliveredAt ?? new Date();
      if (deliveredAt.getTime() > Date.now() + 60_000) {
        throw new ValidationFailedError('送达时间不能晚于现在', {
          fields: [{ field: 'deliveredAt', constraints: ['maxDate'], messages: ['in the future'] }],
        });
      }
      await em.update(
        Redemption,
        { id },
        {
          status: 'delivered',
          receivedBy: input.receivedBy,
          deliveredAt,
          deliveredBy: actor.userId,
        },
      );
      await this.audit.record(em, actor, {
        action: 'redemption.deliver',
        entityType: 'redemption',
        entityId: id,
        summary: `兑换单 ${redemption.receiptNo} 已送达（签收人 ${maskName(input.receivedBy)}）`,
        storeId: redemption.storeId,
      });
    });
    return this.views.view(this.dataSource.manager, id);
  }

  private async reverse(actor: Actor, id: number, reason: string, to: Reversal): Promise<void> {
    await UnitOfWork.run(
      this.dataSource,
      {
        isolation: POINTS_ISOLATION,
        lockRetries: LOCK_RETRIES,
        name: `reversal of redemption ${id}`,
      },
      (uow) => this.reverseIn(uow.manager, actor, id, reason, to),
    );
  }

  private async reverseIn(
    em: EntityManager,
    actor: Actor,
    id: number,
    reason: string,
    to: Reversal,
  ): Promise<void> {
    const redemption = await lockRedemption(em, actor, id);
    if (to === 'cancelled') {
      if (redemption.status !== 'awaiting_delivery') throw new DeliveryNotPendingError(redemption);
    } else {
      await this.assertVoidable(em, redemption);
    }
    const household = await this.ledger.lockHousehold(em, redemption.householdId);
    const entry = await em.findOneBy(PointsEntry, {
      householdId: household.id,
      kind: 'redemption',
      sourceType: 'redemption',
      sourceId: String(id),
    });
    const label = to === 'voided' ? '作废' : '取消配送';
    if (entry) {
      await this.ledger.reverse(em, actor, household, entry.id, {
        reason: `${label} ${redemption.receiptNo}：${reason}`,
        storeId: redemption.storeId,
        sourceType: to === 'voided' ? 'redemption_void' : 'delivery_cancel',
        sourceId: id,
      });
    }
    await this.stock.reverse(
      em,
      actor,
      { type: 'redemption', id },
      {
        kind: 'void_reversal',
        ref: { type: to === 'voided' ? 'redemption_void' : 'delivery_cancel', id },
        note: `${label} ${redemption.receiptNo}`,
      },
    );
    await em.update(
      Redemption,
      { id },
      { status: to, voidReason: reason, voidedBy: actor.userId, voidedAt: new Date() },
    );
    await this.audit.record(em, actor, {
      action: to === 'voided' ? 'redemption.void' : 'redemption.cancel',
      entityType: 'redemption',
      entityId: id,
      summary: `${label}兑换单 ${redemption.receiptNo}：${reason}`,
      storeId: redemption.storeId,
    });
  }

  /** Only a checkout that still stands, handed over, and within the policy's window. */
  private async assertVoidable(em: EntityManager, redemption: Redemption): Promise<void> {
    if (redemption.status === 'voided' || redemption.status === 'cancelled') {
      throw new RedemptionNotVoidableError(
        redemption,
        `兑换单 ${redemption.receiptNo} 已${redemption.status === 'voided' ? '作废' : '取消'}，不能再作废`,
      );
    }
    if (redemption.status === 'awaiting_delivery') {
      throw new RedemptionNotVoidableError(
        redemption,
        `兑换单 ${redemption.receiptNo} 尚未送达，请取消配送`,
      );
    }
    const policy = await this.ledger.policy(em);
    const lastDay = addDays(redemption.businessDate, policy.voidWindowDays);
    if (this.ledger.today() > lastDay) {
      throw new RedemptionNotVoidableError(
        redemption,
        policy.voidWindowDays === 0
          ? `兑换单 ${redemption.receiptNo} 只能在兑换当天作废`
          : `兑换单 ${redemption.receiptNo} 已超过作废期限（${policy.voidWindowDays} 天）`,
      );
    }
  }
}

async function lockRedemption(em: EntityManager, actor: Actor, id: number): Promise<Redemption> {
  const redemption = await em.findOne(Redemption, {
    where: { id },
    lock: { mode: 'pessimistic_write' },
  });
  if (!redemption) throw new NotFoundError('redemption', id);
  assertStoreAccess(actor, redemption.storeId);
  return redemption;
}
