import { withCheckCharacter } from '@charity/households';
import type { Region } from '@charity/organisation';
import type { BrowserContext, Page } from 'playwright-core';
import { logInThroughPage, screenshot, startWebStack, type WebStack } from './support/web-stack';

describe('web app: registering a household (登记困难户)', () => {
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

  const item = (label: string) =>
    page
      .locator('.el-form-item')
      .filter({ has: page.locator('.el-form-item__label', { hasText: label }) });
  const errorOf = (label: string) => item(label).locator('.el-form-item__error');

  async function pickVillage(township: Region, village: Region): Promise<void> {
    await item('所在村').locator('.el-select').click();
    await page.keyboard.type(village.name);
    await page
      .locator('.el-select-dropdown__item:visible', {
        hasText: `${township.name} / ${village.name}`,
      })
      .click();
  }

  it('preselects the store serving the picked village, when exactly one does', async () => {
    await page.setViewportSize({ width: 1366, height: 768 });
    const { given } = stack.t;
    const county = await given.region('county');
    // 城关: a township store serves its villages
    const chengguan = await given.region('township', county.id);
    const chengguanVillage = await given.region('village', chengguan.id);
    const chengguanStore = await given.store({ regionId: chengguan.id, name: '城关镇爱心超市' });
    // 柳河: 王庄 has a store of its own, nearer than the township's
    const liuhe = await given.region('township', county.id);
    const wangzhuang = await given.region('village', liuhe.id);
    await given.store({ regionId: liuhe.id, name: '柳河镇爱心超市' });
    const wangzhuangStore = await given.store({ regionId: wangzhuang.id, name: '王庄村爱心超市' });
    // 石门: two stores, so the admin chooses
    const shimen = await given.region('township', county.id);
    const shimenVillage = await given.region('village', shimen.id);
    await given.store({ regionId: shimen.id, name: '石门乡爱心超市' });
    await given.store({ regionId: shimen.id, name: '石门乡第二爱心超市' });
    const admin = await given.user('county_admin');
    const idNumber = given.idNumber();
    await logInThroughPage(page, admin.username, undefined, '/households/new');

    const store = item('所属超市').locator('.el-select');
    await pickVillage(shimen, shimenVillage);
    await item('所在村').getByText(`${shimen.name} / ${shimenVillage.name}`).waitFor();
    expect(await store.innerText()).toContain('选择超市');
    await pickVillage(chengguan, chengguanVillage);
    await store.getByText('城关镇爱心超市').waitFor();
    await pickVillage(liuhe, wangzhuang);
    await store.getByText('王庄村爱心超市').waitFor();
    await screenshot(page, 'household-form-store');

    await item('户主姓名').locator('input').fill('张桂兰');
    await item('身份证号').locator('input').fill(idNumber);
    await page.getByRole('button', { name: '登记', exact: true }).click();
    await page.waitForURL((url) => /^\/households\/\d+$/.test(url.pathname));
    const rows = await stack.t.dataSource.query<Record<string, unknown>[]>(
      'SELECT region_id, home_store_id FROM households',
    );
    expect(rows).toEqual([{ region_id: wangzhuang.id, home_store_id: wangzhuangStore.id }]);
    expect(chengguanStore.id).not.toBe(wangzhuangStore.id);
  });

  it.each([
    { width: 1366, height: 768 },
    { width: 1024, height: 768 },
  ])(
    'shows every problem at once beside its field, and the api refusal beside the field it names, at $width×$height',
    async ({ width, height }) => {
      await page.setViewportSize({ width, height });
      const { given } = stack.t;
      const township = await given.region('township');
      const village = await given.region('village', township.id);
      await given.store({ regionId: township.id });
      await given.store({ regionId: township.id });
      const registered = await given.household({ regionId: village.id });
      const admin = await given.user('county_admin');
      await logInThroughPage(page, admin.username, undefined, '/households/new');

      await item('联系电话').locator('input').fill('12345');
      await page.getByRole('button', { name: '登记', exact: true }).click();
      await errorOf('户主姓名').getByText('请填写户主姓名').waitFor();
      const shown = {
        身份证号: await errorOf('身份证号').innerText(),
        所在村: await errorOf('所在村').innerText(),
        所属超市: await errorOf('所属超市').innerText(),
        联系电话: await errorOf('联系电话').innerText(),
      };
      expect(shown).toEqual({
        身份证号: '请填写身份证号',
        所在村: '请选择所在村',
        所属超市: '请选择所属超市',
        联系电话: '电话应为 11 位手机号或带区号的座机',
      });
      await screenshot(page, `household-form-errors-${width}`);

      // each message goes when its field is put right, the others stay
      await item('户主姓名').locator('input').fill('李建国');
      await errorOf('户主姓名').waitFor({ state: 'detached' });
      await item('联系电话').locator('input').fill('13812345678');
      await errorOf('联系电话').waitFor({ state: 'detached' });
      expect(await errorOf('身份证号').innerText()).toBe('请填写身份证号');
      const mistyped =
        registered.idNumber.slice(0, 17) + (registered.idNumber.endsWith('1') ? '2' : '1');
      await item('身份证号').locator('input').fill(mistyped);
      await page.getByRole('button', { name: '登记', exact: true }).click();
      await errorOf('身份证号').getByText('身份证号校验位不正确').waitFor();
      await pickVillage(township, village);
      await errorOf('所在村').waitFor({ state: 'detached' });
      await item('所属超市').locator('.el-select').click();
      await page.locator('.el-select-dropdown__item:visible').first().click();
      await errorOf('所属超市').waitFor({ state: 'detached' });

      // what only the api knows comes back beside its field: an ID number already registered …
      await item('身份证号').locator('input').fill(registered.idNumber);
      await page.getByRole('button', { name: '登记', exact: true }).click();
      await errorOf('身份证号')
        .getByText(`该身份证号已登记（卡号 ${registered.cardNo}）`)
        .waitFor();
      // … and a birth date that does not exist, behind a correct check character
      await item('身份证号').locator('input').fill(withCheckCharacter('41042319500230001'));
      await errorOf('身份证号').waitFor({ state: 'detached' });
      await page.getByRole('button', { name: '登记', exact: true }).click();
      await errorOf('身份证号').getByText('身份证号中的出生日期 1950-02-30 不正确').waitFor();
      expect(await page.locator('.el-alert--error').count()).toBe(0);
      expect(new URL(page.url()).pathname).toBe('/households/new');
      const [{ count }] = await stack.t.dataSource.query<{ count: string }[]>(
        'SELECT COUNT(*) AS count FROM households',
      );
      expect(Number(count)).toBe(1);
    },
  );
});
