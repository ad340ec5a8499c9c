import { Donation, DonationLine, Donor } from '@charity/donations';
import type { BrowserContext, Page } from 'playwright-core';
import { logInThroughPage, screenshot, startWebStack, type WebStack } from './support/web-stack';

describe('web app: donation intake (捐赠登记)', () => {
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

  it('lets a clerk record scanned goods from a new donor and print the numbered receipt', async () => {
    const { t } = stack;
    const store = await t.given.store({ name: '城关镇爱心超市' });
    const clerk = await t.given.user('clerk', store.id);
    const rice = await t.given.product({
      name: '东北大米 5kg',
      barcode: '6901234567892',
      unitValueFen: 4500,
    });
    const expiry = t.given.date(400);
    await logInThroughPage(page, clerk.username, undefined, '/intake');

    await page.getByRole('button', { name: '新建捐赠人' }).click();
    const dialog = page.getByRole('dialog', { name: '新建捐赠人' });
    await dialog.getByLabel('名称').fill('青山粮油有限公司');
    await dialog.locator('.el-select', { has: page.getByLabel('捐赠人类型') }).click();
    await page.locator('.el-select-dropdown__item', { hasText: '单位/组织' }).click();
    await dialog.getByLabel('联系电话').fill('0571-87654321');
    await dialog.getByText('同意在公开荣誉榜上显示').click();
    await dialog.getByRole('button', { name: '保存捐赠人' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await page.getByText('青山粮油有限公司（单位/组织）').waitFor();

    // a USB scanner types the code and Enter into the focused scan field
    const scan = page.getByLabel('扫描条码');
    await scan.fill('6901234567892');
    await scan.press('Enter');
    await page.getByTestId('intake-lines').getByText('东北大米 5kg').waitFor();
    await page.getByLabel('数量（东北大米 5kg）').fill('3');
    await page.getByLabel('数量（东北大米 5kg）').press('Tab');
    await page.getByLabel('单价（东北大米 5kg）').fill('40.5');
    const expiryInput = page.getByLabel('有效期至（东北大米 5kg）');
    await expiryInput.click();
    await expiryInput.fill(expiry);
    await expiryInput.press('Enter');
    await page.getByTestId('intake-total-value').getByText('¥121.50').waitFor();
    await screenshot(page, 'intake');

    await page.getByRole('button', { name: '登记捐赠' }).click();
    const receiptNo = (await page.getByTestId('receipt-no').innerText()).trim();
    expect(receiptNo).toMatch(/^JZ-/);

    const donation = await t.dataSource.getRepository(Donation).findOneByOrFail({ receiptNo });
    const donor = await t.dataSource.getRepository(Donor).findOneByOrFail({ id: donation.donorId });
    expect(donor).toMatchObject({
      name: '青山粮油有限公司',
      kind: 'organization',
      phone: '0571-87654321',
      honorConsent: true,
    });
    expect(donation).toMatchObject({
      storeId: store.id,
      status: 'active',
      goodsValueFen: 12150,
      totalValueFen: 12150,
      createdBy: clerk.id,
    });
    const lines = await t.dataSource
      .getRepository(DonationLine)
      .findBy({ donationId: donation.id });
    expect(lines).toEqual([
      expect.objectContaining({
        productId: rice.id,
        quantity: 3,
        unitValueFen: 4050,
        amountFen: 12150,
        expiryDate: expiry,
      }),
    ]);

    const receiptResponse = page.waitForResponse((response) =>
      response.url().endsWith(`/donations/${donation.id}/receipt.pdf`),
    );
    await page.getByTestId('intake-recorded').getByRole('button', { name: '打印收据' }).click();
    const pdf = await receiptResponse;
    expect(pdf.status()).toBe(200);
    expect(pdf.headers()['content-type']).toContain('application/pdf');

    // the store's list shows it, and a clerk has no 作废 there
    const row = page.getByTestId('recent-donations').locator('tr', { hasText: receiptNo });
    await row.getByText('青山粮油有限公司').waitFor();
    expect(await row.getByRole('button', { name: '作废' }).count()).toBe(0);
  });

  it('says what is missing before sending anything', async () => {
    const store = await stack.t.given.store();
    const clerk = await stack.t.given.user('clerk', store.id);
    await logInThroughPage(page, clerk.username, undefined, '/intake');

    await page.getByRole('button', { name: '登记捐赠' }).click();
    const problems = page.getByTestId('intake-problems');
    await problems.getByText('请选择捐赠人', { exact: false }).waitFor();
    expect(await problems.innerText()).toContain('请扫描或添加至少一件物资');

    const scan = page.getByLabel('扫描条码');
    await scan.fill('6900000000000');
    await scan.press('Enter');
    await page.getByRole('alert').getByText('没有对应的商品', { exact: false }).waitFor();

    // goods without a barcode are found by name; a quantity of 0 is refused before sending
    await stack.t.given.product({ name: '爱心棉被' });
    await page.getByLabel('按名称查找商品').fill('棉被');
    await page.locator('.el-autocomplete-suggestion li', { hasText: '爱心棉被' }).click();
    await page.getByLabel('数量（爱心棉被）').fill('0');
    await page.getByLabel('数量（爱心棉被）').press('Tab');
    await page.getByRole('button', { name: '登记捐赠' }).click();
    await problems.getByText('第 1 行（爱心棉被）：数量必须大于 0').waitFor();
    expect(await stack.t.dataSource.getRepository(Donation).count()).toBe(0);
  });

  it('takes a single donor or product match with Enter and drops each message once it is fixed', async () => {
    await page.setViewportSize({ width: 1366, height: 768 });
    const { given } = stack.t;
    const store = await given.store();
    const clerk = await given.user('clerk', store.id);
    await given.donor({ name: '青山粮油有限公司' });
    await given.donor({ name: '红星超市' });
    await given.product({ name: '爱心棉被' });
    await given.product({ name: '爱心书包' });
    await logInThroughPage(page, clerk.username, undefined, '/intake');

    await page.getByRole('button', { name: '登记捐赠' }).click();
    const problems = page.getByTestId('intake-problems');
    await problems.getByText('请选择捐赠人', { exact: false }).waitFor();
    expect(await problems.innerText()).toContain('请扫描或添加至少一件物资');

    // part of a name and Enter: the one donor it matches is taken, and the form moves on to goods
    const donorBox = page.getByRole('combobox', { name: '捐赠人' });
    await donorBox.click();
    await donorBox.pressSequentially('青山');
    await donorBox.press('Enter');
    await page.locator('.donor-picker').getByText('青山粮油有限公司（企业）').waitFor();
    await problems.getByText('请选择捐赠人', { exact: false }).waitFor({ state: 'detached' });
    expect(await problems.innerText()).toContain('请扫描或添加至少一件物资');
    await page.waitForFunction(`document.activeElement?.getAttribute('aria-label') === '扫描条码'`);

    // a code nobody knows is said beside the field, and typing the next one takes it away
    const scan = page.getByLabel('扫描条码');
    await scan.fill('6900000000000');
    await scan.press('Enter');
    const scanError = page.getByRole('alert').filter({ hasText: '没有对应的商品' });
    await scanError.waitFor();
    await scan.fill('69');
    await scanError.waitFor({ state: 'detached' });
    await scan.fill('');

    // two goods match 爱心: Enter leaves the choice to the clerk; one matches 棉被: Enter adds it
    const productBox = page.getByLabel('按名称查找商品');
    await productBox.pressSequentially('爱心');
    await productBox.press('Enter');
    const suggestions = page.locator('.el-autocomplete-suggestion li:visible');
    await suggestions.filter({ hasText: '爱心书包' }).waitFor();
    expect(await suggestions.count()).toBe(2);
    expect(await page.getByTestId('intake-lines').getByText('爱心棉被').count()).toBe(0);
    await productBox.fill('');
    await productBox.pressSequentially('棉被');
    await productBox.press('Enter');
    await page.getByTestId('intake-lines').getByText('爱心棉被').waitFor();
    // nothing is left to complain about, so the list of problems goes
    await problems.waitFor({ state: 'detached' });
    await screenshot(page, 'intake-enter-picks');

    // and the donation is recorded from the donor taken with Enter
    await page.getByRole('button', { name: '登记捐赠' }).click();
    await page.getByTestId('intake-recorded').waitFor();
    const donation = await stack.t.dataSource.getRepository(Donation).findOneByOrFail({});
    const donor = await stack.t.dataSource
      .getRepository(Donor)
      .findOneByOrFail({ id: donation.donorId });
    expect(donor.name).toBe('青山粮油有限公司');
  });

  it.each([
    { width: 1366, height: 768 },
    { width: 1024, height: 768 },
  ])(
    'opens 新建捐赠人 on 名称, as a person, and clears a message once the field is fixed at $width×$height',
    async ({ width, height }) => {
      await page.setViewportSize({ width, height });
      const store = await stack.t.given.store();
      const clerk = await stack.t.given.user('clerk', store.id);
      await logInThroughPage(page, clerk.username, undefined, '/intake');

      await page.getByRole('button', { name: '新建捐赠人' }).click();
      const dialog = page.getByRole('dialog', { name: '新建捐赠人' });
      const name = await dialog.getByLabel('名称').elementHandle();
      await page.waitForFunction((input) => input === input?.ownerDocument.activeElement, name);
      const kind = dialog.locator('.el-select', { has: page.getByLabel('捐赠人类型') });
      expect(await kind.innerText()).toContain('个人');

      await dialog.getByRole('button', { name: '保存捐赠人' }).click();
      const nameError = dialog.locator('.el-form-item__error', { hasText: '请填写捐赠人名称' });
      await nameError.waitFor();
      await dialog.getByLabel('联系电话').fill('12345');
      await dialog.getByRole('button', { name: '保存捐赠人' }).click();
      const phoneError = dialog.locator('.el-form-item__error', { hasText: '电话应为' });
      await phoneError.waitFor();
      // each message sits in its own line under its field, not under the next field's box
      const nameBox = await nameError.boundingBox();
      const kindBox = await kind.boundingBox();
      expect(nameBox && kindBox && nameBox.y + nameBox.height <= kindBox.y).toBe(true);
      await screenshot(page, `intake-new-donor-${width}`);

      // each message goes as soon as its field is right, the other one stays until then
      await dialog.getByLabel('名称').pressSequentially('王秀英');
      await nameError.waitFor({ state: 'detached' });
      expect(await phoneError.count()).toBe(1);
      await dialog.getByLabel('联系电话').fill('13812345678');
      await phoneError.waitFor({ state: 'detached' });
      await dialog.getByRole('button', { name: '保存捐赠人' }).click();
      await dialog.waitFor({ state: 'hidden' });

      const donor = await stack.t.dataSource.getRepository(Donor).findOneByOrFail({});
      expect(donor).toMatchObject({ kind: 'individual', phone: '13812345678' });
    },
  );

  it('lets a store manager void a donation from the list, with a reason', async () => {
    const { t } = stack;
    const store = await t.given.store();
    const manager = await t.given.signedIn('store_manager', store.id);
    const product = await t.given.product({ name: '食用油 5L', unitValueFen: 6000 });
    const created = await t.http
      .post('/api/v1/donations')
      .set('Authorization', manager.auth)
      .send({
        storeId: store.id,
        donor: { kind: 'company', name: '红星超市' },
        lines: [{ productId: product.id, quantity: 2 }],
      })
      .expect(201);
    const { id, receiptNo } = created.body as { id: number; receiptNo: string };
    await logInThroughPage(page, manager.user.username, undefined, '/intake');

    const row = page.getByTestId('recent-donations').locator('tr', { hasText: receiptNo });
    await row.getByText('红星超市').waitFor();
    await row.getByRole('button', { name: '作废' }).click();
    const box = page.locator('.el-message-box');
    await box.locator('input').fill('登记错误，重复录入');
    await box.getByRole('button', { name: '下一步' }).click();
    await page.locator('.el-message-box', { hasText: '确认作废' }).waitFor();
    await page.getByRole('button', { name: '确认作废' }).click();

    await row.getByText('已作废').waitFor();
    expect(await row.getByRole('button', { name: '作废' }).count()).toBe(0);
    const voided = await t.dataSource.getRepository(Donation).findOneByOrFail({ id });
    expect(voided).toMatchObject({ status: 'voided', voidReason: '登记错误，重复录入' });
  });
});
