import { AuditModule } from '@charity/audit';
import { QueueModule } from '@charity/queue';
import { Module, type Provider } from '@nestjs/common';
import { AllotmentsService } from './allotments.service';
import { HouseholdCardsService } from './household-cards.service';
import { HouseholdImportService } from './household-import.service';
import { HouseholdsService } from './households.service';
import { PersonalDataCipher } from './personal-data-cipher';
import { PointAwardBatchesService } from './point-award-batches.service';
import { PointRulesService } from './point-rules.service';
import { PointsLedger } from './points-ledger.service';
import { PointsService } from './points.service';

const services: Provider[] = [
  PersonalDataCipher,
  HouseholdsService,
  HouseholdImportService,
  HouseholdCardsService,
  PointsLedger,
  PointsService,
  PointRulesService,
  PointAwardBatchesService,
  AllotmentsService,
];

/** 困难户 registry and their points: rules, awards, allotments, expiry and the ledger. */
@Module({
  imports: [AuditModule, QueueModule],
  providers: services,
  exports: services,
})
export class HouseholdsModule {}
