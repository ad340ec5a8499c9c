import { AuditModule } from '@charity/audit';
import { AppConfig, ConfigModule } from '@charity/config';
import { DatabaseModule } from '@charity/database';
import { DonationsModule } from '@charity/donations';
import { HouseholdsModule } from '@charity/households';
import { InventoryModule } from '@charity/inventory';
import { QueueModule } from '@charity/queue';
import { RedemptionsModule } from '@charity/redemptions';
import { ReportsModule } from '@charity/reports';
import { Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { DocumentsProcessor } from './processors/documents.processor';
import { MaintenanceProcessor } from './processors/maintenance.processor';
import { PointsProcessor } from './processors/points.processor';
import { ReportsProcessor } from './processors/reports.processor';
import { Schedules } from './processors/schedules';

/** The same domain modules as the api, with Bull processors instead of HTTP controllers. */
@Module({
  imports: [
    ConfigModule,
    LoggerModule.forRootAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => ({ pinoHttp: { level: config.logLevel } }),
    }),
    DatabaseModule,
    QueueModule,
    AuditModule,
    InventoryModule,
    DonationsModule,
    HouseholdsModule,
    RedemptionsModule,
    ReportsModule,
  ],
  providers: [
    MaintenanceProcessor,
    DocumentsProcessor,
    PointsProcessor,
    ReportsProcessor,
    Schedules,
  ],
})
export class WorkerModule {}
