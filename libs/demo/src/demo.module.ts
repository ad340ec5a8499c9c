import { AccountsModule } from '@charity/accounts';
import { DonationsModule } from '@charity/donations';
import { InventoryModule } from '@charity/inventory';
import { OrganisationModule } from '@charity/organisation';
import { Module } from '@nestjs/common';
import { BootstrapService } from './bootstrap.service';

@Module({
  imports: [AccountsModule, OrganisationModule, InventoryModule, DonationsModule],
  providers: [BootstrapService],
  exports: [BootstrapService],
})
export class DemoModule {}
