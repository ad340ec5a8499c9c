import { AuditModule } from '@charity/audit';
import { QueueModule } from '@charity/queue';
import { Module, type Provider } from '@nestjs/common';
import { DonorImpactService } from './donor-impact.service';
import { MonthlyReportsService } from './monthly-reports.service';
import { ReportExportsService } from './report-exports.service';

const services: Provider[] = [MonthlyReportsService, ReportExportsService, DonorImpactService];

/** 统计报表: monthly figures, registers, exports, month close and donor impact. */
@Module({
  imports: [AuditModule, QueueModule],
  providers: services,
  exports: services,
})
export class ReportsModule {}
