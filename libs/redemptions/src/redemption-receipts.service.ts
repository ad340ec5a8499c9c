import { assertStoreAccess, NotFoundError, type Actor } from '@charity/common';
import { AppConfig } from '@charity/config';
import { renderRedemptionReceipt, type ThermalWidth } from '@charity/documents';
import { CATEGORY_LABELS, Household } from '@charity/households';
import { Store } from '@charity/organisation';
import {
  DOCUMENT_JOBS,
  QUEUES,
  redemptionReceiptJobId,
  withinMs,
  type RedemptionReceiptJob,
} from '@charity/queue';
import { findRenderedDocument, saveRenderedDocument } from '@charity/receipts';
import { InjectQueue } from '@nestjs/bull';
import { Injectable, Logger, type BeforeApplicationShutdown } from '@nestjs/common';
import type { JobOptions, Queue } from 'bull';
import { DataSource } from 'typeorm';
import { Redemption } from './redemption.entity';
import { RedemptionsService } from './redemptions.service';

/** Stored per width: `redemption_receipt_80`, `redemption_receipt_58`. */
export const redemptionReceiptKind = (width: ThermalWidth): string => `redemption_receipt_${width}`;

/**
 * How long a render request waits for others to go to Redis with it. Busy tills finish several
 * checkouts in that time, and one MULTI for all of them costs the api less than one add each.
 */
export const RENDER_BATCH_MS = 10;

interface RenderBatch {
  jobs: { name: string; data: RedemptionReceiptJob; opts: JobOptions }[];
  /** Settles once the jobs are in Redis (or the failure is logged). */
  sent: Promise<void>;
  /** Sends without waiting out the rest of RENDER_BATCH_MS. */
  sendNow: () => void;
}

/**
 * The thermal receipt of a checkout. The worker renders the 80 mm copy after the checkout
 * commits (and again after a void, cancellation or delivery); a download renders on demand when
 * the stored copy is missing or stale, and stores it.
 */
@Injectable()
export class RedemptionReceiptsService implements BeforeApplicationShutdown {
  private readonly logger = new Logger(RedemptionReceiptsService.name);
  /** Render requests waiting to go to Redis together (RENDER_BATCH_MS). */
  private batch: RenderBatch | null = null;

  constructor(
    private readonly dataSource: DataSource,
    private readonly config: AppConfig,
    private readonly redemptions: RedemptionsService,
    @InjectQueue(QUEUES.documents) private readonly queue: Queue<RedemptionReceiptJob>,
  ) {}

  /**
   * Queues the render after commit, together with the others asked for within RENDER_BATCH_MS.
   * Resolves once the batch is in Redis, or after QUEUE_TIMEOUT_MS without an answer (Redis away
   * or frozen); never rejects: a failure to queue is logged, and the GET renders on demand.
   */
  enqueue(redemptionId: number, status: string): Promise<void> {
    this.batch ??= this.newBatch();
    this.batch.jobs.push({
      name: DOCUMENT_JOBS.redemptionReceipt,
      data: { redemptionId },
      opts: { jobId: redemptionReceiptJobId(redemptionId, status) },
    });
    return this.batch.sent;
  }

  /** Sends what is waiting at once: the queue closes after this hook. */
  async beforeApplicationShutdown(): Promise<void> {
    const waiting = this.batch;
    waiting?.sendNow();
    await waiting?.sent;
  }

  private newBatch(): RenderBatch {
    const jobs: RenderBatch['jobs'] = [];
    let due!: () => void;
    const timer = setTimeout(() => due(), RENDER_BATCH_MS);
    const sent = new Promise<void>((resolve) => (due = resolve)).then(async () => {
      this.batch = null;
      try {
        await withinMs(this.queue.addBulk(jobs), this.config.queueTimeoutMs);
      } catch (error) {
        const ids = jobs.map((job) => job.data.redemptionId).join(', ');
        this.logger.warn(
          `could not queue receipts ${ids} (${String(error)}): each renders when first downloaded`,
        );
      }
    });
    return {
      jobs,
      sent,
      sendNow: () => {
        clearTimeout(timer);
        due();
      },
    };
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
