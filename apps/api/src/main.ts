import 'reflect-metadata';
import { QuietStartLogger } from '@charity/common';
import { AppConfig, loadConfig, loadEnvFile } from '@charity/config';
import { NestFactory } from '@nestjs/core';
import { Logger } from 'nestjs-pino';
import { ApiModule } from './api.module';
import { configureApp } from './configure-app';

async function bootstrap(): Promise<void> {
  loadEnvFile();
  // a bad variable stops here with one clear message, before Nest logs anything
  loadConfig(process.env);
  const app = await NestFactory.create(ApiModule, {
    bufferLogs: true,
    bodyParser: false,
    abortOnError: false,
  });
  // Nest's ~200 route-mapping lines go to debug: `npm start` shows one block instead
  app.useLogger(new QuietStartLogger(app.get(Logger)));
  configureApp(app);
  const config = app.get(AppConfig);
  await app.listen(config.port);
  app.get(Logger).log(`api listening on http://127.0.0.1:${config.port} (docs at /api/docs)`);
}

bootstrap().catch((error: unknown) => {
  // configuration and connection problems are explained in the message itself
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
