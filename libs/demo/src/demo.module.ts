import { AccountsModule } from '@charity/accounts';
import { InventoryModule } from '@charity/inventory';
import { OrganisationModule } from '@charity/organisation';
import { Module } from '@nestjs/common';
import { BootstrapService } from './bootstrap.service';

@Module({
  imports: [AccountsModule, OrganisationModule, InventoryModule],
  providers: [BootstrapService],
  exports: [BootstrapService],
})
export class DemoModule {}
