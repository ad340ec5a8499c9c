import { AuditModule } from '@charity/audit';
import { HouseholdsModule } from '@charity/households';
import { InventoryModule } from '@charity/inventory';
import { QueueModule } from '@charity/queue';
import { Module, type Provider } from '@nestjs/common';
import { AllowanceService } from './allowance.service';
import { RedemptionQueries } from './redemption-queries';
import { RedemptionReceiptsService } from './redemption-receipts.service';
import { RedemptionReversals } from './redemption-reversals.service';
import { RedemptionViews } from './redemption-views.service';
import { RedemptionsService } from './redemptions.service';

const services: Provider[] = [
  RedemptionsService,
  RedemptionQueries,
  RedemptionViews,
  RedemptionReversals,
  AllowanceService,
  RedemptionReceiptsService,
];

/** 兑换: quotes, checkouts, voids, deliveries and their receipts. */
@Module({
  imports: [AuditModule, InventoryModule, HouseholdsModule, QueueModule],
  providers: services,
  exports: services,
})
export class RedemptionsModule {}
