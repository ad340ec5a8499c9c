import { AppConfig } from '@charity/config';
import { Injectable, Module, type OnModuleInit } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { BATCHED_DATA_SOURCE } from '@charity/common';
import { batchedDataSourceOptions, dataSourceOptions } from './data-source-options';
import { ensureDatabase, runMigrationsLocked } from './database-lifecycle';

@Injectable()
export class MigrationRunner implements OnModuleInit {
  constructor(
    private readonly dataSource: DataSource,
    private readonly config: AppConfig,
  ) {}

  async onModuleInit(): Promise<void> {
    if (this.config.runMigrations) await runMigrationsLocked(this.dataSource);
  }
}

/**
 * The TypeORM connection. At start it creates the database when missing and applies pending
 * migrations unless RUN_MIGRATIONS=false. The schema never comes from `synchronize`. A second pool
 * (BATCHED_DATA_SOURCE, see batchedDataSourceOptions) runs the checkout's transactions.
 */
@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [AppConfig],
      useFactory: async (config: AppConfig) => {
        await ensureDatabase(config);
        // the app talks to MariaDB as MySQL, exactly as it does to MySQL 8 in production (the
        // mariadb driver type returns raw INSERT … RETURNING values, e.g. booleans as 1); only the
        // migration CLI needs to know it is MariaDB
        return dataSourceOptions(config, 'mysql');
      },
    }),
    TypeOrmModule.forRootAsync({
      name: BATCHED_DATA_SOURCE,
      inject: [AppConfig],
      useFactory: async (config: AppConfig) => {
        await ensureDatabase(config);
        // the name again, in the options: @nestjs/typeorm finds the data source by it at shutdown
        return { ...batchedDataSourceOptions(config), name: BATCHED_DATA_SOURCE };
      },
    }),
  ],
  providers: [MigrationRunner],
})
export class DatabaseModule {}
