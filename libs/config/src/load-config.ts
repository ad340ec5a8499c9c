import { resolve } from 'node:path';
import { isIP } from 'node:net';
import { plainToInstance } from 'class-transformer';
import { validateSync, type ValidationError } from 'class-validator';
import { isValidTimeZone } from '@charity/common';
import { AppConfig, type DatabaseConfig, type RedisConfig, type TrustProxy } from './app-config';
import { DEV_DEFAULTS, Environment, MYSQL_URL } from './environment';

/** Variables whose absence means something (Environment gives them no value to list them by). */
const VARIABLES_WITHOUT_DEFAULT = ['DEMO_DATA', 'PUBLIC_BASE_URL'];

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
  }
}

function describe(error: ValidationError, raw: Record<string, string | undefined>): string {
  const messages = Object.values(error.constraints ?? {}).join('; ');
  const given = raw[error.property];
  return `${error.property}: ${messages}${given === undefined ? '' : ` (got "${given}")`}`;
}

function parseDatabaseUrl(url: string): DatabaseConfig {
  const parsed = new URL(url);
  const socketPath = parsed.searchParams.get('socket');
  return {
    host: parsed.hostname,
    port: parsed.port ? Number(parsed.port) : 3306,
    username: decodeURIComponent(parsed.username),
    password: decodeURIComponent(parsed.password),
    database: parsed.pathname.slice(1),
    ...(socketPath ? { socketPath } : {}),
  };
}

/** The URL with its password replaced, for error messages. */
function withoutPassword(url: string): string {
  return url.replace(/^([a-z]+:\/\/[^:@/]*:)[^@/]*@/i, '$1***@');
}

/** `DATABASE_REPLICA_URLS`: comma-separated URLs shaped like DATABASE_URL (encode a comma as %2C). */
function parseReplicaUrls(raw: string): { replicas: DatabaseConfig[]; problems: string[] } {
  const urls = raw
    .split(',')
    .map((url) => url.trim())
    .filter(Boolean);
  const problems = urls.flatMap((url, index) =>
    MYSQL_URL.test(url)
      ? []
      : [
          `DATABASE_REPLICA_URLS: entry ${index + 1} must look like ` +
            `mysql://user:password@host:3306/database (got "${withoutPassword(url)}")`,
        ],
  );
  return { replicas: problems.length > 0 ? [] : urls.map(parseDatabaseUrl), problems };
}

const TRUST_PROXY_PRESETS = ['loopback', 'linklocal', 'uniquelocal'];

function isProxyAddress(entry: string): boolean {
  if (TRUST_PROXY_PRESETS.includes(entry)) return true;
  const [address = '', prefix, ...rest] = entry.split('/');
  const family = isIP(address);
  if (family === 0 || rest.length > 0) return false;
  if (prefix === undefined) return true;
  return /^\d{1,3}$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128);
}

/**
 * `TRUST_PROXY` as Express takes it: false, true, a hop count, or the proxies' addresses and
 * subnets. Returns undefined when the value is none of these.
 */
function parseTrustProxy(raw: string): TrustProxy | undefined {
  const value = raw.trim().toLowerCase();
  if (value === 'false') return false;
  if (value === 'true') return true;
  if (/^\d{1,2}$/.test(value)) return Number(value) === 0 ? false : Number(value);
  const entries = value
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
  return entries.length > 0 && entries.every(isProxyAddress) ? entries : undefined;
}

function parseRedisUrl(url: string): RedisConfig {
  const parsed = new URL(url);
  return {
    url,
    host: parsed.hostname,
    port: parsed.port ? Number(parsed.port) : 6379,
    password: parsed.password ? decodeURIComponent(parsed.password) : undefined,
    db: parsed.pathname.length > 1 ? Number(parsed.pathname.slice(1)) : 0,
    tls: parsed.protocol === 'rediss:',
  };
}

/** The till's limit may not exceed the others', nor theirs the reports'. */
function timeoutOrderProblems(env: Environment, invalid: Set<string>): string[] {
  const order = [
    'DATABASE_TILL_TIMEOUT_MS',
    'DATABASE_TIMEOUT_MS',
    'DATABASE_REPORT_TIMEOUT_MS',
  ] as const;
  if (order.some((key) => invalid.has(key))) return [];
  return order.slice(0, -1).flatMap((key, index) => {
    const next = order[index + 1];
    return env[key] > env[next]
      ? [`${key}: must not exceed ${next} (${env[next]}) (got "${env[key]}")`]
      : [];
  });
}

/**
 * Reads and validates the environment. Throws a `ConfigError` naming every bad variable; in
 * production it also refuses the local default secrets.
 */
export function loadConfig(raw: Record<string, string | undefined>): AppConfig {
  const present = Object.fromEntries(
    Object.keys(new Environment())
      .concat(VARIABLES_WITHOUT_DEFAULT)
      .filter((key) => raw[key] !== undefined && raw[key] !== '')
      .map((key) => [key, raw[key]]),
  );
  const env = plainToInstance(Environment, present);
  const invalid = validateSync(env, { forbidUnknownValues: false });
  const problems = invalid.map((e) => describe(e, raw));

  if (!isValidTimeZone(env.TIME_ZONE)) {
    problems.push(`TIME_ZONE: unknown time zone (got "${env.TIME_ZONE}")`);
  }
  const { replicas, problems: replicaProblems } = parseReplicaUrls(env.DATABASE_REPLICA_URLS);
  problems.push(...replicaProblems);
  const trustProxy = parseTrustProxy(env.TRUST_PROXY);
  if (trustProxy === undefined) {
    problems.push(
      "TRUST_PROXY: must be false, true, a hop count such as 1, or the proxies' addresses or " +
        `subnets such as loopback,10.0.0.0/8 (got "${env.TRUST_PROXY}")`,
    );
  }
  problems.push(...timeoutOrderProblems(env, new Set(invalid.map((e) => e.property))));
  if (env.NODE_ENV === 'production') {
    for (const key of ['JWT_SECRET', 'DATA_KEY', 'ADMIN_PASSWORD'] as const) {
      if (env[key] === DEV_DEFAULTS[key]) {
        problems.push(`${key}: the local default must not be used in production; set your own`);
      }
    }
    // a QR code pointing at 127.0.0.1 verifies nothing on a donor's phone
    if (env.PUBLIC_BASE_URL === undefined) {
      problems.push(
        'PUBLIC_BASE_URL: required in production: the address people reach this installation ' +
          'at, printed in receipt QR codes, e.g. https://aixin.example.gov.cn',
      );
    }
    // the demo county's staff all share a password printed in the README
    if (env.DEMO_DATA === true) {
      problems.push(
        'DEMO_DATA: demo data (accounts with the published password Demo@2026) is never loaded ' +
          'in production; remove DEMO_DATA or set it to false',
      );
    }
  }
  if (problems.length > 0) throw new ConfigError(problems);

  const config = new AppConfig();
  config.nodeEnv = env.NODE_ENV;
  config.port = env.PORT;
  config.database = parseDatabaseUrl(env.DATABASE_URL);
  config.databaseReplicas = replicas;
  config.databaseTimeouts = {
    tillMs: env.DATABASE_TILL_TIMEOUT_MS,
    standardMs: env.DATABASE_TIMEOUT_MS,
    reportMs: env.DATABASE_REPORT_TIMEOUT_MS,
    connectMs: env.DATABASE_CONNECT_TIMEOUT_MS,
  };
  config.redis = parseRedisUrl(env.REDIS_URL);
  config.queuePrefix = env.QUEUE_PREFIX;
  config.queueLockMs = env.QUEUE_LOCK_MS;
  config.queueTimeoutMs = env.QUEUE_TIMEOUT_MS;
  config.scheduleCheckMs = env.SCHEDULE_CHECK_INTERVAL_MS;
  config.jwt = { secret: env.JWT_SECRET, expiresIn: env.JWT_EXPIRES_IN };
  config.dataKey = Buffer.from(env.DATA_KEY, 'hex');
  config.admin = { username: env.ADMIN_USERNAME, password: env.ADMIN_PASSWORD };
  config.demoData = env.NODE_ENV !== 'production' && (env.DEMO_DATA ?? true);
  config.runMigrations = env.RUN_MIGRATIONS;
  config.timeZone = env.TIME_ZONE;
  config.corsOrigins = env.CORS_ORIGINS.split(',')
    .map((origin) => origin.trim())
    .filter(Boolean);
  config.publicBaseUrl = (env.PUBLIC_BASE_URL ?? `http://127.0.0.1:${env.PORT}`).replace(
    /\/+$/,
    '',
  );
  config.unionName = env.UNION_NAME;
  config.logLevel = env.LOG_LEVEL;
  config.auditRetentionDays = env.AUDIT_RETENTION_DAYS;
  config.loginRateLimit = {
    limit: env.LOGIN_RATE_LIMIT,
    windowSeconds: env.LOGIN_RATE_WINDOW_SECONDS,
  };
  config.lookupRateLimit = env.LOOKUP_RATE_LIMIT;
  config.trustProxy = trustProxy ?? false;
  config.webDistDir = resolve(env.WEB_DIST_DIR);
  return Object.freeze(config);
}
