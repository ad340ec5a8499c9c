// Entry point for the TypeORM CLI (`npm run migration:*`); the apps use DatabaseModule instead.
import 'reflect-metadata';
import { loadConfig, loadEnvFile } from '@charity/config';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from './data-source-options';
import { ensureDatabase } from './database-lifecycle';

loadEnvFile();
const config = loadConfig(process.env);

// the CLI accepts a promised data source; the server type must be known before connecting
export default ensureDatabase(config).then(
  (type) => new DataSource(dataSourceOptions(config, type)),
);
