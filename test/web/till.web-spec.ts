import { mkdirSync } from 'node:fs';
import type { BrowserContext, Locator, Page, Request } from 'playwright-core';
import { TEST_PASSWORD } from '../support/given';
import { logInThroughPage, screenshot, startWebStack, type WebStack } from './support/web-stack';

/** Where the layout tests leave their screenshots for a person to look at. */
const LAYOUT_SHOTS = '/tmp/h2';

type Box = { x: number; y: number; width: number; height: number };
const overlaps = (a: Box, b: Box) =>
  a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

describe('web app: till (兑换收银台)', () => {
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

  /** A store with a clerk, a household holding `points`, and well-stocked goods with barcodes. */
  const shop = async (points: number) => {
    const { given } = stack.t;
    const store = await given.store({ name: '城关镇爱心超市' });
    const clerk = await given.user('clerk', store.id);
    const household = await given.household({ homeStoreId: store.id, points });
    const stocked = async (name: string, barcode: string, pointPrice: number, limit?: number) => {
      const product = await given.product({
        name,
        barcode,
        pointPrice,
        monthlyLimitPerHousehold: limit ?? null,
      });
      await given.lot(store.id, product.id, 100);
      return product;
    };
    return {
      store,
      clerk,
      household,
      rice: await stocked('大米 5kg', 'TILL-RICE-5KG', 25),
      soap: await stocked('洗衣皂', 'TILL-SOAP', 5),
      oil: await stocked('食用油 1.8L', 'TILL-OIL-18', 30, 2),
      radio: await stocked('收音机', 'TILL-RADIO', 100),
    };
  };

  /** Types a code and Enter into whatever has the focus, as the USB scanner does. */
  const scan = async (code: string) => {
    // (locators, not waitForFunction: the app's CSP forbids the eval its polling needs)
    await page.locator('input[aria-label="扫码"]:focus').waitFor();
    await page.keyboard.type(code);
    await page.keyboard.press('Enter');
  };
  const line = (name: string) => page.getByTestId('till-line').filter({ hasText: name });
  const quantityOf = (name: string) => line(name).getByRole('spinbutton').inputValue();
  const confirmButton = () => page.getByRole('button', { name: /确认兑换/ });
  const waitForTotal = (points: number) =>
    page
      .getByTestId('till-total')
      .filter({ hasText: new RegExp(`^${points} 分$`) })
      .waitFor();
  const redemptionsOf = async (householdId: number) =>
    Number(
      (
        await stack.t.dataSource.query<{ n: string }[]>(
          'SELECT COUNT(*) AS n FROM redemptions WHERE household_id = ?',
          [householdId],
        )
      )[0]?.n,
    );
  const isRedemptionPost = (request: Request) =>
    request.method() === 'POST' && new URL(request.url()).pathname === '/api/v1/redemptions';

  it('scans a card and goods, checks out once whatever the retries, and prints the receipt', async () => {
    const { clerk, household } = await shop(200);
    await logInThroughPage(page, clerk.username, TEST_PASSWORD, '/till');

    await scan(household.cardNo);
    await page.getByTestId('household-balance').filter({ hasText: '200' }).waitFor();
    await scan('TILL-RICE-5KG');
    await scan('TILL-RICE-5KG');
    await scan('2*TILL-SOAP');
    await scan('TILL-OIL-18');
    await scan('NO-SUCH-CODE');
    await page.getByTestId('scan-error').filter({ hasText: '没有对应的商品' }).waitFor();
    // 2 × 25 + 2 × 5 + 30
    await waitForTotal(90);
    await page.getByTestId('till-balance-after').filter({ hasText: '110 分' }).waitFor();
    expect(await page.getByTestId('till-line').count()).toBe(3);
    expect(await quantityOf('大米 5kg')).toBe('2');
    expect(await quantityOf('洗衣皂')).toBe('2');
    expect(await quantityOf('食用油 1.8L')).toBe('1');
    await page.locator('button.confirm:enabled').waitFor();
    await screenshot(page, 'till');

    // The first answer is lost on the way back (the server did commit): the clerk presses again,
    // twice. Every press must carry the same Idempotency-Key, so only one redemption exists.
    const keys: string[] = [];
    page.on('request', (request) => {
      if (isRedemptionPost(request)) keys.push(request.headers()['idempotency-key'] ?? '');
    });
    let dropAnswer = true;
    await page.route('**/api/v1/redemptions', async (route) => {
      if (dropAnswer && isRedemptionPost(route.request())) {
        dropAnswer = false;
        await route.fetch();
        await route.abort('connectionreset');
        return;
      }
      await route.continue();
    });
    await confirmButton().click();
    await page.getByTestId('checkout-error').filter({ hasText: '网络中断' }).waitFor();
    expect(await redemptionsOf(household.id)).toBe(1);

    const receipt = page.waitForResponse((response) =>
      response.url().includes('/receipt.pdf?width=80'),
    );
    await confirmButton().dblclick();
    const pdf = await receipt;
    // the receipt went into the print frame (the app skips the dialog itself under automation)
    await page
      .locator('iframe[data-print-frame][data-loaded="true"]')
      .waitFor({ state: 'attached' });
    expect(pdf.status()).toBe(200);
    expect(pdf.headers()['content-type']).toContain('application/pdf');

    const done = page.getByTestId('till-done');
    await done.waitFor();
    expect(await page.getByTestId('done-balance').innerText()).toMatch(/余额 200 → 110 分/);
    await screenshot(page, 'till-done');
    expect(keys.length).toBeGreaterThanOrEqual(2);
    expect(new Set(keys).size).toBe(1);
    expect(await redemptionsOf(household.id)).toBe(1);
    const [row] = await stack.t.dataSource.query<{ receiptNo: string; pointsTotal: number }[]>(
      'SELECT receipt_no AS receiptNo, points_total AS pointsTotal FROM redemptions WHERE household_id = ?',
      [household.id],
    );
    expect(Number(row?.pointsTotal)).toBe(90);
    expect(await page.getByTestId('done-receipt').innerText()).toBe(row?.receiptNo);

    // the till is clear for the next household; the same card now shows the new balance
    expect(await page.getByTestId('till-line').count()).toBe(0);
    expect(await page.evaluate(`sessionStorage.getItem('charity.till')`)).toBeNull();
    await scan(household.cardNo);
    await page.getByTestId('household-balance').filter({ hasText: '110' }).waitFor();
    expect(await page.getByTestId('household-visits').innerText()).toContain('兑换 1 次');
  });

  it('keeps the cart after a 503 whose checkout did commit, so pressing again shows that one', async () => {
    // 100 points, a cart of 90: once the first checkout has gone through, a second could not
    const { clerk, household } = await shop(100);
    await logInThroughPage(page, clerk.username, TEST_PASSWORD, '/till');
    await scan(household.cardNo);
    await page.getByTestId('household-balance').filter({ hasText: '100' }).waitFor();
    await scan('2*TILL-RICE-5KG');
    await scan('8*TILL-SOAP');
    await waitForTotal(90);
    await page.locator('button.confirm:enabled').waitFor();

    // the database answered the COMMIT after the api had given up on it: the till hears 503
    const keys: string[] = [];
    let unavailable = true;
    await page.route('**/api/v1/redemptions', async (route) => {
      if (!isRedemptionPost(route.request())) return route.continue();
      keys.push(route.request().headers()['idempotency-key'] ?? '');
      if (!unavailable) return route.continue();
      unavailable = false;
      await route.fetch();
      await route.fulfill({
        status: 503,
        contentType: 'application/json',
        body: JSON.stringify({
          statusCode: 503,
          code: 'SERVICE_UNAVAILABLE',
          message: '数据库暂时不可用，请稍后重试',
          details: { service: 'database', outage: 'timeout' },
        }),
      });
    });
    await confirmButton().click();
    await page.getByTestId('checkout-error').filter({ hasText: '不确定是否已兑换' }).waitFor();
    expect(await redemptionsOf(household.id)).toBe(1);

    // the same cart and key again: the first checkout's answer, nothing charged twice
    await confirmButton().click();
    await page.getByTestId('till-done').waitFor();
    expect(await page.getByTestId('done-balance').innerText()).toMatch(/余额 100 → 10 分/);
    expect(keys).toHaveLength(2);
    expect(new Set(keys).size).toBe(1);
    expect(await redemptionsOf(household.id)).toBe(1);
  });

  it('names an over-limit and an over-balance cart on the line at fault and will not check out', async () => {
    const { clerk, household } = await shop(60);
    await logInThroughPage(page, clerk.username, TEST_PASSWORD, '/till');
    await scan(household.cardNo);
    await page.getByTestId('household-panel').waitFor();

    // three of a product limited to two a month
    await scan('3*TILL-OIL-18');
    await line('食用油 1.8L').getByText('每户每月限兑 2').waitFor();
    expect(await line('食用油 1.8L').getByTestId('line-problem').innerText()).toContain('本次 3');
    expect(await confirmButton().isDisabled()).toBe(true);
    await page.keyboard.press('F9');

    // down to two: the limit holds; then goods beyond the balance
    await line('食用油 1.8L').locator('.el-input-number__decrease').click();
    await line('食用油 1.8L').getByTestId('line-problem').waitFor({ state: 'detached' });
    await scan('TILL-RADIO');
    await waitForTotal(160);
    await page
      .getByTestId('till-totals')
      .getByTestId('cart-problems')
      .filter({ hasText: '积分不足：可用 60 分，需要 160 分' })
      .waitFor();
    expect(await page.getByTestId('till-balance-after').innerText()).toBe('-100 分');
    expect(await confirmButton().isDisabled()).toBe(true);
    await page.keyboard.press('F9');

    // without the radio the cart is fine again, which shows what blocked it
    await line('收音机').getByRole('button', { name: '删除 收音机' }).click();
    await page.getByTestId('cart-problems').waitFor({ state: 'detached' });
    await page.locator('button.confirm:enabled').waitFor();
    expect(await redemptionsOf(household.id)).toBe(0);
  });

  it('lets a store manager check out past a limit with a reason, for delivery, by F9', async () => {
    const { store, household } = await shop(200);
    const manager = await stack.t.given.user('store_manager', store.id);
    await logInThroughPage(page, manager.username, TEST_PASSWORD, '/till');
    await scan(household.cardNo);
    await page.getByTestId('household-panel').waitFor();
    await scan('3*TILL-OIL-18');
    await line('食用油 1.8L').getByText('每户每月限兑 2').waitFor();

    await page.getByLabel('放行原因').fill('家中有病人');
    await line('食用油 1.8L').getByTestId('line-problem').waitFor({ state: 'detached' });
    await page.getByText('上门服务（送货到户）').click();
    await page.getByLabel('送货地址').fill('城关镇幸福村 3 组');
    await page.locator('button.confirm:enabled').waitFor();
    await page.keyboard.press('F9');
    await page.getByTestId('till-done').filter({ hasText: '上门服务' }).waitFor();

    const rows = await stack.t.dataSource.query<
      { reason: string; fulfilment: string; address: string; points: number }[]
    >(
      `SELECT limit_override_reason AS reason, fulfilment, delivery_address AS address,
              points_total AS points
         FROM redemptions WHERE household_id = ?`,
      [household.id],
    );
    expect(rows).toEqual([
      {
        reason: '家中有病人',
        fulfilment: 'delivery',
        address: '城关镇幸福村 3 组',
        points: 90,
      },
    ]);
  });

  it('keeps the cart over an expired login and puts it back after logging in again', async () => {
    const { clerk, household } = await shop(200);
    await logInThroughPage(page, clerk.username, TEST_PASSWORD, '/till');
    await scan(household.cardNo);
    await page.getByTestId('household-panel').waitFor();
    await scan('TILL-RICE-5KG');
    await scan('3*TILL-SOAP');
    await waitForTotal(40);

    // the token stops verifying (as when it expires): the next scan meets a 401
    await stack.t.dataSource.query(
      'UPDATE users SET token_version = token_version + 1 WHERE id = ?',
      [clerk.id],
    );
    await scan('TILL-OIL-18');
    await page.waitForURL((url) => url.pathname === '/login');
    expect(new URL(page.url()).searchParams.get('redirect')).toBe('/till');
    await page.locator('.el-alert', { hasText: '登录已过期' }).waitFor();

    await page.getByLabel('用户名').fill(clerk.username);
    await page.getByLabel('密码').fill(TEST_PASSWORD);
    await page.getByRole('button', { name: '登录' }).click();
    await page.waitForURL((url) => url.pathname === '/till');
    await page.getByTestId('household-panel').filter({ hasText: household.cardNo }).waitFor();
    await waitForTotal(40);
    expect(await page.getByTestId('till-line').count()).toBe(2);
    expect(await quantityOf('大米 5kg')).toBe('1');
    expect(await quantityOf('洗衣皂')).toBe('3');
    // and the clerk carries on where they were
    await scan('TILL-OIL-18');
    await waitForTotal(70);
  });
  it('fits a 15-line cart at 1024×768 and 1366×768: every line reachable, 确认兑换 in view', async () => {
    const { given } = stack.t;
    const { clerk, household } = await shop(2000);
    for (let n = 1; n <= 11; n += 1) {
      const product = await given.product({
        name: `日用品样品 ${n} 号（家庭装）`,
        barcode: `TILL-FILL-${n}`,
        pointPrice: 10,
      });
      await given.lot(household.homeStoreId, product.id, 100);
    }
    await page.setViewportSize({ width: 1024, height: 768 });
    await logInThroughPage(page, clerk.username, TEST_PASSWORD, '/till');
    await scan(household.cardNo);
    await page.getByTestId('household-panel').waitFor();
    expect(await page.getByTestId('household-refusal').count()).toBe(0);
    for (const code of ['TILL-RICE-5KG', 'TILL-SOAP', '3*TILL-OIL-18', 'TILL-RADIO'])
      await scan(code);
    for (let n = 1; n <= 11; n += 1) await scan(`TILL-FILL-${n}`);
    // 25 + 5 + 3 × 30 + 100 + 11 × 10
    await waitForTotal(330);
    expect(await page.getByTestId('till-line').count()).toBe(15);
    const problem = line('食用油 1.8L').getByTestId('line-problem');
    await problem.filter({ hasText: '每户每月限兑 2' }).waitFor();

    const side = page.getByTestId('till-side');
    mkdirSync(LAYOUT_SHOTS, { recursive: true });
    for (const [width, height] of [
      [1024, 768],
      [1366, 768],
    ] as const) {
      await page.setViewportSize({ width, height });
      const inView = (box: Box | null, what: string) => {
        expect({ what, width, box }).toEqual({
          what,
          width,
          box: expect.objectContaining({ x: expect.any(Number), y: expect.any(Number) }),
        });
        const b = box as Box;
        expect({ what, width, left: b.x >= 0, right: b.x + b.width <= width }).toEqual({
          what,
          width,
          left: true,
          right: true,
        });
        expect({ what, width, top: b.y >= 0, bottom: b.y + b.height <= height }).toEqual({
          what,
          width,
          top: true,
          bottom: true,
        });
        return b;
      };
      const rows = await page.getByTestId('till-line').all();
      expect(rows).toHaveLength(15);
      for (const [i, row] of rows.entries()) {
        const parts: [string, Locator][] = [
          ['商品', row.locator('.product')],
          ['数量', row.getByRole('spinbutton')],
          ['小计', row.getByTestId('line-points')],
          ['删除', row.getByRole('button', { name: /^删除/ })],
        ];
        for (const [name, part] of parts) {
          await part.scrollIntoViewIfNeeded();
          const what = `line ${i + 1} ${name}`;
          const box = inView(await part.boundingBox(), what);
          const sideBox = await side.boundingBox();
          expect({ what, width, coveredBySide: overlaps(box, sideBox as Box) }).toEqual({
            what,
            width,
            coveredBySide: false,
          });
        }
        // nothing lies on top of the controls: a click would reach them
        await row.getByRole('button', { name: /^删除/ }).click({ trial: true, timeout: 2000 });
        await row.getByRole('spinbutton').click({ trial: true, timeout: 2000 });
        // the totals and the button stay on screen however far the cart is scrolled
        inView(await confirmButton().boundingBox(), `确认兑换 after line ${i + 1}`);
        inView(await page.getByTestId('till-total').boundingBox(), `合计 after line ${i + 1}`);
      }
      // a line's error is short: at most two lines of text
      const problemLines = await problem.evaluate((element) => {
        const range = element.ownerDocument.createRange();
        range.selectNodeContents(element);
        const tops = new Set([...range.getClientRects()].map((rect) => Math.round(rect.top)));
        return tops.size;
      });
      expect({ width, problemLines: problemLines <= 2 }).toEqual({ width, problemLines: true });
      await page.screenshot({ path: `${LAYOUT_SHOTS}/till-15-lines-${width}-bottom.png` });
      await problem.scrollIntoViewIfNeeded();
      await page.screenshot({ path: `${LAYOUT_SHOTS}/till-15-lines-${width}-problem.png` });
    }

    // and it checks out from there, at 1024 by keyboard
    await page.setViewportSize({ width: 1024, height: 768 });
    await line('食用油 1.8L').locator('.el-input-number__decrease').click();
    await problem.waitFor({ state: 'detached' });
    await waitForTotal(300);
    await page.locator('button.confirm:enabled').click({ trial: true });
    await page.keyboard.press('F9');
    await page.getByTestId('till-done').waitFor();
    expect(await redemptionsOf(household.id)).toBe(1);
  });
  it('says at the card scan, in red, that a suspended or exited household cannot redeem', async () => {
    const { given, http } = stack.t;
    const { store, clerk } = await shop(200);
    const admin = await given.signedIn('county_admin');
    const withStatus = async (status: 'suspended' | 'exited') => {
      const household = await given.household({ homeStoreId: store.id, points: 200 });
      const changed = await http
        .patch(`/api/v1/households/${household.id}`)
        .set('Authorization', admin.auth)
        .send({ status });
      expect(changed.status).toBe(200);
      return household;
    };
    const suspended = await withStatus('suspended');
    const exited = await withStatus('exited');
    await page.setViewportSize({ width: 1024, height: 768 });
    await logInThroughPage(page, clerk.username, TEST_PASSWORD, '/till');

    for (const [household, label, status] of [
      [suspended, '暂停', 'suspended'],
      [exited, '已脱贫', 'exited'],
    ] as const) {
      await scan(household.cardNo);
      // before any goods: the panel says it, in red
      const refusal = page.getByTestId('household-refusal');
      await refusal.filter({ hasText: `该户状态为“${label}”` }).waitFor();
      expect(await page.getByTestId('till-line').count()).toBe(0);
      expect(
        await refusal.evaluate(
          (element) => element.ownerDocument.defaultView?.getComputedStyle(element).color,
        ),
      ).toBe('rgb(245, 108, 108)');
      expect(await confirmButton().isDisabled()).toBe(true);
      expect(await page.getByTestId('till-totals').innerText()).toContain('该户不能兑换');
      await screenshot(page, `till-refused-${status}`);
      await page.screenshot({ path: `${LAYOUT_SHOTS}/till-refused-${status}.png` });

      // goods scanned anyway: still no checkout, by button or by F9
      await scan('TILL-SOAP');
      await waitForTotal(5);
      await page.getByTestId('cart-problems').filter({ hasText: label }).waitFor();
      expect(await confirmButton().isDisabled()).toBe(true);
      await page.keyboard.press('F9');
      await page.keyboard.press('Escape');
      await page.locator('.el-message-box').getByRole('button', { name: '清空' }).click();
      await page.getByTestId('till-line').first().waitFor({ state: 'detached' });
      expect(await redemptionsOf(household.id)).toBe(0);
    }
  });
  it('opens the till for a clerk who signs in, ready to scan; a manager still starts at 首页', async () => {
    const { store, clerk, household } = await shop(200);
    const manager = await stack.t.given.user('store_manager', store.id);
    const signIn = async (on: Page, username: string) => {
      // the address a new user types: the bare app, which asks for the login first
      await on.goto('/');
      await on.waitForURL((url) => url.pathname === '/login');
      await on.getByLabel('用户名').fill(username);
      await on.getByLabel('密码').fill(TEST_PASSWORD);
      await on.getByRole('button', { name: '登录' }).click();
    };

    await signIn(page, clerk.username);
    await page.waitForURL((url) => url.pathname === '/till');
    // no Tab needed: the scan field has the focus, and the card goes straight in
    await scan(household.cardNo);
    await page.getByTestId('household-balance').filter({ hasText: '200' }).waitFor();
    // the home screen is still one click away, and stays put there
    await page.getByRole('menuitem', { name: '首页' }).click();
    await page.getByText('您好，').waitFor();
    expect(new URL(page.url()).pathname).toBe('/');

    const managerContext = await stack.newContext();
    try {
      const managerPage = await managerContext.newPage();
      await signIn(managerPage, manager.username);
      await managerPage.getByText('您好，').waitFor();
      expect(new URL(managerPage.url()).pathname).toBe('/');
    } finally {
      await managerContext.close();
    }
  });
});
