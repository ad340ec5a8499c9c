import { Transform } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
} from 'class-validator';

/** Local-only defaults. Production refuses to start while any of these is still in use. */
export const DEV_DEFAULTS = {
  JWT_SECRET: 'dev-only-jwt-secret-change-me-in-production',
  DATA_KEY: '0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef',
  ADMIN_PASSWORD: 'Admin@2026',
} as const;

/**
 * A MySQL/MariaDB URL as DATABASE_URL and each DATABASE_REPLICA_URLS entry accept it, optionally
 * with the server's Unix socket (`?socket=/run/mysqld/mysqld.sock`).
 */
export const MYSQL_URL =
  /^mysql:\/\/[^:@/]+(:[^@/]*)?@[^:/]+(:\d+)?\/[A-Za-z0-9_]+(\?socket=\/[A-Za-z0-9_./-]+)?$/;

const toBoolean = ({ value }: { value: unknown }): unknown => {
  if (typeof value !== 'string') return value;
  const normalised = value.trim().toLowerCase();
  if (['1', 'true', 'yes', 'on'].includes(normalised)) return true;
  if (['0', 'false', 'no', 'off'].includes(normalised)) return false;
  return value;
};

const toInteger = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' && /^-?\d+$/.test(value.trim()) ? Number(value) : value;

/**
 * The process environment as the app accepts it. Property names are the variable names so a
 * validation failure names the variable the operator has to fix.
 */
export class Environment {
  @IsOptional()
  @IsIn(['development', 'production', 'test'])
  NODE_ENV: 'development' | 'production' | 'test' = 'development';

  @IsOptional()
  @Transform(toInteger)
  @IsInt()
  @Min(1)
  @Max(65535)
  PORT = 3000;

  @IsOptional()
  @Matches(MYSQL_URL, {
    message: 'DATABASE_URL must look like mysql://user:password@host:3306/database',
  })
  DATABASE_URL = 'mysql://charity:charity@127.0.0.1:3306/charity_supermarket';

  /** Comma-separated replica URLs, each shaped like DATABASE_URL; checked entry by entry. */
  @IsOptional()
  @IsString()
  DATABASE_REPLICA_URLS = '';

  /**
   * How long a till request (card lookup, allowance, quote, checkout) may wait for the database,
   * connection and queries together, before it answers 503: the till must hear back within 5 s.
   */
  @IsOptional()
  @Transform(toInteger)
  @IsInt()
  @Min(500)
  @Max(60000)
  DATABASE_TILL_TIMEOUT_MS = 4000;

  /** The same bound for every other request, except reports, exports and month close. */
  @IsOptional()
  @Transform(toInteger)
  @IsInt()
  @Min(500)
  @Max(600000)
  DATABASE_TIMEOUT_MS = 30000;

  /** The same bound for reports, exports and closing a month, which read a month of rows. */
  @IsOptional()
  @Transform(toInteger)
  @IsInt()
  @Min(500)
  @Max(3600000)
  DATABASE_REPORT_TIMEOUT_MS = 300000;

  /** How long opening a new database connection may take (mysql2's connectTimeout). */
  @IsOptional()
  @Transform(toInteger)
  @IsInt()
  @Min(500)
  @Max(120000)
  DATABASE_CONNECT_TIMEOUT_MS = 10000;

  @IsOptional()
  @Matches(/^rediss?:\/\/([^@/]*@)?[^:/]+(:\d+)?(\/\d+)?$/, {
    message: 'REDIS_URL must look like redis://host:6379 or redis://:password@host:6379/0',
  })
  REDIS_URL = 'redis://127.0.0.1:6379';

  @IsOptional()
  @Matches(/^[A-Za-z0-9_-]{1,40}$/, {
    message: 'QUEUE_PREFIX must be 1-40 letters, digits, _ or -',
  })
  QUEUE_PREFIX = 'charity';

  /**
   * How long a worker holds a Bull job before it counts as stalled and goes to another worker
   * (a crashed worker's export is picked up again after this).
   */
  @IsOptional()
  @Transform(toInteger)
  @IsInt()
  @Min(1000)
  @Max(600000)
  QUEUE_LOCK_MS = 30000;

  /**
   * How long a request waits for Redis to take a job: a report export or 发放 then answers 503,
   * a receipt render is left to the download (logged).
   */
  @IsOptional()
  @Transform(toInteger)
  @IsInt()
  @Min(100)
  @Max(60000)
  QUEUE_TIMEOUT_MS = 2000;

  /** How often a worker checks that the schedules are still in Redis and registers lost ones. */
  @IsOptional()
  @Transform(toInteger)
  @IsInt()
  @Min(100)
  @Max(3600000)
  SCHEDULE_CHECK_INTERVAL_MS = 60000;

  @IsOptional()
  @IsString()
  @MinLength(32, { message: 'JWT_SECRET must be at least 32 characters' })
  JWT_SECRET: string = DEV_DEFAULTS.JWT_SECRET;

  @IsOptional()
  @Matches(/^\d+[smhd]$/, { message: 'JWT_EXPIRES_IN must look like 12h, 30m or 7d' })
  JWT_EXPIRES_IN = '12h';

  @IsOptional()
  @Matches(/^[0-9a-fA-F]{64}$/, {
    message: 'DATA_KEY must be 64 hex characters (a 32-byte AES-256 key)',
  })
  DATA_KEY: string = DEV_DEFAULTS.DATA_KEY;

  @IsOptional()
  @Matches(/^[A-Za-z0-9_.-]{3,40}$/, {
    message: 'ADMIN_USERNAME must be 3-40 letters, digits, _ . or -',
  })
  ADMIN_USERNAME = 'admin';

  @IsOptional()
  @IsString()
  @MinLength(8, { message: 'ADMIN_PASSWORD must be at least 8 characters' })
  @MaxLength(72)
  ADMIN_PASSWORD: string = DEV_DEFAULTS.ADMIN_PASSWORD;

  @IsOptional()
  @Transform(toBoolean)
  @IsBoolean({ message: 'DEMO_DATA must be true or false' })
  DEMO_DATA?: boolean;

  @IsOptional()
  @Transform(toBoolean)
  @IsBoolean({ message: 'RUN_MIGRATIONS must be true or false' })
  RUN_MIGRATIONS = true;

  @IsOptional()
  @IsString()
  TIME_ZONE = 'Asia/Shanghai';

  @IsOptional()
  @IsString()
  CORS_ORIGINS = '';

  /**
   * The address people reach this installation at, printed in receipt QR codes. Defaults to
   * http://127.0.0.1:<PORT> (in loadConfig, which knows PORT); production must set it.
   */
  @IsOptional()
  @Matches(/^https?:\/\/[^\s/]+(\/[^\s]*)?$/, {
    message: 'PUBLIC_BASE_URL must be an http(s) URL such as https://aixin.example.gov.cn',
  })
  PUBLIC_BASE_URL?: string;

  @IsOptional()
  @IsString()
  @MinLength(2)
  @MaxLength(40)
  UNION_NAME = '青山县总工会';

  @IsOptional()
  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL = 'info';

  @IsOptional()
  @Transform(toInteger)
  @IsInt()
  @Min(1)
  @Max(36500)
  AUDIT_RETENTION_DAYS = 1095;

  @IsOptional()
  @Transform(toInteger)
  @IsInt()
  @Min(1)
  @Max(1000)
  LOGIN_RATE_LIMIT = 5;

  @IsOptional()
  @Transform(toInteger)
  @IsInt()
  @Min(1)
  @Max(86400)
  LOGIN_RATE_WINDOW_SECONDS = 60;

  /**
   * Household lookups (a card, a household, a search) one user may make per minute; the till
   * makes one per card scanned.
   */
  @IsOptional()
  @Transform(toInteger)
  @IsInt()
  @Min(1)
  @Max(10000)
  LOOKUP_RATE_LIMIT = 60;

  /** The built web app the api serves at `/` (`npm run build:web`); relative to the working directory. */
  @IsOptional()
  @IsString()
  @MinLength(1)
  WEB_DIST_DIR = 'dist/web';

  /** false, true, a hop count or a comma-separated list of proxy addresses; checked in loadConfig. */
  @IsOptional()
  @IsString()
  TRUST_PROXY = 'false';
}
