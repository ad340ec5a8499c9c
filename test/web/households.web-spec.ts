import type { Region, Store } from '@charity/organisation';
import type { BrowserContext, Page } from 'playwright-core';
import { logInThroughPage, screenshot, startWebStack, type WebStack } from './support/web-stack';

/** Excel's "CSV UTF-8": a BOM, commas, CRLF (as test/household-import.e2e-spec.ts builds it). */
function csv(rows: (string | number)[][]): Buffer {
  return Buffer.from(`\uFEFF${rows.map((row) => row.join(',')).join('\r\n')}\r\n`);
}

describe('web app: households', () => {
  let stack: WebStack;
  let context: BrowserContext;
  let page: Page;
  let township: Region;
  let village: Region;
  /** The only store of `township`. */
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
    store = await given.store({ regionId: township.id });
    context = await stack.newContext();
    page = await context.newPage();
  });
  afterEach(async () => {
    await context.close();
  });

  const householdRows = (): Promise<{ head_name: string; id_number_last4: string }[]> =>
    stack.t.dataSource.query('SELECT head_name, id_number_last4 FROM households ORDER BY id');

  it('shows the row error of a rejected import, imports nothing, then imports the corrected sheet', async () => {
    const { given } = stack.t;
    const manager = await given.user('store_manager', store.id);
    const good = given.idNumber();
    const valid = given.idNumber();
    const wrongCheck = valid.slice(0, 17) + (valid.endsWith('0') ? '1' : '0');
    const header = ['姓名', '身份证号', '类别', '人口', '村'];
    await logInThroughPage(page, manager.username, undefined, '/households/import');

    await page.getByTestId('import-file').setInputFiles({
      name: '名单.csv',
      mimeType: 'text/csv',
      buffer: csv([
        header,
        ['王秀英', good, '五保', 1, village.name],
        ['李建国', wrongCheck, '低保', 3, village.name],
      ]),
    });
    await page.getByRole('button', { name: '开始导入' }).click();

    const problems = page.getByTestId('import-problems');
    await problems.waitFor();
    const problemRows = problems.locator('.el-table__body tr');
    // the table's columns register after its first render: wait for the row's text
    await problemRows.filter({ hasText: '身份证号校验位' }).waitFor();
    await expect(problemRows.count()).resolves.toBe(1);
    const cells = await problemRows.first().locator('td').allInnerTexts();
    expect(cells.map((cell) => cell.trim())).toEqual([
      '第 3 行',
      '身份证号',
      '身份证号校验位不正确，请核对是否输错',
    ]);
    // all or nothing: the good row 2 was not imported either, and the screen says so
    const failure = await page.getByTestId('import-failure').innerText();
    expect(failure).toContain('未导入任何数据');
    expect(failure).toContain('一户都没有导入');
    expect(await householdRows()).toEqual([]);
    await screenshot(page, 'households-import');

    await page.getByTestId('import-file').setInputFiles({
      name: '名单.csv',
      mimeType: 'text/csv',
      buffer: csv([
        header,
        ['王秀英', good, '五保', 1, village.name],
        ['李建国', valid, '低保', 3, village.name],
      ]),
    });
    await page.getByRole('button', { name: '开始导入' }).click();
    await page.getByText('导入成功：已导入 2 户困难户').waitFor();
    expect(await page.getByTestId('import-failure').count()).toBe(0);
    expect(await householdRows()).toEqual([
      { head_name: '王秀英', id_number_last4: good.slice(-4) },
      { head_name: '李建国', id_number_last4: valid.slice(-4) },
    ]);
  });

  it('registers a household through the form and records an award by rule for it', async () => {
    const { given } = stack.t;
    const manager = await given.user('store_manager', store.id);
    const rule = await given.pointRule({ name: '庭院整洁', points: 5 });
    const idNumber = given.idNumber();
    await logInThroughPage(page, manager.username, undefined, '/households');

    await page.getByRole('button', { name: '登记困难户' }).click();
    await page.waitForURL((url) => url.pathname === '/households/new');
    await page.getByLabel('户主姓名').fill('张桂兰');
    await page.getByLabel('身份证号').fill(idNumber);
    await page.locator('.el-radio-button', { hasText: '五保' }).click();
    await page.getByLabel('家庭人口').fill('3');
    await page.getByLabel('家庭人口').press('Tab');
    await page.locator('.el-form-item', { hasText: '所在村' }).locator('.el-select').click();
    await page.keyboard.type(village.name);
    await page
      .locator('.el-select-dropdown__item:visible', {
        hasText: `${township.name} / ${village.name}`,
      })
      .click();
    await page.getByRole('button', { name: '登记', exact: true }).click();

    await page.waitForURL((url) => /^\/households\/\d+$/.test(url.pathname));
    const householdId = Number(new URL(page.url()).pathname.split('/').pop());
    const [household] = await stack.t.dataSource.query<Record<string, unknown>[]>(
      'SELECT head_name, category, member_count, region_id, home_store_id, status, id_number_last4 FROM households WHERE id = ?',
      [householdId],
    );
    expect(household).toEqual({
      head_name: '张桂兰',
      category: 'wubao',
      member_count: 3,
      region_id: village.id,
      home_store_id: store.id,
      status: 'active',
      id_number_last4: idNumber.slice(-4),
    });
    await expect(page.getByTestId('balance').innerText()).resolves.toBe('0');
    expect(await page.getByTestId('id-number').innerText()).toBe(
      `${idNumber.slice(0, 6)}********${idNumber.slice(-4)}`,
    );

    await page.locator('.el-form-item', { hasText: '评定规则' }).locator('.el-select').click();
    await page.locator('.el-select-dropdown__item:visible', { hasText: '庭院整洁 +5' }).click();
    await page.getByRole('button', { name: '记录评定' }).click();

    await page.getByTestId('points-entries').getByText('+5').waitFor();
    await expect(page.getByTestId('balance').innerText()).resolves.toBe('5');
    const entries = await stack.t.dataSource.query<Record<string, unknown>[]>(
      'SELECT kind, points, balance_after, rule_id, actor_id, store_id FROM points_entries WHERE household_id = ?',
      [householdId],
    );
    expect(entries).toEqual([
      {
        kind: 'award',
        points: 5,
        balance_after: 5,
        rule_id: rule.id,
        actor_id: manager.id,
        store_id: store.id,
      },
    ]);
    const statementRow = await page
      .getByTestId('points-entries')
      .locator('.el-table__body tr')
      .first()
      .innerText();
    expect(statementRow).toContain('积分评定');
    expect(statementRow).toContain(manager.displayName);
    await screenshot(page, 'household');

    // the household's card, as a PDF file (printing opens the same PDF in the print dialog)
    const [card, file] = await Promise.all([
      page.waitForResponse((response) =>
        response.url().endsWith(`/households/${householdId}/card.pdf`),
      ),
      page.waitForEvent('download'),
      page.getByRole('button', { name: '下载积分卡 PDF' }).click(),
    ]);
    expect(card.status()).toBe(200);
    expect(card.headers()['content-type']).toBe('application/pdf');
    expect(file.suggestedFilename()).toMatch(/^积分卡-H\d+\.pdf$/);
  });
});
