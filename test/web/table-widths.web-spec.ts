import type { Region, Store } from '@charity/organisation';
import type { BrowserContext, Page } from 'playwright-core';
import { columnsCut } from './support/table-fit';
import { logInThroughPage, screenshot, startWebStack, type WebStack } from './support/web-stack';

/** Staff screens are used at 1024×768 (older shop PCs) and 1366×768. */
const SIZES = [
  { width: 1024, height: 768 },
  { width: 1366, height: 768 },
] as const;

describe('web app: tables keep their key columns on screen', () => {
  let stack: WebStack;
  let context: BrowserContext;
  let page: Page;
  let township: Region;
  let village: Region;
  let store: Store;

  beforeAll(async () => {
    stack = await startWebStack();
  });
  afterAll(async () => {
    await stack?.close();
  });
  beforeEach(async () => {
    await stack.t.reset();
    const { given } = stack.t;
    const county = await given.region('county');
    township = await given.region('township', county.id);
    village = await given.region('village', township.id);
    store = await given.store({ regionId: township.id, name: '城关镇爱心超市（县中心仓）' });
    context = await stack.newContext();
    page = await context.newPage();
  });
  afterEach(async () => {
    await context.close();
  });

  it('超市与区域 shows every store with its 操作 column', async () => {
    const { given, dataSource } = stack.t;
    await given.store({ regionId: village.id, name: '王庄村爱心超市（村级服务点）' });
    await dataSource.query('UPDATE stores SET address = ?, phone = ?', [
      '青山县城关镇人民路与建设路交叉口东北角 88 号',
      '0391-88886666',
    ]);
    const admin = await given.user('county_admin');
    await logInThroughPage(page, admin.username, undefined, '/admin/stores');
    const table = page.getByTestId('stores-table');
    await table.locator('tr.el-table__row').nth(1).waitFor();
    for (const size of SIZES) {
      await page.setViewportSize(size);
      await screenshot(page, `admin-stores-${size.width}`);
      expect(await columnsCut(table, ['名称', '状态', '操作'])).toEqual([]);
    }
  });

  it('the households list shows 积分, 状态 and 操作 to the county at 1024 px', async () => {
    const { given } = stack.t;
    for (const headName of ['欧阳秀英', '王建国']) {
      await given.household({
        headName,
        regionId: village.id,
        homeStoreId: store.id,
        points: 12345,
      });
    }
    const admin = await given.user('county_admin');
    await logInThroughPage(page, admin.username, undefined, '/households');
    const table = page.getByTestId('households-table');
    await table.locator('tr.el-table__row').nth(1).waitFor();
    for (const size of SIZES) {
      await page.setViewportSize(size);
      await screenshot(page, `households-list-${size.width}`);
      expect(await columnsCut(table, ['卡号', '户主', '积分', '状态', '操作'])).toEqual([]);
    }
  });

  it('stock levels show their lot tags whole, in the list and in the opened lots', async () => {
    const { given } = stack.t;
    const rice = await given.product({ name: '东北大米（珍珠米）5kg 袋装', unit: '袋' });
    await given.lot(store.id, rice.id, 3, given.date(-2));
    await given.lot(store.id, rice.id, 8, given.date(12));
    await given.lot(store.id, rice.id, 20, null);
    const manager = await given.user('store_manager', store.id);
    await logInThroughPage(page, manager.username, undefined, '/stock');
    const levels = page.locator('.el-table').first();
    const row = levels.locator('tr.el-table__row', { hasText: rice.name });
    await row.waitFor();
    await row.locator('.el-table__expand-icon').click();
    const lots = page.locator('.el-table .lots');
    await lots.locator('tr.el-table__row').nth(2).waitFor();
    for (const size of SIZES) {
      await page.setViewportSize(size);
      await screenshot(page, `stock-levels-${size.width}`);
      expect(await columnsCut(levels, ['商品', '库存数量', '可兑换', '批次'])).toEqual([]);
      expect(await columnsCut(lots, ['批次', '数量', '到期日', '操作'])).toEqual([]);
    }
  });
});
