import 'reflect-metadata';
import { QuietStartLogger } from '@charity/common';
import { loadConfig, loadEnvFile } from '@charity/config';
import { NestFactory } from '@nestjs/core';
import { Logger } from 'nestjs-pino';
import { WorkerModule } from './worker.module';

async function bootstrap(): Promise<void> {
  loadEnvFile();
  // a bad variable stops here with one clear message, before Nest logs anything
  loadConfig(process.env);
  const app = await NestFactory.createApplicationContext(WorkerModule, {
    bufferLogs: true,
    abortOnError: false,
  });
  app.useLogger(new QuietStartLogger(app.get(Logger)));
  app.enableShutdownHooks();
  app.get(Logger).log('worker started; processing queues');
}

bootstrap().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
