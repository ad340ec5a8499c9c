import { AccountsModule } from '@charity/accounts';
import { AuditModule } from '@charity/audit';
import { AppConfig, ConfigModule } from '@charity/config';
import { DatabaseModule } from '@charity/database';
import { DonationsModule } from '@charity/donations';
import { HouseholdsModule } from '@charity/households';
import { RedemptionsModule } from '@charity/redemptions';
import { ReportsModule } from '@charity/reports';
import { BootstrapService, DemoModule } from '@charity/demo';
import { InventoryModule } from '@charity/inventory';
import { OrganisationModule } from '@charity/organisation';
import { QueueModule } from '@charity/queue';
import { Module, type OnApplicationBootstrap } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_PIPE } from '@nestjs/core';
import { TerminusModule } from '@nestjs/terminus';
import { ThrottlerModule } from '@nestjs/throttler';
import { LoggerModule } from 'nestjs-pino';
import {
  AllotmentSchedulesController,
  AllotmentsController,
} from './allotments/allotments.controller';
import { AuditLogController } from './audit-log/audit-log.controller';
import { DonorsController } from './donors/donors.controller';
import { HonorBoardController } from './public/honor-board.controller';
import { NoticesController } from './public/notices.controller';
import { PointAwardsController } from './point-awards/point-awards.controller';
import { AuthController } from './auth/auth.controller';
import { HealthController } from './health/health.controller';
import { HouseholdCardsController } from './households/household-cards.controller';
import { HouseholdImportController } from './households/household-import.controller';
import { HouseholdsController } from './households/households.controller';
import { PointRulesController, PointsPolicyController } from './point-rules/point-rules.controller';
import { RedemptionsController } from './redemptions/redemptions.controller';
import { ReportsController } from './reports/reports.controller';
import { RedisHealthIndicator } from './health/redis.health';
import { WorkerHealthIndicator } from './health/worker.health';
import { AllExceptionsFilter } from './http/all-exceptions.filter';
import { AuthGuard } from './http/auth.guard';
import { DatabaseDeadlineGuard } from './http/database-deadline';
import { RolesGuard } from './http/roles.guard';
import { StoreScopeGuard } from './http/store-scope.guard';
import { RateLimitStorage } from './http/rate-limit.storage';
import { createValidationPipe } from './http/validation';
import { DonationsController } from './donations/donations.controller';
import { DonorStatementsController } from './donations/donor-statements.controller';
import { PublicReceiptsController } from './public/receipts.controller';
import { PublicPagesModule } from './public-pages/public-pages.module';
import { loggerParams } from './logging';
import { ProductCategoriesController } from './product-categories/product-categories.controller';
import { ProductsController } from './products/products.controller';
import { RegionsController } from './regions/regions.controller';
import { StockController } from './stock/stock.controller';
import { StocktakesController } from './stocktakes/stocktakes.controller';
import { StoresController } from './stores/stores.controller';
import { TransfersController } from './transfers/transfers.controller';
import { UsersController } from './users/users.controller';

@Module({
  imports: [
    ConfigModule,
    LoggerModule.forRootAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => loggerParams(config, true),
    }),
    DatabaseModule,
    QueueModule,
    ThrottlerModule.forRootAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => ({
        throttlers: [
          {
            name: 'login',
            limit: config.loginRateLimit.limit,
            ttl: config.loginRateLimit.windowSeconds * 1000,
          },
        ],
        storage: new RateLimitStorage(config),
      }),
    }),
    TerminusModule,
    AuditModule,
    AccountsModule,
    OrganisationModule,
    InventoryModule,
    DonationsModule,
    HouseholdsModule,
    RedemptionsModule,
    ReportsModule,
    DemoModule,
    PublicPagesModule,
  ],
  controllers: [
    HealthController,
    AuthController,
    RegionsController,
    StoresController,
    UsersController,
    AuditLogController,
    StockController,
    TransfersController,
    StocktakesController,
    ProductCategoriesController,
    ProductsController,
    DonationsController,
    DonorStatementsController,
    PublicReceiptsController,
    DonorsController,
    HonorBoardController,
    NoticesController,
    PointAwardsController,
    // households' fixed routes (import, cards.pdf) go above HouseholdsController and its `:id`
    HouseholdCardsController,
    HouseholdImportController,
    HouseholdsController,
    PointRulesController,
    PointsPolicyController,
    RedemptionsController,
    ReportsController,
    AllotmentSchedulesController,
    AllotmentsController,
  ],
  providers: [
    RedisHealthIndicator,
    WorkerHealthIndicator,
    // guards run in this order: how long may the database take (the route's limit, before the
    // next guard reads the user), who are you, may your role do this, is it your store
    { provide: APP_GUARD, useClass: DatabaseDeadlineGuard },
    { provide: APP_GUARD, useClass: AuthGuard },
    { provide: APP_GUARD, useClass: RolesGuard },
    { provide: APP_GUARD, useClass: StoreScopeGuard },
    { provide: APP_FILTER, useClass: AllExceptionsFilter },
    { provide: APP_PIPE, useFactory: createValidationPipe },
  ],
})
export class ApiModule implements OnApplicationBootstrap {
  constructor(private readonly bootstrap: BootstrapService) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.bootstrap.run();
  }
}
