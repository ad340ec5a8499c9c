import type { Region } from '@charity/organisation';
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import type { SignedIn } from '../support/given';
import {
  logInThroughPage,
  screenshot,
  SCREENSHOT_DIR,
  startWebStack,
  type WebStack,
} from './support/web-stack';

describe('web app: reports', () => {
  let stack: WebStack;
  let context: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    // each export step waits this long in the worker, so the progress bar is seen moving
    process.env.REPORT_EXPORT_STEP_DELAY_MS = '700';
    stack = await startWebStack();
  });
  afterAll(async () => {
    await stack?.close();
    delete process.env.REPORT_EXPORT_STEP_DELAY_MS;
  });
  beforeEach(async () => {
    await stack.t.reset();
    context = await stack.newContext();
    page = await context.newPage();
  });
  afterEach(async () => {
    await context.close();
  });

  /** A county with one township; its stores are added by each test. */
  const county = async (): Promise<{ county: Region; township: Region }> => {
    const region = await stack.t.given.region('county');
    return { county: region, township: await stack.t.given.region('township', region.id) };
  };

  const donate = async (as: SignedIn, body: object): Promise<void> => {
    const response = await stack.t.http
      .post('/api/v1/donations')
      .set('Authorization', as.auth)
      .set('Idempotency-Key', randomUUID())
      .send(body);
    expect(response.status).toBe(201);
  };

  it('shows the month in figures and exports it as a PDF, following its progress', async () => {
    const { given, http, dataSource } = stack.t;
    const { township } = await county();
    const store = await given.store({ regionId: township.id, name: '城关镇爱心超市' });
    const village = await given.region('village', township.id);
    const clerk = await given.signedIn('clerk', store.id);
    const admin = await given.user('county_admin');
    const rice = await given.product({ name: '大米5kg', pointPrice: 20, unitValueFen: 2500 });
    const donor = await given.donor({ name: '城关爱心企业' });
    // ¥500 of rice and ¥10,000 in cash, said apart
    await donate(clerk, {
      storeId: store.id,
      donorId: donor.id,
      cashFen: 1_000_000,
      lines: [
        { productId: rice.id, quantity: 20, unitValueFen: 2500, expiryDate: given.date(200) },
      ],
    });
    const household = await given.household({
      regionId: village.id,
      homeStoreId: store.id,
      points: 100,
    });
    const checkout = await http
      .post('/api/v1/redemptions')
      .set('Authorization', clerk.auth)
      .set('Idempotency-Key', randomUUID())
      .send({
        storeId: store.id,
        cardNo: household.cardNo,
        lines: [{ productId: rice.id, quantity: 2 }],
      });
    expect(checkout.status).toBe(201);

    await logInThroughPage(page, admin.username, undefined, '/reports');
    const headline = page.getByTestId('headline');
    await headline.waitFor();
    expect(await headline.innerText()).toBe(
      '本月全县共有1个爱心超市开展服务，收到社会各界捐赠物资价值500元、现金1万元，救助兜底户1户1人次',
    );
    expect(await page.getByTestId('report-cards').innerText()).toContain('¥10,500.00');
    expect(await page.getByTestId('stores').innerText()).toContain('城关镇爱心超市');
    await page.locator('.report-chart canvas').nth(1).waitFor();
    await page.locator('.figures > .el-loading-mask').waitFor({ state: 'detached' });
    // the app scrolls inside its main pane: a tall window shows every figure and chart at once
    await page.setViewportSize({ width: 1366, height: 2400 });
    await screenshot(page, 'reports');
    await page.setViewportSize({ width: 1366, height: 860 });

    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: '导出 PDF' }).click();
    await page.getByTestId('export-progress').waitFor();
    await page.getByTestId('export-status').getByText('正在生成').waitFor();
    await screenshot(page, 'reports-export');
    await page.getByTestId('export-status').getByText('已完成').waitFor({ timeout: 30_000 });
    await expect(
      page.getByRole('progressbar', { name: /导出进度/ }).getAttribute('aria-valuenow'),
    ).resolves.toBe('100');

    const file = await download;
    expect(file.suggestedFilename()).toMatch(/爱心超市\d{4}年\d{1,2}月工作月报\.pdf$/);
    const pdf = await readFile(await file.path());
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    // the file the worker made for this export, whole
    const [row] = await dataSource.query<{ status: string; progress: number; bytes: number }[]>(
      'SELECT status, progress, bytes FROM report_exports',
    );
    expect(row).toEqual({ status: 'done', progress: 100, bytes: pdf.length });

    // the same month for one township, picked from the region tree
    await page.getByRole('combobox', { name: '统计范围' }).click();
    await page.locator('.el-tree-node__content', { hasText: township.name }).first().click();
    await page.getByTestId('headline').getByText(`本月${township.name}共有1个`).waitFor();
  }, 90_000);

  it('totals every table as the PDF does, with thousands separators', async () => {
    const { given, http } = stack.t;
    const { township } = await county();
    const east = await given.store({ regionId: township.id, name: '东关爱心超市' });
    const west = await given.store({ regionId: township.id, name: '西关爱心超市' });
    const village = await given.region('village', township.id);
    const clerks = {
      east: await given.signedIn('clerk', east.id),
      west: await given.signedIn('clerk', west.id),
    };
    const quilt = await given.product({ name: '棉被', pointPrice: 600, unitValueFen: 60_000 });
    const donor = await given.donor({ name: '城关爱心企业' });
    for (const [store, clerk] of [
      [east, clerks.east],
      [west, clerks.west],
    ] as const) {
      await donate(clerk, {
        storeId: store.id,
        donorId: donor.id,
        lines: [
          { productId: quilt.id, quantity: 10, unitValueFen: 60_000, expiryDate: given.date(400) },
        ],
      });
    }
    const checkout = async (clerk: SignedIn, storeId: number, cardNo: string, quantity: number) => {
      const response = await http
        .post('/api/v1/redemptions')
        .set('Authorization', clerk.auth)
        .set('Idempotency-Key', randomUUID())
        .send({ storeId, cardNo, lines: [{ productId: quilt.id, quantity }] });
      expect(response.status).toBe(201);
    };
    // 低保 household served at both stores, 五保 household at the west one: 2 households, 3 人次
    const dibao = await given.household({
      regionId: village.id,
      homeStoreId: east.id,
      category: 'dibao',
      points: 5_000,
    });
    const wubao = await given.household({
      regionId: village.id,
      homeStoreId: west.id,
      category: 'wubao',
      points: 5_000,
    });
    await checkout(clerks.east, east.id, dibao.cardNo, 2);
    await checkout(clerks.west, west.id, dibao.cardNo, 1);
    await checkout(clerks.west, west.id, wubao.cardNo, 1);
    const admin = await given.user('county_admin');

    await logInThroughPage(page, admin.username, undefined, '/reports');
    await page.getByTestId('headline').waitFor();
    const cells = async (testId: string, where: 'body' | 'footer', text?: string) => {
      const wrapper = page.getByTestId(testId).locator(`.el-table__${where}-wrapper`);
      const row = text ? wrapper.locator('tr', { hasText: text }) : wrapper.locator('tr');
      return (await row.first().locator('td').allInnerTexts()).map((cell) => cell.trim());
    };
    // 合计 under each breakdown: households are the report's distinct 2, not the rows' 1 + 2
    expect(await cells('stores', 'body', '东关爱心超市')).toEqual([
      '东关爱心超市',
      '1',
      '1',
      '¥6,000.00',
      '1',
      '1',
      '1,200',
      '¥1,200.00',
    ]);
    expect(await cells('stores', 'footer')).toEqual([
      '合计',
      '2',
      '2',
      '¥12,000.00',
      '2',
      '3',
      '2,400',
      '¥2,400.00',
    ]);
    expect(await cells('townships', 'footer')).toEqual(await cells('stores', 'footer'));
    expect(await page.getByTestId('stores').locator('..').innerText()).toContain(
      '注：合计户数按户去重',
    );
    expect(await cells('aid-categories', 'body', '低保')).toEqual([
      '低保',
      '1',
      '2',
      '1,800',
      '¥1,800.00',
    ]);
    expect(await cells('aid-categories', 'footer')).toEqual([
      '合计',
      '2',
      '3',
      '2,400',
      '¥2,400.00',
    ]);
    expect(await cells('donor-kinds', 'footer')).toEqual(['合计', '2', '1', '¥12,000.00']);
    expect(await cells('categories', 'footer')).toEqual(['合计', '', '¥12,000.00']);

    // the aid register writes a checkout's points the same way
    await page.getByRole('tab', { name: '明细台账' }).click();
    await page.getByRole('tab', { name: '救助登记簿' }).click();
    const register = page.getByTestId('aid-register');
    await register.locator('tr', { hasText: dibao.cardNo }).first().waitFor();
    expect(await register.locator('tr', { hasText: '东关爱心超市' }).first().innerText()).toContain(
      '1,200',
    );
    await page.getByRole('tab', { name: '月度统计' }).click();
    await page.getByTestId('stores').waitFor();

    // the tables at the foot of the page, as a 1366 and a 1024 screen show them
    for (const width of [1366, 1024]) {
      await page.setViewportSize({ width, height: 768 });
      await page.getByTestId('stores').scrollIntoViewIfNeeded();
      await page.screenshot({ path: resolve(SCREENSHOT_DIR, `reports-totals-${width}.png`) });
      await page.getByTestId('aid-categories').scrollIntoViewIfNeeded();
      await page.screenshot({ path: resolve(SCREENSHOT_DIR, `reports-aid-totals-${width}.png`) });
    }
  });

  it("shows a store manager their own store's report only", async () => {
    const { given } = stack.t;
    const { township } = await county();
    const own = await given.store({ regionId: township.id, name: '东关爱心超市' });
    const other = await given.store({ regionId: township.id, name: '西关爱心超市' });
    const donor = await given.donor();
    await donate(await given.signedIn('clerk', own.id), {
      storeId: own.id,
      donorId: donor.id,
      cashFen: 1_230_000,
    });
    await donate(await given.signedIn('clerk', other.id), {
      storeId: other.id,
      donorId: donor.id,
      cashFen: 3_000_000,
    });
    const manager = await given.user('store_manager', own.id);

    await logInThroughPage(page, manager.username, undefined, '/reports');
    const headline = page.getByTestId('headline');
    await headline.waitFor();
    expect(await headline.innerText()).toBe(
      '本月东关爱心超市开展服务，收到社会各界捐赠现金1.23万元，救助兜底户0户0人次',
    );
    // no picker: the scope is named, not chosen
    expect(await page.getByTestId('report-scope').innerText()).toBe('统计范围：东关爱心超市');
    expect(await page.getByLabel('统计范围').count()).toBe(0);
    const stores = await page.getByTestId('stores').innerText();
    expect(stores).toContain('东关爱心超市');
    expect(stores).not.toContain('西关爱心超市');
    const tabs = await page.locator('.report-tabs').innerText();
    expect(tabs).not.toContain('月度结账');
    expect(tabs).not.toContain('月报存档');

    await page.getByRole('tab', { name: '明细台账' }).click();
    const register = page.getByTestId('donation-register');
    await register.getByText('¥12,300.00').waitFor();
    expect(await register.innerText()).not.toContain('西关爱心超市');
    await screenshot(page, 'reports-store');
  });

  it('lets the county admin close a finished month and reopen it with a reason', async () => {
    const admin = await stack.t.given.user('county_admin');
    const now = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' })
      .format(new Date())
      .slice(0, 7);
    const [year, month] = now.split('-').map(Number) as [number, number];
    // two months back: last month cannot be closed in the first 10 minutes of this one
    const last = month <= 2 ? { year: year - 1, month: month + 10 } : { year, month: month - 2 };
    const label = (y: number, m: number) => `${y}年${m}月`;
    const row = (text: string) =>
      page
        .getByTestId('months')
        .locator('tr.el-table__row')
        .filter({ has: page.getByText(text, { exact: true }) });

    await logInThroughPage(page, admin.username, undefined, '/reports/months');
    // the month under way offers no 结账: the button is off and says why before anything is asked
    const current = row(label(year, month));
    await current.getByTestId('not-closable').getByText('本月尚未结束').waitFor();
    const closeCurrent = current.getByRole('button', { name: '结账' });
    expect(await closeCurrent.isDisabled()).toBe(true);
    await closeCurrent.click({ force: true });
    await page.waitForTimeout(300); // time for a confirmation to open, were one asked
    await expect(page.locator('.el-message-box').isVisible()).resolves.toBe(false);
    // and says it within the table at 1024 too, not cut off at its right edge
    await page.setViewportSize({ width: 1024, height: 768 });
    const reason = await current.getByTestId('not-closable').boundingBox();
    const table = await page.getByTestId('months').boundingBox();
    expect(reason && table && reason.x + reason.width).toBeLessThanOrEqual(
      (table?.x ?? 0) + (table?.width ?? 0),
    );
    await screenshot(page, 'reports-months-1024');
    await page.setViewportSize({ width: 1366, height: 860 });

    await page.getByRole('combobox', { name: '年份' }).fill(String(last.year));
    await page.getByRole('combobox', { name: '年份' }).press('Enter');
    await row(label(last.year, last.month)).getByRole('button', { name: '结账' }).click();
    await page.getByRole('button', { name: '确定结账' }).click();
    await page.getByText(`已结账：${label(last.year, last.month)}`).waitFor();
    await row(label(last.year, last.month)).getByText('已结账', { exact: true }).waitFor();
    const lastMonth = `${last.year}-${String(last.month).padStart(2, '0')}`;
    const state = () =>
      stack.t.dataSource.query<{ status: string; reason: string | null }[]>(
        'SELECT status, reopen_reason AS reason FROM report_months WHERE month = ?',
        [lastMonth],
      );
    expect(await state()).toEqual([{ status: 'closed', reason: null }]);

    await row(label(last.year, last.month)).getByRole('button', { name: '反结账' }).click();
    await page.getByRole('button', { name: '确定反结账' }).click();
    await page.getByText('请填写反结账原因，至少 2 个字').waitFor();
    await page.locator('.el-message-box input').fill('补录漏登的捐赠');
    await page.getByRole('button', { name: '确定反结账' }).click();
    await page.getByText(`已反结账：${label(last.year, last.month)}`).waitFor();
    expect(await state()).toEqual([{ status: 'open', reason: '补录漏登的捐赠' }]);
    await row(label(last.year, last.month)).getByText('补录漏登的捐赠').waitFor();
    await page.locator('.el-message-box').waitFor({ state: 'hidden' });
    await screenshot(page, 'reports-months');
  });
});
