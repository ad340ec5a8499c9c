// Entry point for the TypeORM CLI (`npm run migration:*`); the apps use DatabaseModule instead.
import 'reflect-metadata';
import { loadConfig, loadEnvFile } from '@charity/config';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from './data-source-options';

loadEnvFile();

export default new DataSource(dataSourceOptions(loadConfig(process.env)));
