import { AuditModule } from '@charity/audit';
import { InventoryModule } from '@charity/inventory';
import { QueueModule } from '@charity/queue';
import { Module, type Provider } from '@nestjs/common';
import { DonationReceiptsService } from './donation-receipts.service';
import { DonationsService } from './donations.service';
import { DonorStatementsService } from './donor-statements.service';
import { DonorsService } from './donors.service';
import { HonorBoardService } from './honor-board.service';
import { ReceiptVerificationService } from './receipt-verification.service';

const services: Provider[] = [
  DonationsService,
  DonationReceiptsService,
  ReceiptVerificationService,
  DonorStatementsService,
  DonorsService,
  HonorBoardService,
];

/** Donors, donation intake and receipts, verification, statements and the honor board. */
@Module({
  imports: [AuditModule, InventoryModule, QueueModule],
  providers: services,
  exports: services,
})
export class DonationsModule {}
