import { AccountsModule } from '@charity/accounts';
import { AuditModule } from '@charity/audit';
import { DonationsModule } from '@charity/donations';
import { HouseholdsModule } from '@charity/households';
import { InventoryModule } from '@charity/inventory';
import { OrganisationModule } from '@charity/organisation';
import { RedemptionsModule } from '@charity/redemptions';
import { Module } from '@nestjs/common';
import { BootstrapService } from './bootstrap.service';

@Module({
  imports: [
    AccountsModule,
    AuditModule,
    OrganisationModule,
    InventoryModule,
    DonationsModule,
    HouseholdsModule,
    RedemptionsModule,
  ],
  providers: [BootstrapService],
  exports: [BootstrapService],
})
export class DemoModule {}
