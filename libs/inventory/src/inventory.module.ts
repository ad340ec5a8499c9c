import { AuditModule } from '@charity/audit';
import { Module, type Provider } from '@nestjs/common';

const services: Provider[] = [];

/** Catalogue, lots and the stock ledger, transfers and stocktakes. */
@Module({
  imports: [AuditModule],
  providers: services,
  exports: services,
})
export class InventoryModule {}
