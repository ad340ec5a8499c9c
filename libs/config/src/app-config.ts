export interface DatabaseConfig {
  host: string;
  port: number;
  username: string;
  password: string;
  database: string;
}

export interface RedisConfig {
  url: string;
  host: string;
  port: number;
  password?: string;
  db: number;
  tls: boolean;
}

/** Typed configuration, built once at start-up by `loadConfig`. */
export class AppConfig {
  nodeEnv!: 'development' | 'production' | 'test';
  port!: number;
  database!: DatabaseConfig;
  redis!: RedisConfig;
  queuePrefix!: string;
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
}
