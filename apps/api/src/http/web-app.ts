import type { INestApplication } from '@nestjs/common';
import { Logger } from '@nestjs/common';
import express, { type NextFunction, type Request, type Response } from 'express';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { PUBLIC_PAGES_PATH } from '../public-pages/public-pages-prefix';

/**
 * Paths the api itself answers (its routes, health, the public pages under /p/); everything else
 * that asks for a page gets the web app.
 */
const API_PATHS = /^\/(api|health)(\/|$)/;

/**
 * Serves the built web app (apps/web, `npm run build:web`) at `/`: hashed assets cached for a year,
 * and index.html for any other page address so the app's own router can show it after a reload.
 * Without a build the api runs alone and says so once.
 */
export function serveWebApp(app: INestApplication, dir: string): void {
  const index = join(dir, 'index.html');
  if (!existsSync(index)) {
    new Logger('WebApp').warn(`no web app at ${dir}: run npm run build:web to serve it at /`);
    return;
  }
  app.use(
    '/assets',
    express.static(join(dir, 'assets'), { immutable: true, maxAge: '365d', index: false }),
    // a file the build no longer has (an old page asking for last release's chunk): a plain 404,
    // never index.html in its place
    (_request: Request, response: Response) => {
      response.status(404).type('text/plain').send('Not Found');
    },
  );
  app.use(express.static(dir, { index: false, maxAge: 0 }));
  app.use((request: Request, response: Response, next: NextFunction) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return next();
    if (API_PATHS.test(request.path) || PUBLIC_PAGES_PATH.test(request.path)) return next();
    if (!request.accepts('html')) return next();
    response.setHeader('Cache-Control', 'no-cache');
    response.sendFile(index);
  });
}
