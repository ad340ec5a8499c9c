import { assertStoreAccess, NotFoundError, type Actor } from '@charity/common';
import { AppConfig } from '@charity/config';
import { renderRedemptionReceipt, type ThermalWidth } from '@charity/documents';
import { CATEGORY_LABELS, Household } from '@charity/households';
import { Store } from '@charity/organisation';
import {
  DOCUMENT_JOBS,
  QUEUES,
  redemptionReceiptJobId,
  type RedemptionReceiptJob,
} from '@charity/queue';
import { findRenderedDocument, saveRenderedDocument } from '@charity/receipts';
import { InjectQueue } from '@nestjs/bull';
import { Injectable, Logger } from '@nestjs/common';
import type { Queue } from 'bull';
import { DataSource } from 'typeorm';
import { Redemption } from './redemption.entity';
import { RedemptionsService } from './redemptions.service';

/** Stored per width: `redemption_receipt_80`, `redemption_receipt_58`. */
export const redemptionReceiptKind = (width: ThermalWidth): string => `redemption_receipt_${width}`;

/**
 * The thermal receipt of a checkout. The worker renders the 80 mm copy after the checkout
 * commits (and again after a void, cancellation or delivery); a download renders on demand when
 * the stored copy is missing or stale, and stores it.
 */
@Injectable()
export class RedemptionReceiptsService {
  private readonly logger = new Logger(RedemptionReceiptsService.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly config: AppConfig,
    private readonly redemptions: RedemptionsService,
    @InjectQueue(QUEUES.documents) private readonly queue: Queue<RedemptionReceiptJob>,
  ) {}

  /** Queues the render after commit; a failure to queue is logged, the GET renders on demand. */
  async enqueue(redemptionId: number, status: string): Promise<void> {
    try {
      await this.queue.add(
        DOCUMENT_JOBS.redemptionReceipt,
        { redemptionId },
        { jobId: redemptionReceiptJobId(redemptionId, status) },
      );
    } catch (error) {
      this.logger.warn(`could not queue receipt ${redemptionId}: ${String(error)}`);
    }
  }

  async pdf(actor: Actor, redemptionId: number, width: ThermalWidth = 80): Promise<Buffer> {
    const redemption = await this.dataSource
      .getRepository(Redemption)
      .findOneBy({ id: redemptionId });
    if (!redemption) throw new NotFoundError('redemption', redemptionId);
    assertStoreAccess(actor, redemption.storeId);
    const stored = await findRenderedDocument(
      this.dataSource.manager,
      redemptionReceiptKind(width),
      redemptionId,
    );
    if (stored && stored.version === redemption.status) return stored.content;
    return this.render(redemptionId, width);
  }

  /** Renders and stores the receipt as the redemption stands now. */
  async render(redemptionId: number, width: ThermalWidth = 80): Promise<Buffer> {
    const em = this.dataSource.manager;
    const view = await this.redemptions.view(em, redemptionId);
    const [store, household, clerks] = await Promise.all([
      em.findOneByOrFail(Store, { id: view.storeId }),
      em.findOneOrFail(Household, {
        where: { id: view.householdId },
        select: { id: true, category: true },
      }),
      this.redemptions.userNames(em, [view.createdBy]),
    ]);
    const pdf = await renderRedemptionReceipt(
      {
        unionName: this.config.unionName,
        storeName: store.name,
        storeCode: store.code,
        receiptNo: view.receiptNo,
        occurredAt: view.occurredAt,
        timeZone: this.config.timeZone,
        cardNo: view.cardNo,
        householdName: view.householdName,
        category: CATEGORY_LABELS[household.category],
        lines: view.lines.map((line) => ({
          name: line.name,
          unit: line.unit,
          quantity: line.quantity,
          pointPrice: line.pointPrice,
          points: line.points,
        })),
        pointsTotal: view.pointsTotal,
        balanceBefore: view.balanceBefore,
        balanceAfter: view.balanceAfter,
        clerkName: clerks.get(view.createdBy) ?? '',
        fulfilment: view.fulfilment,
        deliveryAddress: view.delivery?.address ?? null,
        deliveryNote: view.delivery?.note ?? null,
        status: view.status,
        voidReason: view.voidReason,
      },
      width,
    );
    await saveRenderedDocument(em, redemptionReceiptKind(width), redemptionId, view.status, pdf);
    return pdf;
  }
}
