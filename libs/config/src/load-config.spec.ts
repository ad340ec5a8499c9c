import { ConfigError, loadConfig } from './load-config';
import { DEV_DEFAULTS } from './environment';

const PRODUCTION_SECRETS = {
  NODE_ENV: 'production',
  JWT_SECRET: 'a-production-secret-that-is-long-enough-123',
  DATA_KEY: 'f'.repeat(64),
  ADMIN_PASSWORD: 'Prod-Admin-2026',
  PUBLIC_BASE_URL: 'https://aixin.qingshan.gov.cn',
};

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('starts with local defaults and no environment at all', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      nodeEnv: 'development',
      port: 3000,
      database: {
        host: '127.0.0.1',
        port: 3306,
        username: 'charity',
        password: 'charity',
        database: 'charity_supermarket',
      },
      redis: { host: '127.0.0.1', port: 6379, db: 0, tls: false },
      queuePrefix: 'charity',
      queueLockMs: 30000,
      timeZone: 'Asia/Shanghai',
      demoData: true,
      runMigrations: true,
      corsOrigins: [],
      databaseReplicas: [],
      databaseTimeouts: { tillMs: 4000, standardMs: 30000, reportMs: 300000, connectMs: 10000 },
      queueTimeoutMs: 2000,
      scheduleCheckMs: 60000,
      trustProxy: false,
      lookupRateLimit: 60,
    });
    expect(config.dataKey).toHaveLength(32);
  });

  it('reads every variable it documents', () => {
    const config = loadConfig({
      PORT: '8080',
      DATABASE_URL: 'mysql://app:p%40ss@db.internal:3307/charity_prod',
      REDIS_URL: 'redis://:secret@cache:6380/2',
      QUEUE_PREFIX: 'county-a',
      DEMO_DATA: 'false',
      RUN_MIGRATIONS: '0',
      CORS_ORIGINS: 'https://a.example, https://b.example',
      AUDIT_RETENTION_DAYS: '30',
      LOOKUP_RATE_LIMIT: '120',
    });
    expect(config.port).toBe(8080);
    expect(config.database).toEqual({
      host: 'db.internal',
      port: 3307,
      username: 'app',
      password: 'p@ss',
      database: 'charity_prod',
    });
    expect(config.redis).toMatchObject({ host: 'cache', port: 6380, password: 'secret', db: 2 });
    // a database on the same machine, through its socket
    expect(
      loadConfig({
        DATABASE_URL: 'mysql://app:pw@localhost/charity?socket=/run/mysqld/mysqld.sock',
      }).database,
    ).toEqual({
      host: 'localhost',
      port: 3306,
      username: 'app',
      password: 'pw',
      database: 'charity',
      socketPath: '/run/mysqld/mysqld.sock',
    });
    expect(config.queuePrefix).toBe('county-a');
    expect(config.demoData).toBe(false);
    expect(config.runMigrations).toBe(false);
    expect(config.corsOrigins).toEqual(['https://a.example', 'https://b.example']);
    expect(config.auditRetentionDays).toBe(30);
    expect(config.lookupRateLimit).toBe(120);
  });

  it.each([
    ['PORT', 'abc'],
    ['PORT', '70000'],
    ['DATABASE_URL', 'postgres://x@y/z'],
    ['REDIS_URL', 'http://cache'],
    ['DATA_KEY', 'too-short'],
    ['JWT_SECRET', 'short'],
    ['DEMO_DATA', 'maybe'],
    ['RUN_MIGRATIONS', 'sometimes'],
    ['TIME_ZONE', 'Mars/Olympus'],
    ['NODE_ENV', 'staging'],
    ['QUEUE_PREFIX', 'has space'],
    ['DATABASE_REPLICA_URLS', 'postgres://x@y/z'],
    ['TRUST_PROXY', 'sometimes'],
    ['LOOKUP_RATE_LIMIT', '0'],
    ['LOOKUP_RATE_LIMIT', 'many'],
    ['DATABASE_TILL_TIMEOUT_MS', '5s'],
    ['DATABASE_TILL_TIMEOUT_MS', '0'],
    ['DATABASE_REPORT_TIMEOUT_MS', '-1'],
    ['DATABASE_CONNECT_TIMEOUT_MS', '1.5'],
    ['QUEUE_TIMEOUT_MS', '0'],
    ['SCHEDULE_CHECK_INTERVAL_MS', 'hourly'],
  ])('stops on a bad %s and names it', (name, value) => {
    const problems = problemsOf({ [name]: value });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(new RegExp(`^${name}: `));
  });

  it('reads the outage limits and keeps the till the shortest, reports the longest', () => {
    const config = loadConfig({
      DATABASE_TILL_TIMEOUT_MS: '3000',
      DATABASE_TIMEOUT_MS: '20000',
      DATABASE_REPORT_TIMEOUT_MS: '600000',
      DATABASE_CONNECT_TIMEOUT_MS: '2000',
      QUEUE_TIMEOUT_MS: '500',
      SCHEDULE_CHECK_INTERVAL_MS: '15000',
    });
    expect(config.databaseTimeouts).toEqual({
      tillMs: 3000,
      standardMs: 20000,
      reportMs: 600000,
      connectMs: 2000,
    });
    expect(config.queueTimeoutMs).toBe(500);
    expect(config.scheduleCheckMs).toBe(15000);
    expect(problemsOf({ DATABASE_TILL_TIMEOUT_MS: '40000' })).toEqual([
      'DATABASE_TILL_TIMEOUT_MS: must not exceed DATABASE_TIMEOUT_MS (30000) (got "40000")',
    ]);
    expect(
      problemsOf({ DATABASE_TIMEOUT_MS: '30000', DATABASE_REPORT_TIMEOUT_MS: '10000' }),
    ).toEqual([
      'DATABASE_TIMEOUT_MS: must not exceed DATABASE_REPORT_TIMEOUT_MS (10000) (got "30000")',
    ]);
  });

  it('reads read replicas as a comma-separated list of database URLs', () => {
    const config = loadConfig({
      DATABASE_REPLICA_URLS:
        ' mysql://reader:r%2Cpw@replica-1:3306/charity_prod ,mysql://reader:x@10.0.0.12/charity_prod,',
    });
    expect(config.databaseReplicas).toEqual([
      {
        host: 'replica-1',
        port: 3306,
        username: 'reader',
        password: 'r,pw',
        database: 'charity_prod',
      },
      {
        host: '10.0.0.12',
        port: 3306,
        username: 'reader',
        password: 'x',
        database: 'charity_prod',
      },
    ]);
  });

  it('names the bad replica entry and keeps its password out of the message', () => {
    const problems = problemsOf({
      DATABASE_REPLICA_URLS:
        'mysql://reader:ok@replica-1:3306/charity,mysql://reader:s3cret@replica-2:3306/bad-name',
    });
    expect(problems).toEqual([
      'DATABASE_REPLICA_URLS: entry 2 must look like mysql://user:password@host:3306/database ' +
        '(got "mysql://reader:***@replica-2:3306/bad-name")',
    ]);
    expect(() => loadConfig({ DATABASE_REPLICA_URLS: 'replica-1:3306' })).toThrow(
      /Invalid configuration:\n {2}- DATABASE_REPLICA_URLS: entry 1 must look like/,
    );
  });

  it.each([
    ['false', false],
    ['0', false],
    ['true', true],
    ['1', 1],
    ['loopback', ['loopback']],
    [
      'loopback, 10.0.0.0/8,172.18.0.2, fd00::/8',
      ['loopback', '10.0.0.0/8', '172.18.0.2', 'fd00::/8'],
    ],
  ])('reads TRUST_PROXY=%s', (value, expected) => {
    expect(loadConfig({ TRUST_PROXY: value }).trustProxy).toEqual(expected);
  });

  it.each(['10.0.0.0/33', '300.1.1.1', 'nginx', 'loopback;10.0.0.1', '-1'])(
    'stops on TRUST_PROXY=%s',
    (value) => {
      expect(problemsOf({ TRUST_PROXY: value })).toEqual([
        expect.stringMatching(/^TRUST_PROXY: must be false, true, a hop count/),
      ]);
    },
  );

  it('refuses to start in production with any of the local default secrets', () => {
    const problems = problemsOf({ NODE_ENV: 'production' });
    expect(problems.map((problem) => problem.split(':')[0]).sort()).toEqual([
      'ADMIN_PASSWORD',
      'DATA_KEY',
      'JWT_SECRET',
      'PUBLIC_BASE_URL',
    ]);
    expect(problemsOf({ ...PRODUCTION_SECRETS, DATA_KEY: DEV_DEFAULTS.DATA_KEY })).toEqual([
      expect.stringMatching(/^DATA_KEY: the local default must not be used in production/),
    ]);
  });

  it('points receipt QR codes at this machine on the port the api listens on, by default', () => {
    expect(loadConfig({}).publicBaseUrl).toBe('http://127.0.0.1:3000');
    expect(loadConfig({ PORT: '8080' }).publicBaseUrl).toBe('http://127.0.0.1:8080');
    expect(
      loadConfig({ PORT: '8080', PUBLIC_BASE_URL: 'https://aixin.qingshan.gov.cn/' }).publicBaseUrl,
    ).toBe('https://aixin.qingshan.gov.cn');
  });

  it('refuses to start in production without PUBLIC_BASE_URL, saying what it is for', () => {
    const { PUBLIC_BASE_URL: _omitted, ...withoutBaseUrl } = PRODUCTION_SECRETS;
    expect(problemsOf(withoutBaseUrl)).toEqual([
      'PUBLIC_BASE_URL: required in production: the address people reach this installation ' +
        'at, printed in receipt QR codes, e.g. https://aixin.example.gov.cn',
    ]);
    // empty counts as unset
    expect(problemsOf({ ...PRODUCTION_SECRETS, PUBLIC_BASE_URL: '' })).toEqual([
      expect.stringMatching(/^PUBLIC_BASE_URL: required in production/),
    ]);
    expect(loadConfig(PRODUCTION_SECRETS).publicBaseUrl).toBe('https://aixin.qingshan.gov.cn');
  });

  it('starts in production with its own secrets and no demo data by default', () => {
    const config = loadConfig(PRODUCTION_SECRETS);
    expect(config.nodeEnv).toBe('production');
    expect(config.demoData).toBe(false);
    expect(loadConfig({ ...PRODUCTION_SECRETS, DEMO_DATA: 'false' }).demoData).toBe(false);
  });

  it.each(['true', '1', 'yes'])(
    'refuses to start in production when DEMO_DATA=%s asks for the demo county',
    (value) => {
      expect(problemsOf({ ...PRODUCTION_SECRETS, DEMO_DATA: value })).toEqual([
        'DEMO_DATA: demo data (accounts with the published password Demo@2026) is never loaded ' +
          'in production; remove DEMO_DATA or set it to false',
      ]);
    },
  );
});
