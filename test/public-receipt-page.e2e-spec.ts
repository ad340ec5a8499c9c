import type { Store } from '@charity/organisation';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SignedIn } from './support/given';
import { getBytes, pdfOf } from './support/pdf';
import { createTestApp, type TestApp } from './support/test-app';

// What Chromium on a phone sends for a page it opens from a QR code.
const BROWSER_ACCEPT =
  'text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8';
// A stand-in web app build: if its page fallback took /p/, this would come back instead.
const WEB_APP_SHELL = '<!doctype html><title>web app shell</title>';
// Not the default 3000: the QR code must follow the port the api listens on.
const PORT = '4321';

type DonorInput = { kind: string; name: string; phone?: string; honorConsent?: boolean };

describe('public receipt page (/p/r/:receiptNo)', () => {
  let t: TestApp;
  let store: Store;
  let clerk: SignedIn;
  let manager: SignedIn;

  beforeAll(async () => {
    const webDist = mkdtempSync(join(tmpdir(), 'receipt-page-web-'));
    writeFileSync(join(webDist, 'index.html'), WEB_APP_SHELL);
    t = await createTestApp({ PORT, WEB_DIST_DIR: webDist });
    await t.reset();
    store = await t.given.store({ name: '城关镇爱心超市' });
    clerk = await t.given.signedIn('clerk', store.id);
    manager = await t.given.signedIn('store_manager', store.id);
  });
  afterAll(async () => {
    await t?.close();
  });

  /** A new donation; returns its id, number and the page path its QR code prints. */
  const donate = async (donor: DonorInput, cashFen: number) => {
    const created = await t.http
      .post('/api/v1/donations')
      .set('Authorization', clerk.auth)
      .send({ storeId: store.id, donor, cashFen })
      .expect(201);
    const url = new URL(created.body.verifyUrl as string);
    return {
      id: created.body.id as number,
      receiptNo: created.body.receiptNo as string,
      receivedDate: created.body.receivedDate as string,
      verifyUrl: url,
      path: `${url.pathname}${url.search}`,
      code: url.searchParams.get('code') ?? '',
    };
  };
  const page = (path: string) => t.http.get(path).set('Accept', BROWSER_ACCEPT);
  /** The text of the page's 捐赠方 line. */
  const shownDonor = (body: string) => /<dt>捐赠方<\/dt>\s*<dd>([^<]*)<\/dd>/.exec(body)?.[1];
  const chineseDate = (date: string) => {
    const [year, month, day] = date.split('-').map(Number);
    return `${year}年${month}月${day}日`;
  };

  it('says 真实有效 with the number, date, store, masked donor and the amount in yuan and capitals', async () => {
    const receipt = await donate(
      { kind: 'individual', name: '赵小红', phone: '13900001111', honorConsent: true },
      123_450,
    );
    expect(receipt.verifyUrl.origin).toBe(`http://127.0.0.1:${PORT}`);
    expect(receipt.verifyUrl.pathname).toBe(`/p/r/${receipt.receiptNo}`);

    const response = await page(receipt.path).expect(200);
    expect(response.headers['content-type']).toBe('text/html; charset=utf-8');
    const body = response.text;
    expect(body).toMatch(/<h1>真实有效<\/h1>/);
    for (const shown of [
      receipt.receiptNo,
      chineseDate(receipt.receivedDate),
      '城关镇爱心超市',
      '赵*',
      '¥1,234.50',
      '人民币壹仟贰佰叁拾肆元伍角',
    ]) {
      expect(body).toContain(shown);
    }
    expect(body).not.toContain('赵小红');
    expect(body).not.toContain('13900001111');
    expect(body).not.toContain('Fen');
    expect(body).not.toContain(WEB_APP_SHELL);
  });

  it('is sent with headers that keep it private, uncached and its inline style allowed by hash', async () => {
    const receipt = await donate({ kind: 'company', name: '青山县宏达粮油有限公司' }, 50_000);
    const response = await page(receipt.path).expect(200);
    expect(response.headers['cache-control']).toBe('no-store');
    expect(response.headers['referrer-policy']).toBe('no-referrer');
    expect(response.headers['x-robots-tag']).toBe('noindex, nofollow');
    const csp = String(response.headers['content-security-policy']);
    expect(csp).toContain("default-src 'none'");
    expect(csp).not.toContain('unsafe-inline');
    expect(response.text).not.toContain('<script');
    // the browser applies the style only if its hash is the one the policy names
    const style = /<style>([\s\S]*?)<\/style>/.exec(response.text)?.[1] ?? '';
    expect(style.length).toBeGreaterThan(100);
    const hash = createHash('sha256').update(style).digest('base64');
    expect(csp).toContain(`style-src 'sha256-${hash}'`);
  });

  it.each<[string, DonorInput, string, string | null]>([
    [
      'a company that agreed to the honor board',
      { kind: 'company', name: '青山新华书店', honorConsent: true },
      '青山新华书店',
      null,
    ],
    [
      'an organisation that agreed',
      { kind: 'organization', name: '县农业局帮扶工作队', honorConsent: true },
      '县农业局帮扶工作队',
      null,
    ],
    [
      'a union member who agreed',
      { kind: 'union_member', name: '王淑芬', honorConsent: true },
      '王**',
      '王淑芬',
    ],
    [
      'an individual who agreed',
      { kind: 'individual', name: '欧阳小明', honorConsent: true },
      '欧***',
      '欧阳小明',
    ],
    [
      'an individual who did not agree',
      { kind: 'individual', name: '李建国', honorConsent: false },
      '匿名捐赠人',
      '李',
    ],
    [
      'a company that did not agree',
      { kind: 'company', name: '青山暖心商贸有限公司', honorConsent: false },
      '匿名捐赠人',
      '青山暖心商贸有限公司',
    ],
  ])('names %s as the honor board would', async (_case, donor, shown, hidden) => {
    const receipt = await donate(donor, 10_000);
    const body = (await page(receipt.path).expect(200)).text;
    expect(shownDonor(body)).toBe(shown);
    if (hidden !== null) expect(body).not.toContain(hidden);
  });

  it('says 已作废 and when, for a voided receipt', async () => {
    const receipt = await donate({ kind: 'company', name: '青山县宏达粮油有限公司' }, 20_000);
    await t.http
      .post(`/api/v1/donations/${receipt.id}/void`)
      .set('Authorization', manager.auth)
      .send({ reason: '金额填错' })
      .expect(200);
    const body = (await page(receipt.path).expect(200)).text;
    expect(body).toMatch(/<h1>已作废<\/h1>/);
    expect(body).not.toContain('真实有效');
    expect(body).toContain(`这张收据已于${chineseDate(t.given.date(0))}作废`);
    expect(body).toContain(receipt.receiptNo);
    expect(body).toContain('¥200.00');
  });

  it('says 查无此收据 alike for an unknown number, a wrong code and no code', async () => {
    const receipt = await donate({ kind: 'company', name: '青山县宏达粮油有限公司' }, 20_000);
    const unknownNo = receipt.receiptNo.replace(/\d{6}$/, '999999');
    const answers = await Promise.all([
      page(`/p/r/${unknownNo}?code=${receipt.code}`),
      page(`/p/r/${receipt.receiptNo}?code=AAAAAAAAAAAAAAAA`),
      page(`/p/r/${receipt.receiptNo}`),
      page(`/p/r/${receipt.receiptNo}?code=${receipt.code}&code=${receipt.code}`),
    ]);
    const normalised = answers.map((answer) => {
      expect(answer.status).toBe(404);
      expect(answer.headers['content-type']).toBe('text/html; charset=utf-8');
      return answer.text.replaceAll(unknownNo, '<no>').replaceAll(receipt.receiptNo, '<no>');
    });
    expect(normalised[0]).toMatch(/<h1>查无此收据<\/h1>/);
    expect(normalised[0]).not.toContain('¥');
    expect(new Set(normalised).size).toBe(1);
  });

  it('escapes whatever the address carries', async () => {
    const response = await page(
      `/p/r/${encodeURIComponent('<script>alert(1)</script>&"')}?code=x`,
    ).expect(404);
    expect(response.text).toContain('&lt;script&gt;alert(1)&lt;/script&gt;&amp;&quot;');
    expect(response.text).not.toContain('<script>');
  });

  it('sends a browser from the address printed on older receipts to the page; API clients keep the JSON', async () => {
    const receipt = await donate({ kind: 'individual', name: '张三', honorConsent: true }, 30_000);
    const oldAddress = `/api/v1/public/receipts/${receipt.receiptNo}?code=${receipt.code}`;

    const redirected = await page(oldAddress).expect(302);
    expect(redirected.headers.location).toBe(receipt.path);
    expect(redirected.headers.vary).toMatch(/Accept/);
    expect((await page(redirected.headers.location).expect(200)).text).toContain('真实有效');

    for (const accept of ['application/json', '*/*', 'application/json, text/html;q=0.5']) {
      const json = await t.http.get(oldAddress).set('Accept', accept).expect(200);
      expect(json.headers['content-type']).toMatch(/^application\/json/);
      expect(json.headers.vary).toMatch(/Accept/);
      expect(json.body).toEqual({
        genuine: true,
        receiptNo: receipt.receiptNo,
        status: 'active',
        receivedDate: receipt.receivedDate,
        storeName: '城关镇爱心超市',
        donorName: '张*',
        totalValueFen: 30_000,
        voidedAt: null,
      });
    }
    const noAccept = await t.http.get(oldAddress).unset('Accept').expect(200);
    expect(noAccept.body.receiptNo).toBe(receipt.receiptNo);
    const wrong = await t.http
      .get(`/api/v1/public/receipts/${receipt.receiptNo}?code=AAAAAAAAAAAAAAAA`)
      .set('Accept', 'application/json')
      .expect(404);
    expect(wrong.body).toMatchObject({
      code: 'NOT_FOUND',
      message: '未找到该收据，或验证码不正确',
    });
  });

  const withZbar = spawnSync('zbarimg', ['--version']).error === undefined ? it : it.skip;

  withZbar(
    "prints a QR code on the receipt PDF that a phone opens as the page, at the api's port",
    async () => {
      const receipt = await donate(
        { kind: 'company', name: '青山新华书店', honorConsent: true },
        88_800,
      );
      const pdf = pdfOf(
        await getBytes(t.http, `/api/v1/donations/${receipt.id}/receipt.pdf`, clerk.auth),
      );
      const image = spawnSync('pdftoppm', ['-png', '-r', '150', '-f', '1', '-l', '1', '-'], {
        input: pdf,
      }).stdout;
      const scanned = spawnSync('zbarimg', ['-q', '--raw', '-'], {
        input: image,
        encoding: 'utf8',
      });
      const url = new URL(scanned.stdout.trim());
      expect(url.href).toBe(
        `http://127.0.0.1:${PORT}/p/r/${receipt.receiptNo}?code=${receipt.code}`,
      );
      const body = (await page(`${url.pathname}${url.search}`).expect(200)).text;
      expect(body).toContain('真实有效');
      expect(body).toContain('¥888.00');
      expect(body).toContain('人民币捌佰捌拾捌元整');
    },
  );

  it('leaves the web app its own addresses', async () => {
    const response = await page('/households/12').expect(200);
    expect(response.text).toBe(WEB_APP_SHELL);
  });
});
