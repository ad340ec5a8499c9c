import { plainToInstance } from 'class-transformer';
import { validateSync, type ValidationError } from 'class-validator';
import { isValidTimeZone } from '@charity/common';
import { AppConfig, type DatabaseConfig, type RedisConfig } from './app-config';
import { DEV_DEFAULTS, Environment } from './environment';

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
  return {
    host: parsed.hostname,
    port: parsed.port ? Number(parsed.port) : 3306,
    username: decodeURIComponent(parsed.username),
    password: decodeURIComponent(parsed.password),
    database: parsed.pathname.slice(1),
  };
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

/**
 * Reads and validates the environment. Throws a `ConfigError` naming every bad variable; in
 * production it also refuses the local default secrets.
 */
export function loadConfig(raw: Record<string, string | undefined>): AppConfig {
  const present = Object.fromEntries(
    Object.keys(new Environment())
      .concat('DEMO_DATA')
      .filter((key) => raw[key] !== undefined && raw[key] !== '')
      .map((key) => [key, raw[key]]),
  );
  const env = plainToInstance(Environment, present);
  const problems = validateSync(env, { forbidUnknownValues: false }).map((e) => describe(e, raw));

  if (!isValidTimeZone(env.TIME_ZONE)) {
    problems.push(`TIME_ZONE: unknown time zone (got "${env.TIME_ZONE}")`);
  }
  if (env.NODE_ENV === 'production') {
    for (const key of ['JWT_SECRET', 'DATA_KEY', 'ADMIN_PASSWORD'] as const) {
      if (env[key] === DEV_DEFAULTS[key]) {
        problems.push(`${key}: the local default must not be used in production; set your own`);
      }
    }
  }
  if (problems.length > 0) throw new ConfigError(problems);

  const config = new AppConfig();
  config.nodeEnv = env.NODE_ENV;
  config.port = env.PORT;
  config.database = parseDatabaseUrl(env.DATABASE_URL);
  config.redis = parseRedisUrl(env.REDIS_URL);
  config.queuePrefix = env.QUEUE_PREFIX;
  config.jwt = { secret: env.JWT_SECRET, expiresIn: env.JWT_EXPIRES_IN };
  config.dataKey = Buffer.from(env.DATA_KEY, 'hex');
  config.admin = { username: env.ADMIN_USERNAME, password: env.ADMIN_PASSWORD };
  config.demoData = env.DEMO_DATA ?? env.NODE_ENV !== 'production';
  config.runMigrations = env.RUN_MIGRATIONS;
  config.timeZone = env.TIME_ZONE;
  config.corsOrigins = env.CORS_ORIGINS.split(',')
    .map((origin) => origin.trim())
    .filter(Boolean);
  config.publicBaseUrl = env.PUBLIC_BASE_URL.replace(/\/+$/, '');
  config.unionName = env.UNION_NAME;
  config.logLevel = env.LOG_LEVEL;
  config.auditRetentionDays = env.AUDIT_RETENTION_DAYS;
  config.loginRateLimit = {
    limit: env.LOGIN_RATE_LIMIT,
    windowSeconds: env.LOGIN_RATE_WINDOW_SECONDS,
  };
  return Object.freeze(config);
}
