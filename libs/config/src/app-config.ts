export interface DatabaseConfig {
  host: string;
  port: number;
  username: string;
  password: string;
  database: string;
  /**
   * The server's Unix socket (`?socket=/run/mysqld/mysqld.sock` in the URL), for a database on the
   * same machine: mysql2 connects through it instead of host and port.
   */
  socketPath?: string;
}

export interface RedisConfig {
  url: string;
  host: string;
  port: number;
  password?: string;
  db: number;
  tls: boolean;
}

/**
 * How long a request's database work may take (acquiring connections and running queries,
 * together, from the request's start) before it fails with 503, by kind of route.
 */
export interface DatabaseTimeouts {
  /** The till: card lookup, allowance, quote, checkout. */
  tillMs: number;
  /** Every other route. */
  standardMs: number;
  /** Reports, exports and closing a month. */
  reportMs: number;
  /** Opening one new connection (mysql2's connectTimeout), wherever it happens. */
  connectMs: number;
}

/**
 * Express's `trust proxy` setting: false (the peer is the client), true (trust every hop), a hop
 * count, or the addresses/subnets of the proxies (`loopback`, `uniquelocal`, `10.0.0.0/8` …).
 */
export type TrustProxy = boolean | number | string[];

/** Typed configuration, built once at start-up by `loadConfig`. */
export class AppConfig {
  nodeEnv!: 'development' | 'production' | 'test';
  port!: number;
  /** The primary: every write, every transaction and every read outside `onReplica`. */
  database!: DatabaseConfig;
  /** Read replicas for reports (`DATABASE_REPLICA_URLS`); empty means everything uses the primary. */
  databaseReplicas!: DatabaseConfig[];
  databaseTimeouts!: DatabaseTimeouts;
  redis!: RedisConfig;
  queuePrefix!: string;
  /** Bull's job lock and stalled-job check interval. */
  queueLockMs!: number;
  /** How long a request waits for Redis to take a job. */
  queueTimeoutMs!: number;
  /** How often a worker checks that its repeatable schedules are still in Redis. */
  scheduleCheckMs!: number;
  jwt!: { secret: string; expiresIn: string };
  /** 32-byte AES-256-GCM key for personal data. */
  dataKey!: Buffer;
  admin!: { username: string; password: string };
  demoData!: boolean;
  runMigrations!: boolean;
  timeZone!: string;
  corsOrigins!: string[];
  /** Where printed QR codes and links point (the verification page). */
  publicBaseUrl!: string;
  /** The county union's name printed on receipts and statements. */
  unionName!: string;
  logLevel!: string;
  auditRetentionDays!: number;
  loginRateLimit!: { limit: number; windowSeconds: number };
  /** Which proxies in front of the api may tell it the client's address (X-Forwarded-For). */
  trustProxy!: TrustProxy;
  /** Absolute path of the built web app; the api serves it at `/` when it exists. */
  webDistDir!: string;
}
