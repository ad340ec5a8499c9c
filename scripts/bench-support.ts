// What the benches share: their options, the figures they print, a database and Redis prefix of
// their own, multi-row INSERTs, and the built api and worker started from dist/ and stopped again.
import { hashPassword } from '@charity/accounts';
import type { AppConfig } from '@charity/config';
import Redis from 'ioredis';
import { createConnection } from 'mysql2/promise';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import type { DataSource } from 'typeorm';

const ROWS_PER_INSERT = 1000;

// ------------------------------------------------------------------------------------ options

export function option(args: string[], name: string): string | undefined {
  const at = args.findIndex((arg) => arg === `--${name}` || arg.startsWith(`--${name}=`));
  if (at < 0) return undefined;
  return args[at].includes('=') ? args[at].split('=')[1] : args[at + 1];
}

export function whole(args: string[], name: string, fallback: number): number {
  const value = option(args, name);
  if (value === undefined) return fallback;
  const number = Number(value);
  if (!Number.isInteger(number) || number < 1) {
    throw new Error(`--${name} must be a whole number ≥ 1, got ${value}`);
  }
  return number;
}

// ------------------------------------------------------------------------------------ figures

export function pick<T>(items: readonly T[], next: () => number): T {
  return items[Math.floor(next() * items.length)];
}

/** Nearest-rank percentile of sorted values. */
export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)];
}

export function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export function pad(value: string | number, width: number): string {
  return String(value).padStart(width);
}

/** Seconds since a `performance.now()` reading, one decimal. */
export function seconds(since: number): string {
  return ((performance.now() - since) / 1000).toFixed(1);
}

// ---------------------------------------------------------------------- database and Redis

/** Drops a bench's database (the bench then creates and migrates it afresh). */
export async function dropDatabase(config: AppConfig, name: string): Promise<void> {
  const { host, port, username, password } = config.database;
  const server = await createConnection({ host, port, user: username, password });
  try {
    await server.query(`DROP DATABASE IF EXISTS \`${name}\``);
  } finally {
    await server.end();
  }
}

/**
 * Removes a bench's Bull keys. Job ids (a redemption's receipt, an export's id) repeat in every
 * fresh database, so keys left from an earlier run would turn the next run's enqueues into no-ops.
 */
export async function clearQueueKeys(config: AppConfig, prefix: string): Promise<number> {
  const redis = new Redis(config.redis.url, { lazyConnect: true, maxRetriesPerRequest: 1 });
  let removed = 0;
  try {
    await redis.connect();
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length > 0) removed += await redis.unlink(...keys);
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
  return removed;
}

/** Multi-row INSERTs of ROWS_PER_INSERT rows each. */
export async function insertRows(
  dataSource: DataSource,
  table: string,
  columns: string[],
  rows: unknown[][],
): Promise<void> {
  const names = columns.map((column) => `\`${column}\``).join(', ');
  const tuple = `(${columns.map(() => '?').join(', ')})`;
  for (let i = 0; i < rows.length; i += ROWS_PER_INSERT) {
    const part = rows.slice(i, i + ROWS_PER_INSERT);
    await dataSource.query(
      `INSERT INTO \`${table}\` (${names}) VALUES ${part.map(() => tuple).join(', ')}`,
      part.flat(),
    );
  }
}

/**
 * The county admin a bench or the drill signs in as. Its password is its own (origin `self`): an
 * account whose password someone else set must change it before any other route answers.
 */
export async function insertBenchAdmin(
  dataSource: DataSource,
  admin: { id: number; username: string; displayName: string; password: string; at: Date | string },
): Promise<void> {
  await insertRows(
    dataSource,
    'users',
    [
      'id',
      'username',
      'display_name',
      'password_hash',
      'role',
      'store_id',
      'active',
      'token_version',
      'password_origin',
      'must_change_password',
      'created_at',
      'updated_at',
    ],
    [
      [
        admin.id,
        admin.username,
        admin.displayName,
        await hashPassword(admin.password),
        'county_admin',
        null,
        1,
        0,
        'self',
        0,
        admin.at,
        admin.at,
      ],
    ],
  );
}

// ------------------------------------------------------------------------ the api and worker

export type BuiltApp = 'api' | 'worker';

/**
 * `scripts/build.js server` (api and worker together), which skips the build when no source, lock
 * file or compiler setting changed since the last one; what it did, for the bench's report.
 */
export function buildIfStale(root: string, app: BuiltApp): string {
  const build = spawnSync(process.execPath, [join(root, 'scripts', 'build.js'), 'server'], {
    cwd: root,
    encoding: 'utf8',
  });
  if (build.status !== 0) {
    throw new Error(
      `building the ${app} failed (${build.status}):\n${build.stdout}${build.stderr}`,
    );
  }
  return build.stdout.trim().replace(/^\[build\] server: /, '');
}

export async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolvePort(port));
    });
  });
}

/** What a process logged (pino JSON lines): message → count, plus lines that were not JSON. */
export class ProcessLog {
  readonly messages = new Map<string, number>();

  add(chunk: string): void {
    for (const line of chunk.split('\n')) {
      if (line.trim() === '') continue;
      let message = line.slice(0, 300);
      try {
        const parsed = JSON.parse(line) as { level?: number; msg?: unknown; err?: unknown };
        const text = typeof parsed.msg === 'string' ? parsed.msg : JSON.stringify(parsed.err);
        message = `[${parsed.level ?? '?'}] ${text}`.slice(0, 300);
      } catch {
        // a plain line (a crash): kept as it is
      }
      this.messages.set(message, (this.messages.get(message) ?? 0) + 1);
    }
  }

  includes(text: string): boolean {
    return [...this.messages.keys()].some((message) => message.includes(text));
  }
}

export interface AppProcessOptions {
  databaseUrl: string;
  queuePrefix: string;
  log: ProcessLog;
  /** Set last, over the bench's defaults. */
  env?: Record<string, string>;
}

function spawnApp(root: string, app: BuiltApp, env: NodeJS.ProcessEnv, log: ProcessLog) {
  const child = spawn(process.execPath, [join(root, 'dist', 'apps', app, 'main.js')], {
    cwd: root,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => log.add(chunk));
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => log.add(chunk));
  return child;
}

/** Starts dist/apps/api/main.js on `port` and waits until /health answers 200. */
export async function startApi(
  root: string,
  port: number,
  options: AppProcessOptions,
): Promise<ChildProcess> {
  const child = spawnApp(
    root,
    'api',
    {
      ...process.env,
      PORT: String(port),
      DATABASE_URL: options.databaseUrl,
      DEMO_DATA: 'false',
      RUN_MIGRATIONS: 'false',
      LOG_LEVEL: 'warn',
      QUEUE_PREFIX: options.queuePrefix,
      PUBLIC_BASE_URL: `http://127.0.0.1:${port}`,
      ...options.env,
    },
    options.log,
  );
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) {
      throw new Error(
        `the api exited (${child.exitCode}): ${[...options.log.messages.keys()].join(' | ')}`,
      );
    }
    try {
      const response = await fetch(`http://127.0.0.1:${port}/health`);
      if (response.status === 200) return child;
      await response.text();
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error('the api did not answer /health within 60 s');
    await sleep(250);
  }
}

/**
 * Starts dist/apps/worker/main.js (LOG_LEVEL info, so its start-up line shows) and waits until it
 * says it is processing its queues.
 */
export async function startWorker(root: string, options: AppProcessOptions): Promise<ChildProcess> {
  const child = spawnApp(
    root,
    'worker',
    {
      ...process.env,
      DATABASE_URL: options.databaseUrl,
      DEMO_DATA: 'false',
      RUN_MIGRATIONS: 'false',
      LOG_LEVEL: 'info',
      QUEUE_PREFIX: options.queuePrefix,
      ...options.env,
    },
    options.log,
  );
  const deadline = Date.now() + 60_000;
  while (!options.log.includes('worker started')) {
    if (child.exitCode !== null) {
      throw new Error(
        `the worker exited (${child.exitCode}): ${[...options.log.messages.keys()].join(' | ')}`,
      );
    }
    if (Date.now() > deadline) throw new Error('the worker did not start within 60 s');
    await sleep(100);
  }
  return child;
}

/** SIGTERM, then SIGKILL after 10 s; resolves once the process has exited. */
export async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

/** POST /api/v1/auth/login; the access token. */
export async function login(base: string, username: string, password: string): Promise<string> {
  const response = await fetch(`${base}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  const body = (await response.json()) as { accessToken?: string };
  if (response.status !== 200 || !body.accessToken) {
    throw new Error(`login ${username}: ${response.status} ${JSON.stringify(body)}`);
  }
  return body.accessToken;
}

/** Township and village names the benches' generated counties use. */
export const BENCH_TOWNSHIPS = [
  '城关',
  '东坪',
  '柳河',
  '白石',
  '青龙',
  '石桥',
  '马集',
  '杨庄',
  '李楼',
  '高庙',
  '黄岗',
  '双河',
  '新集',
  '龙山',
  '桃园',
  '大王',
  '前进',
  '红星',
  '三里',
  '五里',
  '长岭',
  '南湖',
  '北塘',
  '西峰',
  '金鸡',
];
export const BENCH_VILLAGES = ['东村', '西村', '南庄', '北庄', '王家村', '李家村'];
