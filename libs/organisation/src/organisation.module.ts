import { AuditModule } from '@charity/audit';
import { Module } from '@nestjs/common';
import { RegionsService } from './regions.service';
import { StoresService } from './stores.service';

@Module({
  imports: [AuditModule],
  providers: [RegionsService, StoresService],
  exports: [RegionsService, StoresService],
})
export class OrganisationModule {}
