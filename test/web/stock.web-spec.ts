import {
  ean13CheckDigit,
  StockLot,
  StockMovement,
  Stocktake,
  Transfer,
  type CatalogueProduct,
} from '@charity/inventory';
import type { BrowserContext, Page } from 'playwright-core';
import { logInThroughPage, screenshot, startWebStack, type WebStack } from './support/web-stack';

describe('web app: stock', () => {
  let stack: WebStack;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    stack = await startWebStack();
  });
  afterAll(async () => {
    await stack?.close();
  });
  beforeEach(async () => {
    await stack.t.reset();
  });
  afterEach(async () => {
    await Promise.all(contexts.splice(0).map((context) => context.close()));
  });

  const newPage = async (): Promise<Page> => {
    const context = await stack.newContext();
    contexts.push(context);
    return context.newPage();
  };

  const ean13 = (first12: string): string => `${first12}${ean13CheckDigit(first12)}`;

  /** What a store holds of a product, from its lots. */
  const onHand = async (storeId: number, productId: number): Promise<number> =>
    (await stack.t.dataSource.getRepository(StockLot).findBy({ storeId, productId })).reduce(
      (sum, lot) => sum + lot.quantity,
      0,
    );

  /** Answers the confirmation box (ElMessageBox) with its button. */
  const confirmIn = (page: Page, button: string): Promise<void> =>
    page.locator('.el-message-box').getByRole('button', { name: button }).click();

  const scan = async (page: Page, code: string): Promise<void> => {
    const field = page.getByLabel('扫码盘点');
    await field.fill(code);
    await field.press('Enter');
  };

  it('lets a store manager count stock by scanning and finalize the differences', async () => {
    const { given } = stack.t;
    const store = await given.store({ name: '城关镇爱心超市' });
    const manager = await given.user('store_manager', store.id, 'manager_stock');
    const product = (name: string, barcode: string): Promise<CatalogueProduct> =>
      given.product({ name, barcode, unit: '袋', unitValueFen: 3000 });
    const rice = await product('东北大米 5kg', ean13('690123450001'));
    const oil = await product('花生油 1.8L', ean13('690123450002'));
    const flour = await product('面粉 2.5kg', ean13('690123450003'));
    await given.lot(store.id, rice.id, 5, given.date(10));
    await given.lot(store.id, rice.id, 2, null);
    await given.lot(store.id, oil.id, 4, given.date(200));
    await given.lot(store.id, flour.id, 3, null);

    const page = await newPage();
    await logInThroughPage(page, manager.username, undefined, '/stock/stocktakes');
    await page.getByRole('button', { name: '开始盘点' }).click();
    await page.waitForURL((url) => /^\/stock\/stocktakes\/\d+$/.test(url.pathname));
    const stocktakeId = Number(new URL(page.url()).pathname.split('/').pop());

    // the scan field has focus: a USB scanner types the code and Enter, three bags of rice
    for (let i = 0; i < 3; i++) await scan(page, rice.barcode!);
    await page.getByTestId('last-scan').getByText('东北大米 5kg 已数 3 袋').waitFor();
    await scan(page, oil.barcode!);
    await scan(page, '6909999999993');
    await page.getByText('条码 6909999999993 不是已登记的商品').waitFor();
    // two more bottles of oil found on a back shelf: the count is corrected by hand
    const oilCount = page.getByLabel('花生油 1.8L 实盘数量');
    await oilCount.fill('6');
    await oilCount.press('Enter');
    await page.getByTestId(`variance-${rice.id}`).getByText('盘亏 −4').waitFor();
    await page.getByTestId(`variance-${oil.id}`).getByText('盘盈 +2').waitFor();

    await page.getByRole('button', { name: '保存盘点数量' }).click();
    await page.getByText('已保存 2 种商品的盘点数量').waitFor();
    await page.getByTestId('unsaved').waitFor({ state: 'detached' });
    await page.getByRole('button', { name: '完成盘点' }).click();
    await page.getByText('盘盈 2 件，盘亏 4 件').waitFor();
    await confirmIn(page, '确认完成');
    await page.getByText(`已完成盘点 ${stocktakeId}`).waitFor();
    await page.getByText('库存已按实盘数量调整。').waitFor();
    await screenshot(page, 'stocktake');

    const stocktake = await stack.t.dataSource
      .getRepository(Stocktake)
      .findOneByOrFail({ id: stocktakeId });
    expect(stocktake).toMatchObject({ storeId: store.id, status: 'finalized' });
    const movements = await stack.t.dataSource
      .getRepository(StockMovement)
      .findBy({ refType: 'stocktake', refId: String(stocktakeId) });
    const change = (productId: number): number =>
      movements
        .filter((movement) => movement.productId === productId)
        .reduce((sum, movement) => sum + movement.quantity, 0);
    expect(movements.every((movement) => movement.kind === 'stocktake')).toBe(true);
    expect([change(rice.id), change(oil.id), change(flour.id)]).toEqual([-4, 2, 0]);
    expect(movements.every((movement) => movement.actorId === manager.id)).toBe(true);
    await expect(
      Promise.all([rice, oil, flour].map((p) => onHand(store.id, p.id))),
    ).resolves.toEqual([3, 6, 3]);

    await page.getByRole('tab', { name: '库存数量' }).click();
    await page.waitForURL((url) => url.pathname === '/stock');
    await expect(page.getByTestId(`on-hand-${rice.id}`).innerText()).resolves.toBe('3');
    await expect(page.getByTestId(`on-hand-${oil.id}`).innerText()).resolves.toBe('6');
    await expect(page.getByTestId(`on-hand-${flour.id}`).innerText()).resolves.toBe('3');
    // the rice lot that expires in 10 days stands out once the product is opened
    await page
      .getByRole('row', { name: /东北大米/ })
      .locator('.el-table__expand-icon')
      .click();
    await page.getByText('10 天后到期').waitFor();
    await screenshot(page, 'stock');

    // the ledger names each movement's product (read from the catalogue)
    await page.getByRole('tab', { name: '出入库明细' }).click();
    await page.waitForURL((url) => url.pathname === '/stock/movements');
    const ledger = page.locator('.el-table__body');
    await ledger.getByText('东北大米 5kg').first().waitFor();
    expect(await ledger.innerText()).not.toMatch(/商品 \d+/);
  });

  it('moves goods from one store to another with a transfer the receiver confirms', async () => {
    const { given } = stack.t;
    const township = await given.region('township');
    const storeA = await given.store({ regionId: township.id, name: '城关镇爱心超市' });
    const storeB = await given.store({ regionId: township.id, name: '柳林村爱心超市' });
    const managerA = await given.user('store_manager', storeA.id, 'manager_a');
    const managerB = await given.user('store_manager', storeB.id, 'manager_b');
    const rice = await given.product({ name: '东北大米 5kg', unit: '袋' });
    await given.lot(storeA.id, rice.id, 10, given.date(100), 4500);

    const sender = await newPage();
    await logInThroughPage(sender, managerA.username, undefined, '/stock/transfers');
    await sender.getByRole('button', { name: '调出货物' }).click();
    // the receiving store is picked by name from the county's store directory
    await sender.getByRole('combobox', { name: '调入超市' }).click();
    await sender.locator('.el-select-dropdown__item', { hasText: storeB.name }).click();
    await sender.getByRole('combobox', { name: '第 1 行商品' }).click();
    await sender
      .locator('.el-select-dropdown__item', { hasText: '东北大米 5kg（可调 10 袋）' })
      .click();
    await sender.getByLabel('第 1 行数量').fill('4');
    await sender.getByRole('button', { name: '调出', exact: true }).click();
    await confirmIn(sender, '确认调出');
    await sender.getByText('已调出，调拨单').waitFor();

    const transfer = await stack.t.dataSource
      .getRepository(Transfer)
      .findOneByOrFail({ fromStoreId: storeA.id });
    expect(transfer).toMatchObject({ toStoreId: storeB.id, status: 'pending' });
    expect(await onHand(storeA.id, rice.id)).toBe(6);
    await sender.getByTestId(`transfer-status-${transfer.id}`).getByText('在途').waitFor();

    const receiver = await newPage();
    await logInThroughPage(receiver, managerB.username, undefined, '/stock/transfers');
    await receiver
      .getByRole('row', { name: /东北大米 5kg ×4/ })
      .getByText('确认收货')
      .click();
    await confirmIn(receiver, '确认收货');
    await receiver.getByText(`已收货：调拨单 ${transfer.id}`).waitFor();
    await receiver.getByTestId(`transfer-status-${transfer.id}`).getByText('已收货').waitFor();
    await receiver.locator('.el-loading-mask').waitFor({ state: 'hidden' });
    await screenshot(receiver, 'stock-transfers');

    await expect(
      stack.t.dataSource.getRepository(Transfer).findOneByOrFail({ id: transfer.id }),
    ).resolves.toMatchObject({ status: 'received', closedBy: managerB.id });
    expect(await onHand(storeA.id, rice.id)).toBe(6);
    expect(await onHand(storeB.id, rice.id)).toBe(4);
    const received = await stack.t.dataSource
      .getRepository(StockLot)
      .findOneByOrFail({ storeId: storeB.id, productId: rice.id });
    expect(received).toMatchObject({ expiryDate: given.date(100), unitValueFen: 4500 });
  });
});
