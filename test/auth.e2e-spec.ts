import { UsersService } from '@charity/accounts';
import { SYSTEM_ACTOR } from '@charity/common';
import { Logger } from '@nestjs/common';
import { eventually } from './support/eventually';
import { createTestApp, type TestApp } from './support/test-app';
import { TEST_PASSWORD } from './support/given';
import { TcpProxy } from './support/tcp-proxy';

/** `abc` → `ａｂｃ`: what an input method in full-width mode types. */
const fullWidth = (text: string): string =>
  text.replace(/[!-~]/g, (char) => String.fromCharCode(char.charCodeAt(0) + 0xfee0));

describe('auth', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp();
  });
  beforeEach(() => t.reset());
  afterAll(() => t.close());

  it('logs in with the right password and returns a token and the user without secrets', async () => {
    const clerk = await t.given.user('clerk');
    const response = await t.http
      .post('/api/v1/auth/login')
      .send({ username: clerk.username, password: TEST_PASSWORD })
      .expect(200);
    expect(response.body).toMatchObject({
      tokenType: 'Bearer',
      user: { id: clerk.id, username: clerk.username, role: 'clerk', storeId: clerk.storeId },
    });
    expect(typeof response.body.accessToken).toBe('string');
    expect(JSON.stringify(response.body)).not.toMatch(/passwordHash|tokenVersion|argon2/);

    const me = await t.http
      .get('/api/v1/auth/me')
      .set('Authorization', `Bearer ${response.body.accessToken}`)
      .expect(200);
    expect(me.body).toMatchObject({ id: clerk.id, role: 'clerk', storeId: clerk.storeId });
  });

  it('refuses a wrong password and an unknown user with the same 401', async () => {
    const admin = await t.given.user('county_admin');
    const wrong = await t.http
      .post('/api/v1/auth/login')
      .send({ username: admin.username, password: 'not-the-password1' })
      .expect(401);
    expect(wrong.body).toEqual({
      statusCode: 401,
      code: 'INVALID_CREDENTIALS',
      message: '用户名或密码错误',
      details: {},
    });
    const unknown = await t.http
      .post('/api/v1/auth/login')
      .send({ username: 'nobody_here', password: 'whatever12' })
      .expect(401);
    expect(unknown.body.code).toBe('INVALID_CREDENTIALS');
  });

  it('answers 401 without a token, with a malformed token and with a forged one', async () => {
    const none = await t.http.get('/api/v1/auth/me').expect(401);
    expect(none.body.code).toBe('UNAUTHENTICATED');
    await t.http.get('/api/v1/auth/me').set('Authorization', 'Bearer nonsense').expect(401);
    const forged =
      'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOjEsInZlciI6MH0.c2lnbmF0dXJlLWlzLWZha2U';
    await t.http.get('/api/v1/auth/me').set('Authorization', `Bearer ${forged}`).expect(401);
  });

  it('stops a disabled account at once, including its existing token', async () => {
    const session = await t.given.signedIn('clerk');
    await t.app.get(UsersService).update(SYSTEM_ACTOR, session.user.id, { active: false });

    const withOldToken = await t.http.get('/api/v1/auth/me').set('Authorization', session.auth);
    expect(withOldToken.status).toBe(401);
    const login = await t.http
      .post('/api/v1/auth/login')
      .send({ username: session.user.username, password: TEST_PASSWORD })
      .expect(401);
    expect(login.body.code).toBe('ACCOUNT_DISABLED');
  });

  it('invalidates old tokens when an admin resets the password', async () => {
    const admin = await t.given.signedIn('county_admin');
    const clerk = await t.given.signedIn('clerk');
    await t.http
      .patch(`/api/v1/users/${clerk.user.id}`)
      .set('Authorization', admin.auth)
      .send({ password: 'NewPassw0rd' })
      .expect(200);

    await t.http.get('/api/v1/auth/me').set('Authorization', clerk.auth).expect(401);
    await t.http
      .post('/api/v1/auth/login')
      .send({ username: clerk.user.username, password: TEST_PASSWORD })
      .expect(401);
    await t.given.signIn(clerk.user, 'NewPassw0rd');
  });

  it('rate-limits repeated login attempts per account and names the wait', async () => {
    const limit = t.config.loginRateLimit.limit;
    const target = await t.given.user('store_manager');
    for (let attempt = 0; attempt < limit; attempt++) {
      await t.http
        .post('/api/v1/auth/login')
        .send({ username: target.username, password: 'wrong-password1' })
        .expect(401);
    }
    const blocked = await t.http
      .post('/api/v1/auth/login')
      .send({ username: target.username, password: TEST_PASSWORD })
      .expect(429);
    expect(blocked.body.code).toBe('RATE_LIMITED');
    expect(blocked.body.message).toMatch(/登录尝试过于频繁，请 \d+ 秒后再试/);

    // another account from the same address is not locked out
    const other = await t.given.user('clerk');
    await t.given.signIn(other);
  });

  it('counts every spelling of one username as that account, however it is typed', async () => {
    const limit = t.config.loginRateLimit.limit;
    const target = await t.given.user('store_manager');
    const name = target.username;
    // each of these reaches the same account, so each must count against it
    const spellings = [`${name} `, ` ${name}`, name.toUpperCase(), fullWidth(name), `${name}\t`];
    for (let attempt = 0; attempt < limit; attempt++) {
      await t.http
        .post('/api/v1/auth/login')
        .send({ username: spellings[attempt % spellings.length], password: 'wrong-password1' })
        .expect(401);
    }
    const blocked = await t.http
      .post('/api/v1/auth/login')
      .send({ username: name, password: TEST_PASSWORD })
      .expect(429);
    expect(blocked.body.code).toBe('RATE_LIMITED');
  });

  it('logs in with a username typed with spaces, in capitals or full-width', async () => {
    const clerk = await t.given.user('clerk');
    for (const typed of [` ${clerk.username} `, clerk.username.toUpperCase()]) {
      const response = await t.http
        .post('/api/v1/auth/login')
        .send({ username: typed, password: TEST_PASSWORD })
        .expect(200);
      expect(response.body.user.id).toBe(clerk.id);
    }
    await t.http
      .post('/api/v1/auth/login')
      .send({ username: fullWidth(clerk.username), password: TEST_PASSWORD })
      .expect(200);
  });

  it('refuses spellings the database would match but no username can have', async () => {
    const clerk = await t.given.user('clerk');
    const name = clerk.username; // clerk_…
    // the database compares names ignoring accents and zero-width characters; the limiter could
    // not count these as the account, so they must not reach it
    for (const typed of [`ć${name.slice(1)}`, `${name.slice(0, 2)}\u200b${name.slice(2)}`]) {
      const response = await t.http
        .post('/api/v1/auth/login')
        .send({ username: typed, password: TEST_PASSWORD })
        .expect(401);
      expect(response.body.code).toBe('INVALID_CREDENTIALS');
    }
  });

  describe('while Redis is unreachable', () => {
    let proxy: TcpProxy;
    let cut: TestApp;

    beforeAll(async () => {
      proxy = await TcpProxy.start(t.config.redis);
      const url = new URL(t.config.redis.url);
      url.hostname = '127.0.0.1';
      url.port = String(proxy.port);
      process.env.REDIS_URL = url.toString();
      cut = await createTestApp().finally(() => delete process.env.REDIS_URL);
    });
    afterAll(async () => {
      proxy.restore();
      await cut.close();
      await proxy.close();
    });

    it('lets logins through uncounted with a warning, and counts again once Redis is back', async () => {
      const warn = jest.spyOn(Logger.prototype, 'warn');
      try {
        const limit = t.config.loginRateLimit.limit;
        const clerk = await t.given.user('clerk');
        proxy.cut();
        for (let attempt = 0; attempt <= limit; attempt++) {
          const wrong = await cut.http
            .post('/api/v1/auth/login')
            .send({ username: clerk.username, password: 'wrong-password1' });
          expect(wrong.body.code).toBe('INVALID_CREDENTIALS');
        }
        const session = await cut.given.signIn(clerk);
        await cut.http.get('/api/v1/auth/me').set('Authorization', session.auth).expect(200);
        expect(warn).toHaveBeenCalledWith(
          expect.stringContaining('Redis does not answer the rate limiters'),
        );

        proxy.restore();
        const other = await t.given.user('clerk');
        await eventually(async () => {
          const response = await cut.http
            .post('/api/v1/auth/login')
            .send({ username: other.username, password: 'wrong-password1' });
          return response.status === 429 ? response : undefined;
        });
      } finally {
        warn.mockRestore();
      }
    });

    it('lets a login through when Redis holds the connection open but never answers', async () => {
      const clerk = await t.given.user('clerk');
      proxy.freeze();
      try {
        const session = await cut.given.signIn(clerk);
        await cut.http.get('/api/v1/auth/me').set('Authorization', session.auth).expect(200);
      } finally {
        // what was sent while frozen is lost: start the connection afresh
        proxy.cut();
        proxy.restore();
      }
    });
  });

  describe('with several api replicas behind a proxy', () => {
    const failLogins = async (app: TestApp, username: string, forwardedFor?: string) => {
      for (let attempt = 0; attempt < app.config.loginRateLimit.limit; attempt++) {
        const request = app.http.post('/api/v1/auth/login');
        if (forwardedFor) request.set('X-Forwarded-For', forwardedFor);
        await request.send({ username, password: 'wrong-password1' }).expect(401);
      }
    };

    it('shares the login limit between replicas (the count lives in Redis)', async () => {
      const target = await t.given.user('clerk');
      const replica = await createTestApp();
      try {
        await failLogins(t, target.username);
        const blocked = await replica.http
          .post('/api/v1/auth/login')
          .send({ username: target.username, password: TEST_PASSWORD })
          .expect(429);
        expect(blocked.body.code).toBe('RATE_LIMITED');
      } finally {
        await replica.close();
      }
    });

    it('ignores X-Forwarded-For unless TRUST_PROXY names the proxy', async () => {
      const target = await t.given.user('clerk');
      await failLogins(t, target.username, '203.0.113.7');
      await t.http
        .post('/api/v1/auth/login')
        .set('X-Forwarded-For', '203.0.113.8')
        .send({ username: target.username, password: TEST_PASSWORD })
        .expect(429);
    });

    it('limits each client address separately when the proxy is trusted', async () => {
      process.env.TRUST_PROXY = 'loopback';
      const proxied = await createTestApp().finally(() => delete process.env.TRUST_PROXY);
      try {
        const target = await t.given.user('clerk');
        await failLogins(proxied, target.username, '203.0.113.7');
        await proxied.http
          .post('/api/v1/auth/login')
          .set('X-Forwarded-For', '203.0.113.7')
          .send({ username: target.username, password: TEST_PASSWORD })
          .expect(429);
        await proxied.http
          .post('/api/v1/auth/login')
          .set('X-Forwarded-For', '203.0.113.8')
          .send({ username: target.username, password: TEST_PASSWORD })
          .expect(200);
      } finally {
        await proxied.close();
      }
    });
  });
});
