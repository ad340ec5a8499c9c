import type { BrowserContext, Page } from 'playwright-core';
import { screenshot, startWebStack, type WebStack } from './support/web-stack';

// A mid-range Android phone's Chromium, as a donor's family member opens the receipt's QR code.
const PHONE = {
  viewport: { width: 360, height: 640 },
  deviceScaleFactor: 2,
  isMobile: true,
  hasTouch: true,
  userAgent:
    'Mozilla/5.0 (Linux; Android 12; V2134A) AppleWebKit/537.36 (KHTML, like Gecko) ' +
    'Chrome/120.0.0.0 Mobile Safari/537.36',
  locale: 'zh-CN',
  timezoneId: 'Asia/Shanghai',
};

interface Layout {
  scrollWidth: number;
  innerWidth: number;
  /** The smallest font size, in CSS px, of any element that shows text. */
  smallestFont: number;
  headingFont: number;
  headingBottom: number;
  verdictBackground: string;
}

// Runs in the page (a string: the tests are compiled without the DOM's types).
const MEASURE = `(() => {
  const withText = [...document.body.querySelectorAll('*')].filter((element) =>
    [...element.childNodes].some(
      (node) => node.nodeType === Node.TEXT_NODE && node.textContent.trim() !== '',
    ),
  );
  const heading = document.querySelector('h1');
  return {
    scrollWidth: document.documentElement.scrollWidth,
    innerWidth: window.innerWidth,
    smallestFont: Math.min(...withText.map((el) => parseFloat(getComputedStyle(el).fontSize))),
    headingFont: parseFloat(getComputedStyle(heading).fontSize),
    headingBottom: heading.getBoundingClientRect().bottom,
    verdictBackground: getComputedStyle(heading.parentElement).backgroundColor,
  };
})()`;

/** What a reader on the phone gets: does anything stick out sideways, how big is the text. */
function measure(page: Page): Promise<Layout> {
  return page.evaluate<Layout>(MEASURE);
}

describe('public receipt page on a phone (360×640)', () => {
  let stack: WebStack;
  let context: BrowserContext;
  let page: Page;
  let securityViolations: string[];

  beforeAll(async () => {
    stack = await startWebStack();
  });
  afterAll(async () => {
    await stack?.close();
  });
  beforeEach(async () => {
    await stack.t.reset();
    context = await stack.browser.newContext({ ...PHONE, baseURL: stack.baseUrl });
    page = await context.newPage();
    securityViolations = [];
    page.on('console', (message) => {
      if (/Content Security Policy/i.test(message.text())) securityViolations.push(message.text());
    });
  });
  afterEach(async () => {
    await context.close();
  });

  /** A donation at a store with a long name; returns the path its QR code prints, and its number. */
  async function donation(donor: object, cashFen: number) {
    const { t } = stack;
    const store = await t.given.store({ name: '青山县城关镇爱心超市（县中心仓）' });
    const clerk = await t.given.signedIn('clerk', store.id);
    const created = await t.http
      .post('/api/v1/donations')
      .set('Authorization', clerk.auth)
      .send({ storeId: store.id, donor, cashFen })
      .expect(201);
    const url = new URL(created.body.verifyUrl as string);
    return {
      id: created.body.id as number,
      store,
      receiptNo: created.body.receiptNo as string,
      path: `${url.pathname}${url.search}`,
    };
  }

  it('shows a genuine receipt readably, with nothing off the side of the screen', async () => {
    const receipt = await donation(
      { kind: 'company', name: '青山县宏达粮油贸易有限责任公司', honorConsent: true },
      12_345_678_90,
    );
    await page.goto(receipt.path);

    await page.getByRole('heading', { name: '真实有效' }).waitFor();
    const text = await page.locator('main').innerText();
    for (const shown of [
      receipt.receiptNo,
      '青山县城关镇爱心超市（县中心仓）',
      '青山县宏达粮油贸易有限责任公司',
      '¥12,345,678.90',
      '人民币壹仟贰佰叁拾肆万伍仟陆佰柒拾捌元玖角',
    ]) {
      expect(text).toContain(shown);
    }
    const layout = await measure(page);
    expect(layout.innerWidth).toBe(360);
    expect(layout.scrollWidth).toBeLessThanOrEqual(layout.innerWidth);
    // large type for elderly readers; the verdict is the first thing on the screen
    expect(layout.smallestFont).toBeGreaterThanOrEqual(16);
    expect(layout.headingFont).toBeGreaterThanOrEqual(30);
    expect(layout.headingBottom).toBeLessThan(PHONE.viewport.height / 2);
    // the inline style really applied: the policy let it through by its hash
    expect(layout.verdictBackground).toBe('rgb(27, 110, 52)');
    expect(securityViolations).toEqual([]);
    expect(await page.locator('script').count()).toBe(0);
    await screenshot(page, 'public-receipt-genuine-360');
  });

  it('opens the page from the address printed on older receipts, and says 已作废 for a void', async () => {
    const { t } = stack;
    const receipt = await donation(
      { kind: 'individual', name: '赵小红', phone: '13900001111', honorConsent: true },
      20_000,
    );
    const manager = await t.given.signedIn('store_manager', receipt.store.id);
    await t.http
      .post(`/api/v1/donations/${receipt.id}/void`)
      .set('Authorization', manager.auth)
      .send({ reason: '金额填错' })
      .expect(200);
    const code = new URL(receipt.path, stack.baseUrl).searchParams.get('code') ?? '';

    await page.goto(`/api/v1/public/receipts/${receipt.receiptNo}?code=${code}`);
    await page.getByRole('heading', { name: '已作废' }).waitFor();
    expect(new URL(page.url()).pathname).toBe(`/p/r/${receipt.receiptNo}`);
    const text = await page.locator('main').innerText();
    expect(text).toContain('赵*');
    expect(text).not.toContain('赵小红');
    expect(text).toContain('¥200.00');
    const layout = await measure(page);
    expect(layout.scrollWidth).toBeLessThanOrEqual(layout.innerWidth);
    expect(layout.verdictBackground).toBe('rgb(179, 38, 30)');
    await screenshot(page, 'public-receipt-voided-360');
  });

  it('says 查无此收据 for a code that does not match, not the web app', async () => {
    const receipt = await donation({ kind: 'individual', name: '李建国' }, 5_000);
    const response = await page.goto(`/p/r/${receipt.receiptNo}?code=AAAAAAAAAAAAAAAA`);
    expect(response?.status()).toBe(404);
    await page.getByRole('heading', { name: '查无此收据' }).waitFor();
    expect(await page.locator('#app').count()).toBe(0);
    const layout = await measure(page);
    expect(layout.scrollWidth).toBeLessThanOrEqual(layout.innerWidth);
    expect(layout.smallestFont).toBeGreaterThanOrEqual(16);
    await screenshot(page, 'public-receipt-unknown-360');
  });
});
