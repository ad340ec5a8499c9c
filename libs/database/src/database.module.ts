import { AppConfig } from '@charity/config';
import { Injectable, Module, type OnModuleInit } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from './data-source-options';
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
 * migrations unless RUN_MIGRATIONS=false. The schema never comes from `synchronize`.
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
  ],
  providers: [MigrationRunner],
})
export class DatabaseModule {}
