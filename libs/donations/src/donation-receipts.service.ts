import { assertStoreAccess, NotFoundError, type Actor } from '@charity/common';
import { AppConfig } from '@charity/config';
import { renderDonationReceipt, type DonationReceiptData } from '@charity/documents';
import { Store } from '@charity/organisation';
import {
  DOCUMENT_JOBS,
  donationReceiptJobId,
  QUEUES,
  withinMs,
  type DonationReceiptJob,
} from '@charity/queue';
import { findRenderedDocument, saveRenderedDocument } from '@charity/receipts';
import { InjectQueue } from '@nestjs/bull';
import { Injectable, Logger } from '@nestjs/common';
import type { Queue } from 'bull';
import { DataSource } from 'typeorm';
import { DonationLine } from './donation-line.entity';
import { Donation } from './donation.entity';
import { DonationsService } from './donations.service';
import { Donor, DONOR_KIND_LABELS } from './donor.entity';

export const DONATION_RECEIPT = 'donation_receipt';

/**
 * The receipt PDF of a donation. The worker renders it after the intake commits; the download
 * renders on demand when the stored copy is missing or stale (a void adds the 作废 mark). One
 * stored file per donation, replaced in place, however often a render runs.
 */
@Injectable()
export class DonationReceiptsService {
  private readonly logger = new Logger(DonationReceiptsService.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly config: AppConfig,
    private readonly donations: DonationsService,
    @InjectQueue(QUEUES.documents) private readonly queue: Queue<DonationReceiptJob>,
  ) {}

  /**
   * Queues the render after commit, waiting QUEUE_TIMEOUT_MS at most (Redis away or frozen); a
   * failure to queue is logged, the GET renders on demand.
   */
  async enqueue(donationId: number, status: string): Promise<void> {
    try {
      await withinMs(
        this.queue.add(
          DOCUMENT_JOBS.donationReceipt,
          { donationId },
          { jobId: donationReceiptJobId(donationId, status) },
        ),
        this.config.queueTimeoutMs,
      );
    } catch (error) {
      this.logger.warn(
        `could not queue receipt ${donationId} (${String(error)}): it renders when first downloaded`,
      );
    }
  }

  async pdf(actor: Actor, donationId: number): Promise<Buffer> {
    const donation = await this.dataSource.getRepository(Donation).findOneBy({ id: donationId });
    if (!donation) throw new NotFoundError('donation', donationId);
    assertStoreAccess(actor, donation.storeId);
    const stored = await findRenderedDocument(
      this.dataSource.manager,
      DONATION_RECEIPT,
      donationId,
    );
    if (stored && stored.version === donation.status) return stored.content;
    return this.render(donationId);
  }

  /** Renders and stores the receipt as the donation stands now. */
  async render(donationId: number): Promise<Buffer> {
    const em = this.dataSource.manager;
    const donation = await em.findOneBy(Donation, { id: donationId });
    if (!donation) throw new NotFoundError('donation', donationId);
    const [lines, donor, store, clerks] = await Promise.all([
      em.find(DonationLine, { where: { donationId }, order: { lineNo: 'ASC' } }),
      em.findOneByOrFail(Donor, { id: donation.donorId }),
      em.findOneByOrFail(Store, { id: donation.storeId }),
      this.donations.userNames(em, [donation.createdBy]),
    ]);
    const data: DonationReceiptData = {
      unionName: this.config.unionName,
      receiptNo: donation.receiptNo,
      receivedDate: donation.receivedDate,
      donorName: donor.name,
      donorKindLabel: DONOR_KIND_LABELS[donor.kind],
      storeName: store.name,
      clerkName: clerks.get(donation.createdBy) ?? '',
      lines: lines.map((line) => ({
        name: line.productName,
        quantity: line.quantity,
        unit: line.unit,
        unitValueFen: line.unitValueFen,
        amountFen: line.amountFen,
      })),
      cashFen: donation.cashFen,
      totalValueFen: donation.totalValueFen,
      verifyUrl: this.donations.verifyUrl(donation.receiptNo),
      voided: donation.status === 'voided',
      voidReason: donation.voidReason,
      note: donation.note,
    };
    const pdf = await renderDonationReceipt(data);
    await saveRenderedDocument(em, DONATION_RECEIPT, donationId, donation.status, pdf);
    return pdf;
  }
}
