// What every browser test stands on: the real api (serving the built web app) listening on a
// free port, the real worker module, and Debian's Chromium driven by playwright-core.
import { Test, type TestingModule } from '@nestjs/testing';
import { mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { WorkerModule } from '../../../apps/worker/src/worker.module';
import { TEST_PASSWORD } from '../../support/given';
import { createTestApp, type TestApp } from '../../support/test-app';

/** Screenshots for review land here (not committed). */
export const SCREENSHOT_DIR = resolve(__dirname, '../../../test-results/web');

/** Debian's Chromium (installed by scripts/setup-test-tools.sh); CHROMIUM_PATH picks another. */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

// As root, in a sandbox without internet: no sandbox, and no calls home at start.
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

export interface WebStack {
  /** The api in-process, as the e2e tests have it (given, dataSource, reset …). */
  t: TestApp;
  worker: TestingModule;
  baseUrl: string;
  browser: Browser;
  /** A fresh browser profile (own storage), Chinese locale, Asia/Shanghai clock, downloads on. */
  newContext(): Promise<BrowserContext>;
  close(): Promise<void>;
}

export async function startWebStack(): Promise<WebStack> {
  const t = await createTestApp();
  await t.app.listen(0, '127.0.0.1');
  const { port } = t.app.getHttpServer().address() as AddressInfo;
  const worker = await Test.createTestingModule({ imports: [WorkerModule] }).compile();
  await worker.init();
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
  });
  const baseUrl = `http://127.0.0.1:${port}`;
  const contexts: BrowserContext[] = [];
  return {
    t,
    worker,
    baseUrl,
    browser,
    async newContext() {
      const context = await browser.newContext({
        baseURL: baseUrl,
        locale: 'zh-CN',
        timezoneId: 'Asia/Shanghai',
        viewport: { width: 1366, height: 860 },
        acceptDownloads: true,
      });
      context.setDefaultTimeout(15_000);
      contexts.push(context);
      return context;
    },
    async close() {
      await Promise.allSettled(contexts.map((context) => context.close()));
      await browser.close();
      await worker.close();
      await t.close();
    },
  };
}

/** Logs in through the login page and waits for the home screen (or the redirect target). */
export async function logInThroughPage(
  page: Page,
  username: string,
  password = TEST_PASSWORD,
  path = '/',
): Promise<void> {
  await page.goto(path === '/' ? '/login' : `/login?redirect=${encodeURIComponent(path)}`);
  await page.getByLabel('用户名').fill(username);
  await page.getByLabel('密码').fill(password);
  await page.getByRole('button', { name: '登录' }).click();
  await page.waitForURL((url) => url.pathname === path);
}

/** Saves a full-page screenshot under test-results/web/<name>.png for review. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const path = resolve(SCREENSHOT_DIR, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}
