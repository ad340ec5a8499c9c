import { DomainError } from '@charity/common';
import { Store } from '@charity/organisation';
import { Injectable } from '@nestjs/common';
import { timingSafeEqual } from 'node:crypto';
import { DataSource } from 'typeorm';
import { Donation, type DonationStatus } from './donation.entity';
import { DonationsService } from './donations.service';
import { Donor } from './donor.entity';
import { maskDonorName } from './personal-data';

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

/** Public check of a receipt by its number and the HMAC code printed in its QR link. */
@Injectable()
export class ReceiptVerificationService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly donations: DonationsService,
  ) {}

  async verify(receiptNo: string, code: string): Promise<ReceiptVerification> {
    const expected = Buffer.from(this.donations.verificationCode(receiptNo));
    const given = Buffer.from(code);
    const codeOk = given.length === expected.length && timingSafeEqual(given, expected);
    const donation = codeOk
      ? await this.dataSource.getRepository(Donation).findOneBy({ receiptNo })
      : null;
    // one answer for "no such receipt" and "wrong code", so numbers cannot be probed
    if (!donation) {
      throw new DomainError('NOT_FOUND', '未找到该收据，或验证码不正确', { receiptNo });
    }
    const [store, donor] = await Promise.all([
      this.dataSource.getRepository(Store).findOneByOrFail({ id: donation.storeId }),
      this.dataSource.getRepository(Donor).findOneByOrFail({ id: donation.donorId }),
    ]);
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
}
