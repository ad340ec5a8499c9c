import { AppConfig } from '@charity/config';
import type { INestApplication } from '@nestjs/common';
import { SwaggerModule } from '@nestjs/swagger';
import type { Express, NextFunction, Request, Response } from 'express';
import helmet from 'helmet';
import { useBodyParsing } from './http/body-parsing';
import { databaseDeadlines } from './http/database-deadline';
import { buildOpenApiDocument } from './http/openapi-document';
import { mountQueueBoard, QUEUE_BOARD_PATH } from './http/queue-board';
import { serveWebApp } from './http/web-app';
import { PUBLIC_PAGES_PREFIX } from './public-pages/public-pages-prefix';

export const API_PREFIX = 'api/v1';

/** Routes live under /api/v1, except health checks and the public pages. */
export function useApiPrefix(app: INestApplication): void {
  app.setGlobalPrefix(API_PREFIX, {
    exclude: ['health', 'health/worker', `${PUBLIC_PAGES_PREFIX}/*path`],
  });
}

/**
 * Everything about the HTTP app that is not a Nest provider; shared by main.ts and the e2e tests.
 * The app must be created with `{ bodyParser: false }` (see useBodyParsing).
 */
export function configureApp(app: INestApplication): void {
  const config = app.get(AppConfig);
  useApiPrefix(app);
  app.enableShutdownHooks();
  // Behind nginx or another load balancer every request comes from the proxy: request.ip (the
  // login limit's key, audit entries) is the client only when the proxy may say so through
  // X-Forwarded-For. Untrusted, the header is ignored, so a client cannot pick its own address.
  (app.getHttpAdapter().getInstance() as Express).set('trust proxy', config.trustProxy);

  // The web app opens receipts (blob: PDFs) in a frame to print them.
  const secureHeaders = helmet({
    contentSecurityPolicy: {
      directives: { 'frame-src': ["'self'", 'blob:'], 'img-src': ["'self'", 'data:', 'blob:'] },
    },
  });
  // Bull Board's page needs inline scripts; everything else gets helmet's defaults.
  app.use((request: Request, response: Response, next: NextFunction) =>
    request.path.startsWith(QUEUE_BOARD_PATH) ? next() : secureHeaders(request, response, next),
  );
  useBodyParsing(app);
  // after the body parsers, whose callbacks would leave the deadline's async context
  app.use(databaseDeadlines(config));
  if (config.corsOrigins.length > 0) {
    app.enableCors({ origin: config.corsOrigins, exposedHeaders: ['X-Request-Id'] });
  }

  SwaggerModule.setup('api/docs', app, buildOpenApiDocument(app), {
    jsonDocumentUrl: 'api/docs-json',
  });
  mountQueueBoard(app);
  serveWebApp(app, config.webDistDir);
}
