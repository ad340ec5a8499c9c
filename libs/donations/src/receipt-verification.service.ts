import { businessDate } from '@charity/common';
import { AppConfig } from '@charity/config';
import { Store } from '@charity/organisation';
import { Injectable } from '@nestjs/common';
import { timingSafeEqual } from 'node:crypto';
import { DataSource } from 'typeorm';
import { ReceiptNotVerifiedError } from './donation-errors';
import { Donation, type DonationStatus } from './donation.entity';
import { DonationsService } from './donations.service';
import { Donor } from './donor.entity';
import { maskDonorName, publicDonorName } from './personal-data';

export interface ReceiptVerification {
  genuine: true;
  receiptNo: string;
  status: DonationStatus;
  receivedDate: string;
  storeName: string;
  donorName: string;
  totalValueFen: number;
  voidedAt: Date | null;
}

/** A receipt as its public page shows it to whoever scanned the QR code. */
export interface PublicReceipt {
  receiptNo: string;
  status: DonationStatus;
  /** Local date (`YYYY-MM-DD`) the goods were received, as printed on the receipt. */
  receivedDate: string;
  storeName: string;
  /** As the 荣誉榜 shows it: units in full, people masked, anonymous without consent. */
  donorName: string;
  totalValueFen: number;
  /** Local date of the void, or null. */
  voidedDate: string | null;
}

interface FoundReceipt {
  donation: Donation;
  store: Store;
  donor: Donor;
}

/** Public check of a receipt by its number and the HMAC code printed in its QR link. */
@Injectable()
export class ReceiptVerificationService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly donations: DonationsService,
    private readonly config: AppConfig,
  ) {}

  async verify(receiptNo: string, code: string): Promise<ReceiptVerification> {
    const found = await this.find(receiptNo, code);
    if (!found) throw new ReceiptNotVerifiedError(receiptNo);
    const { donation, store, donor } = found;
    return {
      genuine: true,
      receiptNo: donation.receiptNo,
      status: donation.status,
      receivedDate: donation.receivedDate,
      storeName: store.name,
      donorName: maskDonorName(donor.kind, donor.name),
      totalValueFen: donation.totalValueFen,
      voidedAt: donation.voidedAt,
    };
  }

  /** The receipt for its public page; null alike for an unknown number and a wrong code. */
  async publicReceipt(receiptNo: string, code: string): Promise<PublicReceipt | null> {
    const found = await this.find(receiptNo, code);
    if (!found) return null;
    const { donation, store, donor } = found;
    return {
      receiptNo: donation.receiptNo,
      status: donation.status,
      receivedDate: donation.receivedDate,
      storeName: store.name,
      donorName: publicDonorName(donor),
      totalValueFen: donation.totalValueFen,
      voidedDate: donation.voidedAt && businessDate(donation.voidedAt, this.config.timeZone),
    };
  }

  private async find(receiptNo: string, code: string): Promise<FoundReceipt | null> {
    const expected = Buffer.from(this.donations.verificationCode(receiptNo));
    const given = Buffer.from(code);
    const codeOk = given.length === expected.length && timingSafeEqual(given, expected);
    const donation = codeOk
      ? await this.dataSource.getRepository(Donation).findOneBy({ receiptNo })
      : null;
    if (!donation) return null;
    const [store, donor] = await Promise.all([
      this.dataSource.getRepository(Store).findOneByOrFail({ id: donation.storeId }),
      this.dataSource.getRepository(Donor).findOneByOrFail({ id: donation.donorId }),
    ]);
    return { donation, store, donor };
  }
}
