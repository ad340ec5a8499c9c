import { AuditModule } from '@charity/audit';
import { InventoryModule } from '@charity/inventory';
import { Module, type Provider } from '@nestjs/common';

const services: Provider[] = [];

/** Donors, donation intake and receipts, verification, statements and the honor board. */
@Module({
  imports: [AuditModule, InventoryModule],
  providers: services,
  exports: services,
})
export class DonationsModule {}
