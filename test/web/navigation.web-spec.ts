import type { BrowserContext, Page } from 'playwright-core';
import { logInThroughPage, screenshot, startWebStack, type WebStack } from './support/web-stack';

const SCREENS = [
  { width: 1366, height: 768 },
  { width: 1024, height: 768 },
];

interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

const overlaps = (a: Box, b: Box): boolean =>
  a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

describe('web app: menu, toasts and the home screen', () => {
  let stack: WebStack;
  let context: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    stack = await startWebStack();
  });
  afterAll(async () => {
    await stack?.close();
  });
  beforeEach(async () => {
    await stack.t.reset();
    context = await stack.newContext();
    page = await context.newPage();
  });
  afterEach(async () => {
    await context.close();
  });

  /** Presses Tab until the element reading `label` has the focus (at most 12 times). */
  async function tabTo(label: string): Promise<void> {
    for (let presses = 0; presses < 12; presses += 1) {
      await page.keyboard.press('Tab');
      const focused = await page.evaluate<string | undefined>(
        'document.activeElement?.textContent?.trim()',
      );
      if (focused === label) return;
    }
    throw new Error(`Tab never reached the menu item ${label}`);
  }

  it.each(SCREENS)(
    'reaches each menu item with Tab, shows where the focus is and opens it with Enter or Space at $width×$height',
    async ({ width, height }) => {
      await page.setViewportSize({ width, height });
      const store = await stack.t.given.store();
      // a store manager starts at 首页 (a clerk starts at the till, whose scan field holds the focus)
      const manager = await stack.t.given.user('store_manager', store.id);
      await logInThroughPage(page, manager.username);
      await page.getByText('您好，').waitFor();

      await tabTo('捐赠登记');
      const item = page.locator('.el-menu-item', { hasText: '捐赠登记' });
      const outline = await item.evaluate((element) => {
        const style = element.ownerDocument.defaultView?.getComputedStyle(element);
        if (!style) throw new Error('the menu item is not in a window');
        return { style: style.outlineStyle, width: parseFloat(style.outlineWidth) };
      });
      expect(outline.style).not.toBe('none');
      expect(outline.width).toBeGreaterThanOrEqual(2);
      await screenshot(page, `menu-focus-${width}`);
      await page.keyboard.press('Enter');
      await page.waitForURL((url) => url.pathname === '/intake');
      await page.getByRole('heading', { name: '捐赠登记' }).waitFor();

      // the focus stays in the menu: Tab on to the next item, and Space opens it
      await page.locator('.el-menu-item', { hasText: '捐赠登记' }).focus();
      await page.keyboard.press('Tab');
      await page.keyboard.press('Space');
      await page.waitForURL((url) => url.pathname === '/households');
    },
  );

  it.each(SCREENS)(
    'shows toasts under the header, clear of the page title and its toolbar, at $width×$height',
    async ({ width, height }) => {
      await page.setViewportSize({ width, height });
      const store = await stack.t.given.store();
      const clerk = await stack.t.given.user('clerk', store.id);
      await stack.t.given.product({ name: '爱心棉被', barcode: '6901234567892' });
      await logInThroughPage(page, clerk.username, undefined, '/intake');

      // two toasts, the second most often while the first still shows: the new donor, then the
      // recorded donation; each is measured as soon as it shows (they last 3 s)
      const toasts = page.locator('.el-message');
      const boxesNow = (): Promise<Box[]> =>
        toasts.evaluateAll(async (elements) => {
          // where each comes to rest, not where it slides in from; one already leaving (its 3 s
          // are up) slides away and is gone
          const shown = elements.filter(
            (element) => !element.className.includes('el-message-fade-leave'),
          );
          await Promise.all(
            shown.flatMap((element) => element.getAnimations()).map((a) => a.finished),
          );
          return shown.map((element) => {
            const { x, y, width: w, height: h } = element.getBoundingClientRect();
            return { x, y, width: w, height: h };
          });
        });
      await page.getByRole('button', { name: '新建捐赠人' }).click();
      const dialog = page.getByRole('dialog', { name: '新建捐赠人' });
      await dialog.getByLabel('名称').fill('王秀英');
      await dialog.getByRole('button', { name: '保存捐赠人' }).click();
      await toasts.filter({ hasText: '已新建捐赠人' }).waitFor();
      const boxes = await boxesNow();
      await dialog.waitFor({ state: 'hidden' });
      const scan = page.getByLabel('扫描条码');
      await scan.fill('6901234567892');
      await scan.press('Enter');
      await page.getByTestId('intake-lines').getByText('爱心棉被').waitFor();
      await page.getByRole('button', { name: '登记捐赠' }).click();
      await toasts.filter({ hasText: '已登记捐赠' }).waitFor();
      boxes.push(...(await boxesNow()));
      await screenshot(page, `toasts-${width}`);

      const header = await page.locator('.shell-header').boundingBox();
      const title = await page.getByRole('heading', { name: '捐赠登记' }).boundingBox();
      // the row beside the title holds the store select
      const toolbar = await page.locator('.toolbar').boundingBox();
      if (!header || !title || !toolbar) throw new Error('no header or page title on the screen');
      expect(boxes.length).toBeGreaterThanOrEqual(2);
      for (const box of boxes) {
        expect(box.y).toBeGreaterThanOrEqual(header.y + header.height);
        expect(overlaps(box, title)).toBe(false);
        expect(overlaps(box, toolbar)).toBe(false);
        expect(box.x + box.width).toBeLessThanOrEqual(width);
      }
    },
  );

  it('tells an auditor what it can do there: read and export, not register or change', async () => {
    const auditor = await stack.t.given.user('auditor');
    await logInThroughPage(page, auditor.username);
    await page.getByText('您好，').waitFor();

    const tiles = page.locator('.tile');
    await tiles.first().waitFor();
    const texts = (await tiles.allInnerTexts()).map((text) => text.replace(/\s+/g, ' ').trim());
    expect(texts).toEqual([
      '困难户管理 查阅困难户档案、积分明细和评定公示',
      '库存 查阅库存批次、临期预警、出入库流水、调拨和盘点记录',
      '统计报表 查阅月度捐赠与救助统计和结账情况，导出 PDF 和 Excel',
      '系统管理 查阅用户、超市和区域、积分规则、发放计划和操作日志',
    ]);
    for (const text of texts) expect(text).not.toMatch(/登记|导入|调整|评定与/);
    expect(await page.getByTestId('read-only-note').innerText()).toContain('不能登记或修改数据');
    await screenshot(page, 'home-auditor');

    // staff who do those things still read what they can do
    await page.getByRole('button', { name: '退出登录' }).click();
    const manager = await stack.t.given.user('store_manager');
    await logInThroughPage(page, manager.username);
    await page.locator('.tile', { hasText: '困难户管理' }).getByText('登记、导入').waitFor();
    expect(await page.getByTestId('read-only-note').count()).toBe(0);
  });
});
