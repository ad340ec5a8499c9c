import { SYSTEM_ACTOR } from '@charity/common';
import { AllotmentsService } from '@charity/households';
import type { BrowserContext, Page } from 'playwright-core';
import { logInThroughPage, screenshot, startWebStack, type WebStack } from './support/web-stack';

describe('web app: system administration', () => {
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

  async function choose(label: string, option: string): Promise<void> {
    // the select's visible box covers its input: click the box of the labelled form item
    const item = page.getByRole('dialog').locator('.el-form-item', { hasText: label });
    await item.locator('.el-select__wrapper').click();
    await page.locator('.el-select-dropdown__item:visible', { hasText: option }).click();
  }

  it('lets a county admin create a clerk who signs in and sets their own password, and logs it', async () => {
    const { given, dataSource } = stack.t;
    const township = await given.region('township');
    const store = await given.store({ regionId: township.id, name: '城关镇爱心超市' });
    await given.store({ regionId: township.id, name: '河东村爱心超市' });
    const admin = await given.user('county_admin');
    await logInThroughPage(page, admin.username, undefined, '/admin/users');

    await page.getByRole('button', { name: '新建用户' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('用户名').fill('cg_clerk2');
    await dialog.getByLabel('姓名').fill('孙店员');
    await dialog.getByLabel('密码').fill('Clerk2026');
    await choose('角色', '店员');
    await choose('所属超市', '城关镇爱心超市');
    await dialog.getByRole('button', { name: '创建用户' }).click();
    await page.getByText('已创建用户 cg_clerk2（店员）').waitFor();

    const row = page.getByTestId('users-table').locator('tr', { hasText: 'cg_clerk2' });
    await row.waitFor();
    expect(await row.innerText()).toMatch(/孙店员[\s\S]*店员[\s\S]*城关镇爱心超市[\s\S]*启用/);
    const [saved] = await dataSource.query<{ role: string; storeId: number; active: number }[]>(
      'SELECT role, store_id AS storeId, active FROM users WHERE username = ?',
      ['cg_clerk2'],
    );
    expect(saved).toEqual({ role: 'clerk', storeId: store.id, active: 1 });
    await screenshot(page, 'admin-users');

    const clerkContext = await stack.newContext();
    const clerkPage = await clerkContext.newPage();
    // the admin chose the password: the new clerk sets their own before anything else
    await logInThroughPage(clerkPage, 'cg_clerk2', 'Clerk2026', '/password');
    await clerkPage.getByLabel('当前密码').fill('Clerk2026');
    await clerkPage.getByLabel('新密码', { exact: true }).fill('Sun-Clerk-2027');
    await clerkPage.getByLabel('再次输入新密码').fill('Sun-Clerk-2027');
    await clerkPage.getByRole('button', { name: '修改密码' }).click();
    // and, a clerk, goes on to the till
    await clerkPage.waitForURL((url) => url.pathname === '/till');
    await clerkPage.getByTestId('current-user').filter({ hasText: '孙店员' }).waitFor();
    await clerkContext.close();

    await page.getByRole('tab', { name: '操作日志' }).click();
    await page.waitForURL((url) => url.pathname === '/admin/audit-log');
    const entry = page.getByTestId('audit-table').locator('tr', { hasText: '新建用户 cg_clerk2' });
    await entry.waitFor();
    const entryText = await entry.innerText();
    expect(entryText).toContain(admin.username);
    expect(entryText).toContain('城关镇爱心超市');
    await screenshot(page, 'audit-log');
  });

  it("pays a month's allotment from the button and shows the run until it is done", async () => {
    const { given, app } = stack.t;
    await app.get(AllotmentsService).updateSchedule(SYSTEM_ACTOR, 'wubao', {
      basePoints: 30,
      perExtraMember: 0,
      active: true,
    });
    const household = await given.household({ category: 'wubao', memberCount: 1 });
    const admin = await given.user('county_admin');
    await logInThroughPage(page, admin.username, undefined, '/admin/allotments');

    const month = await page.getByLabel('发放月份').inputValue();
    await page.getByRole('button', { name: `发放 ${month} 积分` }).click();
    await page.getByRole('button', { name: '确定发放' }).click();
    await page.getByText(`已提交 ${month} 积分发放`).waitFor();
    // the summary refreshes itself until the worker has finished
    const run = page.getByTestId('allotment-run');
    await run.filter({ hasText: '已完成' }).waitFor({ timeout: 30_000 });
    expect(await run.innerText()).toContain('已完成：本次发放 1 户，30 分');
    await page
      .getByTestId('allotment-summary')
      .filter({ hasText: '已发放户数1' })
      .waitFor({ timeout: 30_000 });
    const [row] = await stack.t.dataSource.query<{ balance: number }[]>(
      'SELECT balance FROM households WHERE id = ?',
      [household.id],
    );
    expect(row?.balance).toBe(30);
    await screenshot(page, 'admin-allotments');
  });

  it('shows an auditor the users but no way to change them', async () => {
    const { given } = stack.t;
    const store = await given.store({ name: '城关镇爱心超市' });
    await given.user('clerk', store.id, 'cg_clerk1');
    const auditor = await given.user('auditor');
    await logInThroughPage(page, auditor.username, undefined, '/admin/users');

    await page.getByTestId('users-table').locator('tr', { hasText: 'cg_clerk1' }).waitFor();
    await page.getByText('审计账号只能查看，不能修改').waitFor();
    expect(await page.getByRole('button', { name: '新建用户' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: '编辑' }).count()).toBe(0);
  });
});
