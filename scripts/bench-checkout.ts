// `npm run bench:checkout [-- --count 2000 --seconds 20 --concurrency 8,32 --warmup 200]`: the till
// under load. Seeds a county (25 townships, 50 stores with one clerk each, 300 products in 10
// categories, a 1,000,000-unit lot of every product at every store, 10,000 households holding
// 1,000,000 points each, every balance backed by its ledger rows) into its own database,
// charity_bench_checkout (dropped and migrated afresh), builds the api if needed and starts it,
// then drives POST /api/v1/redemptions from C concurrent tills, each at its own store (stores drawn
// at random; beyond 50 tills stores get a second), each checkout with a fresh Idempotency-Key and a
// cart of 1–8 distinct products of 1–3 units (by id, barcode or internal code). The floor is the
// same transaction, round trip for round trip, sent straight through mysql2
// (scripts/bench-checkout-floor.ts) from the same tills with the same carts, after the api has
// stopped. Prints throughput, latency percentiles and
// failed answers of both, their ratio, CPU per checkout by process, the statements one checkout
// sends, and the stock and points ledger checks. The bench client runs on the same cores as the
// api and MariaDB, which real tills would not.
import 'reflect-metadata';
import { loadConfig, loadEnvFile, type AppConfig } from '@charity/config';
import { dataSourceOptions, ensureDatabase, runMigrationsLocked } from '@charity/database';
import { findPointsLedgerMismatches } from '@charity/households';
import { findStockLedgerMismatches } from '@charity/inventory';
import { Logger } from '@nestjs/common';
import { createConnection, createPool, type Connection, type Pool } from 'mysql2/promise';
import { type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { Agent, request as httpRequest } from 'node:http';
import { cpus } from 'node:os';
import { resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { DataSource } from 'typeorm';
import {
  floorCheckout,
  FloorProblem,
  type BenchCart,
  type BenchClerk,
} from './bench-checkout-floor';
import {
  buildIfStale,
  clearQueueKeys,
  dropDatabase,
  errorText,
  freePort,
  login,
  option,
  pad,
  percentile,
  ProcessLog,
  seconds,
  startApi,
  stopProcess,
  whole,
  BENCH_TOWNSHIPS,
} from './bench-support';
import { cartFor, seedCounty, shuffled, type BenchProduct, type CountySize } from './bench-county';
import { random } from './seeded-random';

const BENCH_DATABASE = 'charity_bench_checkout';
const DEFAULT_DATABASE_URL = 'mysql://charity:charity@127.0.0.1:3306/charity_supermarket';
const QUEUE_PREFIX = 'bench_checkout';
const PASSWORD = 'Bench2026checkout';
const COUNTY: CountySize = {
  townships: BENCH_TOWNSHIPS.length,
  storesPerTownship: 2,
  products: 300,
  households: 10_000,
  lotQuantity: 1_000_000,
  openingPoints: 1_000_000,
  password: PASSWORD,
};

interface Options {
  count: number;
  seconds: number;
  concurrency: number[];
  warmup: number;
}

interface Till extends BenchClerk {
  cards: string[];
  token: string;
}

interface Outcome {
  /** `201` for the api, `ok` for the floor, else the status or error code. */
  status: string;
  detail?: string;
}

interface CpuTimes {
  client: number;
  api: number | null;
  database: number | null;
  /** Busy time of all cores together (/proc/stat). */
  machine: number | null;
}

interface Phase {
  path: 'app' | 'floor';
  concurrency: number;
  count: number;
  seconds: number;
  latencies: number[];
  statuses: Map<string, number>;
  samples: Map<string, string[]>;
  /** CPU seconds per 1,000 checkouts, by process (machine: every process on it). */
  cpu: CpuTimes;
  /** Share of all cores busy during the run, and the part of it no bench process used. */
  busy: { machine: number; others: number } | null;
}

// ---------------------------------------------------------------------------------- utilities

function parseOptions(args: string[]): Options {
  const list = option(args, 'concurrency') ?? '8,32';
  const concurrency = list.split(',').map(Number);
  if (concurrency.some((c) => !Number.isInteger(c) || c < 1 || c > 200)) {
    throw new Error(`--concurrency must list whole numbers 1–200, got ${list}`);
  }
  return {
    count: whole(args, 'count', 2000),
    seconds: whole(args, 'seconds', 20),
    concurrency,
    warmup: whole(args, 'warmup', 200),
  };
}

// ------------------------------------------------------------------------------------ the api

/**
 * Keeps one connection per till open, as a till's browser would. node:http rather than fetch:
 * fetch cost the bench client 0.7 ms of CPU per checkout at 32 tills and node:http 0.2 ms, on the
 * cores the api runs on.
 */
const tillAgent = new Agent({ keepAlive: true, maxSockets: Infinity });

function appCheckout(base: URL, till: Till, cart: BenchCart): Promise<Outcome> {
  const body = JSON.stringify(cart);
  return new Promise((done) => {
    const request = httpRequest(
      {
        agent: tillAgent,
        host: base.hostname,
        port: base.port,
        method: 'POST',
        path: '/api/v1/redemptions',
        headers: {
          authorization: `Bearer ${till.token}`,
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
          'idempotency-key': `bench-${randomUUID()}`,
        },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => {
          if (response.statusCode === 201) done({ status: '201' });
          else {
            const text = Buffer.concat(chunks).toString('utf8');
            done({ status: String(response.statusCode), detail: text.slice(0, 500) });
          }
        });
        response.on('error', (error) => done({ status: 'network', detail: errorText(error) }));
      },
    );
    request.on('error', (error) => done({ status: 'network', detail: errorText(error) }));
    request.end(body);
  });
}

// --------------------------------------------------------------------------------- the floor

function floorPool(config: AppConfig, type: 'mysql' | 'mariadb'): Pool {
  const options = dataSourceOptions(config, type) as { extra?: { connectionLimit?: number } };
  const { host, port, username, password, database, socketPath } = config.database;
  return createPool({
    host,
    port,
    socketPath,
    user: username,
    password,
    database,
    // as TypeORM opens the app's pool
    charset: 'utf8mb4_unicode_520_ci',
    timezone: 'Z',
    supportBigNumbers: true,
    bigNumberStrings: true,
    // as the app's checkout pool (batchedDataSourceOptions)
    multipleStatements: true,
    connectionLimit: options.extra?.connectionLimit ?? 10,
  });
}

async function floorOnce(
  pool: Pool,
  till: Till,
  cart: BenchCart,
  timeZone: string,
  retries: { count: number },
): Promise<Outcome & { statements?: number; roundTrips?: number }> {
  try {
    const result = await floorCheckout(pool, till, cart, `bench-${randomUUID()}`, timeZone);
    retries.count += result.attempts - 1;
    return { status: 'ok', statements: result.statements, roundTrips: result.roundTrips };
  } catch (error) {
    const driverCode = (error as { code?: unknown }).code;
    const code =
      error instanceof FloorProblem
        ? error.code
        : typeof driverCode === 'string'
          ? driverCode
          : 'error';
    return { status: code, detail: errorText(error).slice(0, 500) };
  }
}

/** utime + stime of a process in seconds, or null when /proc cannot tell. */
function processCpu(pid: number | undefined): number | null {
  if (pid === undefined) return null;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return null;
  }
}

function databasePid(): number | undefined {
  try {
    for (const entry of readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      try {
        const comm = readFileSync(`/proc/${entry}/comm`, 'utf8').trim();
        if (comm === 'mariadbd' || comm === 'mysqld') return Number(entry);
      } catch {
        // gone meanwhile
      }
    }
  } catch {
    // no /proc
  }
  return undefined;
}

/** Seconds all cores together spent busy since boot, or null without /proc/stat. */
function machineBusy(): number | null {
  try {
    const [, ...ticks] = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/);
    // user nice system idle iowait irq softirq (steal: time the host kept the cores, not busy)
    const [user, nice, system, , , irq, softirq] = ticks.map(Number);
    return (user + nice + system + irq + softirq) / 100;
  } catch {
    return null;
  }
}

function cpuNow(apiPid: number | undefined, dbPid: number | undefined): CpuTimes {
  const own = process.cpuUsage();
  return {
    client: (own.user + own.system) / 1e6,
    api: processCpu(apiPid),
    database: processCpu(dbPid),
    machine: machineBusy(),
  };
}

/**
 * C workers, worker i the till tills[i % tills.length], each drawing carts from its own seeded
 * PRNG, until `total` checkouts were sent or `maxSeconds` passed.
 */
async function drive(
  path: Phase['path'],
  tills: Till[],
  products: BenchProduct[],
  concurrency: number,
  total: number,
  maxSeconds: number,
  seed: number,
  one: (till: Till, cart: BenchCart) => Promise<Outcome>,
  pids: { api?: number; db?: number },
): Promise<Phase> {
  const latencies: number[] = [];
  const statuses = new Map<string, number>();
  const samples = new Map<string, string[]>();
  let issued = 0;
  const cpuBefore = cpuNow(pids.api, pids.db);
  const started = performance.now();
  let finished = started;
  await Promise.all(
    Array.from({ length: concurrency }, async (_, worker) => {
      const till = tills[worker % tills.length];
      const next = random(seed + worker * 7919);
      while (issued < total && performance.now() - started < maxSeconds * 1000) {
        issued += 1;
        const cart = cartFor(till, products, next);
        const before = performance.now();
        const outcome = await one(till, cart);
        finished = performance.now();
        latencies.push(finished - before);
        statuses.set(outcome.status, (statuses.get(outcome.status) ?? 0) + 1);
        if (outcome.detail !== undefined) {
          const kept = samples.get(outcome.status) ?? [];
          if (kept.length < 3) kept.push(outcome.detail);
          samples.set(outcome.status, kept);
        }
      }
    }),
  );
  const cpuAfter = cpuNow(pids.api, pids.db);
  const perThousand = (a: number | null, b: number | null) =>
    a === null || b === null ? null : ((b - a) / latencies.length) * 1000;
  const used = (a: number | null, b: number | null) => (a === null || b === null ? 0 : b - a);
  const capacity = ((finished - started) / 1000) * cpus().length;
  const machine = used(cpuBefore.machine, cpuAfter.machine);
  const ours =
    used(cpuBefore.client, cpuAfter.client) +
    used(cpuBefore.api, cpuAfter.api) +
    used(cpuBefore.database, cpuAfter.database);
  latencies.sort((a, b) => a - b);
  return {
    busy:
      cpuBefore.machine === null || capacity <= 0
        ? null
        : { machine: machine / capacity, others: Math.max(0, machine - ours) / capacity },
    path,
    concurrency,
    count: latencies.length,
    seconds: (finished - started) / 1000,
    latencies,
    statuses,
    samples,
    cpu: {
      client: perThousand(cpuBefore.client, cpuAfter.client) ?? 0,
      api: perThousand(cpuBefore.api, cpuAfter.api),
      database: perThousand(cpuBefore.database, cpuAfter.database),
      machine: perThousand(cpuBefore.machine, cpuAfter.machine),
    },
  };
}

function succeeded(phase: Phase): number {
  return (phase.statuses.get('201') ?? 0) + (phase.statuses.get('ok') ?? 0);
}

function failures(phase: Phase): string {
  const bad = [...phase.statuses].filter(([status]) => status !== '201' && status !== 'ok');
  return bad.length === 0 ? 'none' : bad.map(([status, n]) => `${status}×${n}`).join(', ');
}

function printPhase(phase: Phase): void {
  const l = phase.latencies;
  const cpu = phase.cpu;
  const part = (label: string, value: number | null) =>
    value === null ? '' : `, ${label} ${value.toFixed(1)}`;
  console.log(
    `  ${phase.path.padEnd(5)} C=${pad(phase.concurrency, 2)}  ${pad(phase.count, 5)} checkouts in ` +
      `${phase.seconds.toFixed(1)} s = ${(succeeded(phase) / phase.seconds).toFixed(1)}/s   ` +
      `p50 ${percentile(l, 50).toFixed(1)}  p95 ${percentile(l, 95).toFixed(1)}  ` +
      `p99 ${percentile(l, 99).toFixed(1)}  max ${(l.at(-1) ?? 0).toFixed(1)} ms   ` +
      `failed: ${failures(phase)}`,
  );
  console.log(
    `           CPU s per 1,000 checkouts: bench client ${cpu.client.toFixed(1)}` +
      `${part(phase.path === 'app' ? 'api' : '(no api)', phase.path === 'app' ? cpu.api : null)}` +
      `${part('mariadbd', cpu.database)}${part('whole machine', cpu.machine)}`,
  );
  if (phase.busy) {
    // Node runs the api's JavaScript on one thread: near 100% of one core, the api is the limit
    const apiCore =
      phase.path === 'app' && cpu.api !== null
        ? `; the api process ${((cpu.api * phase.count) / 10 / phase.seconds).toFixed(0)}% of one core`
        : '';
    console.log(
      `           cores busy ${(phase.busy.machine * 100).toFixed(0)}% of ${cpus().length}, ` +
        `${(phase.busy.others * 100).toFixed(0)}% of them by processes outside the bench${apiCore}`,
    );
  }
  for (const [status, details] of phase.samples) {
    for (const detail of details) console.log(`           ${status}: ${detail}`);
  }
}

// --------------------------------------------------------------------------- statement counts

const COUNTERS = [
  'Questions',
  'Com_select',
  'Com_insert',
  'Com_update',
  'Com_begin',
  'Com_commit',
  'Com_rollback',
  'Com_set_option',
] as const;
type Counters = Record<(typeof COUNTERS)[number], number>;

async function serverCounters(connection: Connection): Promise<Counters> {
  const [rows] = await connection.query(
    `SHOW GLOBAL STATUS WHERE Variable_name IN (${COUNTERS.map(() => '?').join(', ')})`,
    [...COUNTERS],
  );
  const values = new Map(
    (rows as { Variable_name: string; Value: string }[]).map((row) => [
      row.Variable_name.toLowerCase(),
      Number(row.Value),
    ]),
  );
  return Object.fromEntries(
    COUNTERS.map((name) => [name, values.get(name.toLowerCase()) ?? 0]),
  ) as Counters;
}

function minus(a: Counters, b: Counters): Counters {
  return Object.fromEntries(COUNTERS.map((name) => [name, a[name] - b[name]])) as Counters;
}

/**
 * Statements the server saw while `action` ran, less the status queries' own. The counters are
 * global, so another client busy at that moment (a test suite, another bench) would count too: an
 * attempt counts only when the server was quiet for 100 ms before and after it; otherwise the
 * least of 15 attempts is reported, marked as such.
 */
async function countStatements(
  connection: Connection,
  action: () => Promise<void>,
): Promise<{ counts: Counters; quiet: boolean }> {
  let overhead: Counters | null = null;
  for (let i = 0; i < 3; i += 1) {
    const first = await serverCounters(connection);
    const delta = minus(await serverCounters(connection), first);
    if (!overhead || delta.Questions < overhead.Questions) overhead = delta;
  }
  if (!overhead) throw new Error('no status');
  let least: Counters | null = null;
  for (let attempt = 0; attempt < 15; attempt += 1) {
    const idle = await serverCounters(connection);
    await sleep(100);
    const before = await serverCounters(connection);
    await action();
    await sleep(100);
    const after = await serverCounters(connection);
    await sleep(100);
    const settled = await serverCounters(connection);
    const delta = minus(minus(after, before), overhead);
    const quiet =
      minus(before, idle).Questions === overhead.Questions &&
      minus(settled, after).Questions === overhead.Questions;
    if (quiet) return { counts: delta, quiet };
    if (!least || delta.Questions < least.Questions) least = delta;
  }
  if (!least) throw new Error('no count');
  return { counts: least, quiet: false };
}

function describeCounts({ counts, quiet }: { counts: Counters; quiet: boolean }): string {
  const other =
    counts.Questions -
    counts.Com_select -
    counts.Com_insert -
    counts.Com_update -
    counts.Com_begin -
    counts.Com_commit -
    counts.Com_rollback -
    counts.Com_set_option;
  return (
    `${counts.Questions} (select ${counts.Com_select}, insert ${counts.Com_insert}, ` +
    `update ${counts.Com_update}, begin ${counts.Com_begin}, commit ${counts.Com_commit}, ` +
    `set ${counts.Com_set_option}${counts.Com_rollback ? `, rollback ${counts.Com_rollback}` : ''}` +
    `${other ? `, other ${other}` : ''})` +
    (quiet ? '' : ' [never quiet: least of 15, other clients counted too]')
  );
}

// ------------------------------------------------------------------------------------- main

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const root = resolve(__dirname, '..');
  const runStarted = performance.now();

  // the bench prints its own lines; Nest's (the migration runner's) only when something is wrong
  Logger.overrideLogger(['error', 'warn']);
  loadEnvFile();
  const url = new URL(process.env.DATABASE_URL ?? DEFAULT_DATABASE_URL);
  url.pathname = `/${BENCH_DATABASE}`;
  process.env.DATABASE_URL = url.toString();
  process.env.DEMO_DATA = 'false';
  process.env.QUEUE_PREFIX = QUEUE_PREFIX;
  const config = loadConfig(process.env);

  console.log(
    `bench:checkout  database ${BENCH_DATABASE}; C = ${options.concurrency.join(', ')}; ` +
      `${options.count} checkouts or ${options.seconds} s per run after ${options.warmup} warm-up`,
  );

  // 1. a fresh database, migrated
  let step = performance.now();
  await dropDatabase(config, BENCH_DATABASE);
  const type = await ensureDatabase(config);
  const dataSource = await new DataSource(dataSourceOptions(config, type)).initialize();
  let api: ChildProcess | undefined;
  const killApi = () => api?.kill('SIGKILL');
  process.once('exit', killApi);
  try {
    await runMigrationsLocked(dataSource);
    console.log(
      `  database     dropped, created and migrated in ${seconds(step)} s (${type}); ` +
        `${await clearQueueKeys(config, QUEUE_PREFIX)} Redis keys under ${QUEUE_PREFIX}: removed`,
    );

    // 2. the county
    step = performance.now();
    const seeded = await seedCounty(dataSource, config, COUNTY);
    console.log(
      `  seed         ${BENCH_TOWNSHIPS.length} townships, ${seeded.clerks.length} stores and clerks, ` +
        `${COUNTY.products} products, ${seeded.lots} lots, ${COUNTY.households} households in ${seconds(step)} s`,
    );

    // 3. the api
    step = performance.now();
    console.log(`  api build    ${buildIfStale(root, 'api')}`);
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const endpoint = new URL(base);
    const apiLog = new ProcessLog();
    step = performance.now();
    api = await startApi(root, port, {
      databaseUrl: url.toString(),
      queuePrefix: QUEUE_PREFIX,
      log: apiLog,
      // 50 clerks log in at once from one address; the limit is per address and user anyway
      env: { LOGIN_RATE_LIMIT: '1000' },
    });
    console.log(`  api          pid ${api.pid} on port ${port}, healthy after ${seconds(step)} s`);
    step = performance.now();
    const tokens = new Map<number, string>();
    for (let i = 0; i < seeded.clerks.length; i += 5) {
      const batch = seeded.clerks.slice(i, i + 5);
      const got = await Promise.all(batch.map((clerk) => login(base, clerk.username, PASSWORD)));
      batch.forEach((clerk, j) => tokens.set(clerk.userId, got[j]));
    }
    console.log(`  logins       ${tokens.size} clerks in ${seconds(step)} s`);

    // one till per store, the stores in a seeded random order
    const tills: Till[] = shuffled(seeded.clerks, random(7)).map((clerk) => ({
      ...clerk,
      cards: seeded.cardsByStore.get(clerk.storeId) ?? [],
      token: tokens.get(clerk.userId) ?? '',
    }));
    const pids = { api: api.pid, db: databasePid() };
    const maxC = Math.max(...options.concurrency);

    // 4. the app
    step = performance.now();
    const appWarm = await drive(
      'app',
      tills,
      seeded.products,
      maxC,
      options.warmup,
      120,
      1,
      (till, cart) => appCheckout(endpoint, till, cart),
      pids,
    );
    console.log(
      `  app warm-up  ${appWarm.count} checkouts in ${seconds(step)} s, failed: ${failures(appWarm)}`,
    );
    const status = await createConnection({
      host: config.database.host,
      port: config.database.port,
      socketPath: config.database.socketPath,
      user: config.database.username,
      password: config.database.password,
      database: config.database.database,
    });
    const statementCounts: string[] = [];
    const appQuestions = new Map<number, number>();
    try {
      const countTill = tills[0];
      for (const lines of [1, 8]) {
        const next = random(100 + lines);
        const counts = await countStatements(status, async () => {
          const outcome = await appCheckout(
            endpoint,
            countTill,
            cartFor(countTill, seeded.products, next, lines),
          );
          if (outcome.status !== '201')
            throw new Error(`count checkout: ${JSON.stringify(outcome)}`);
        });
        appQuestions.set(lines, counts.counts.Questions);
        statementCounts.push(`app   ${lines}-line cart: ${describeCounts(counts)}`);
      }
    } finally {
      await status.end().catch(() => undefined);
    }

    const phases: Phase[] = [];
    for (const concurrency of options.concurrency) {
      const phase = await drive(
        'app',
        tills,
        seeded.products,
        concurrency,
        options.count,
        options.seconds,
        1000 + concurrency,
        (till, cart) => appCheckout(endpoint, till, cart),
        pids,
      );
      phases.push(phase);
      printPhase(phase);
    }
    await stopProcess(api);
    console.log(
      `  api          stopped; ${await clearQueueKeys(config, QUEUE_PREFIX)} Redis keys of its queued receipt ` +
        `renders removed (no worker runs here)`,
    );
    if (apiLog.messages.size > 0) {
      console.log(`  api log      (LOG_LEVEL=warn)`);
      for (const [message, count] of [...apiLog.messages].slice(0, 15)) {
        console.log(`    ${pad(count, 5)}× ${message}`);
      }
    }

    // 5. the floor: the same transaction through mysql2, same pool size, tills and carts
    const pool = floorPool(config, type);
    try {
      const retries = { count: 0 };
      step = performance.now();
      const floorWarm = await drive(
        'floor',
        tills,
        seeded.products,
        maxC,
        options.warmup,
        120,
        1,
        (till, cart) => floorOnce(pool, till, cart, config.timeZone, retries),
        pids,
      );
      console.log(
        `  floor warm-up ${floorWarm.count} checkouts in ${seconds(step)} s, failed: ${failures(floorWarm)}`,
      );
      const counter = await createConnection({
        host: config.database.host,
        port: config.database.port,
        socketPath: config.database.socketPath,
        user: config.database.username,
        password: config.database.password,
      });
      try {
        const countTill = tills[0];
        for (const lines of [1, 8]) {
          const next = random(100 + lines);
          let own = 0;
          let roundTrips = 0;
          const counts = await countStatements(counter, async () => {
            const outcome = await floorOnce(
              pool,
              countTill,
              cartFor(countTill, seeded.products, next, lines),
              config.timeZone,
              retries,
            );
            if (outcome.status !== 'ok')
              throw new Error(`count checkout: ${JSON.stringify(outcome)}`);
            own = outcome.statements ?? 0;
            roundTrips = outcome.roundTrips ?? 0;
          });
          statementCounts.push(
            `floor ${lines}-line cart: ${own} sent in ${roundTrips} round trips; ` +
              `the server saw ${describeCounts(counts)}; ` +
              `the app sends ${(appQuestions.get(lines) ?? 0) - own} more`,
          );
        }
      } finally {
        await counter.end().catch(() => undefined);
      }
      for (const concurrency of options.concurrency) {
        const phase = await drive(
          'floor',
          tills,
          seeded.products,
          concurrency,
          options.count,
          options.seconds,
          1000 + concurrency,
          (till, cart) => floorOnce(pool, till, cart, config.timeZone, retries),
          pids,
        );
        phases.push(phase);
        printPhase(phase);
      }
      console.log(`  floor        deadlock/lock-timeout retries: ${retries.count}`);
    } finally {
      await pool.end();
    }

    // 6. the ledgers
    step = performance.now();
    const stock = await findStockLedgerMismatches(dataSource.manager);
    const points = await findPointsLedgerMismatches(dataSource.manager);
    const [totals] = await dataSource.query<
      { redemptions: string; lineCount: string; movements: string; households: string }[]
    >(
      `SELECT (SELECT COUNT(*) FROM redemptions) AS redemptions,
              (SELECT COUNT(*) FROM redemption_lines) AS lineCount,
              (SELECT COUNT(*) FROM stock_movements WHERE kind = 'redemption_out') AS movements,
              (SELECT COUNT(*) FROM households) AS households`,
    );
    const expected = phases.reduce((sum, phase) => sum + succeeded(phase), 0);

    // summary
    console.log('');
    console.log('summary (checkouts/s counts 201s or committed floor transactions; latency in ms)');
    console.log(
      '  path   C   checkouts  seconds  checkouts/s    p50    p95    p99     max  failed',
    );
    for (const phase of phases) {
      const l = phase.latencies;
      console.log(
        `  ${phase.path.padEnd(5)} ${pad(phase.concurrency, 2)}  ${pad(phase.count, 10)}  ` +
          `${pad(phase.seconds.toFixed(1), 7)}  ${pad((succeeded(phase) / phase.seconds).toFixed(1), 11)}  ` +
          `${pad(percentile(l, 50).toFixed(1), 5)}  ${pad(percentile(l, 95).toFixed(1), 5)}  ` +
          `${pad(percentile(l, 99).toFixed(1), 5)}  ${pad((l.at(-1) ?? 0).toFixed(1), 6)}  ${failures(phase)}`,
      );
    }
    for (const concurrency of options.concurrency) {
      const app = phases.find((p) => p.path === 'app' && p.concurrency === concurrency);
      const floor = phases.find((p) => p.path === 'floor' && p.concurrency === concurrency);
      if (!app || !floor) continue;
      const ratio = succeeded(app) / app.seconds / (succeeded(floor) / floor.seconds);
      console.log(
        `  app/floor throughput at C=${concurrency}: ${ratio.toFixed(2)} ` +
          `(p50 ${(percentile(app.latencies, 50) / percentile(floor.latencies, 50)).toFixed(1)}× the floor's)`,
      );
    }
    console.log(
      '  statements per checkout (MariaDB global Questions around one checkout on a quiet server):',
    );
    for (const line of statementCounts) console.log(`    ${line}`);
    console.log(
      `  ledgers      stock: ${seeded.lots} lots, ${stock.length} mismatches; ` +
        `points: ${Number(totals?.households)} households, ${points.length} mismatches ` +
        `(${seconds(step)} s)`,
    );
    console.log(
      `  rows         ${Number(totals?.redemptions)} redemptions (measured runs ${expected} + ` +
        `warm-ups and counting), ${Number(totals?.lineCount)} lines, ` +
        `${Number(totals?.movements)} redemption_out movements`,
    );
    console.log(`  total        ${seconds(runStarted)} s`);
    if (stock.length > 0 || points.length > 0) process.exitCode = 1;
  } finally {
    if (api) await stopProcess(api);
    process.removeListener('exit', killApi);
    await dataSource.destroy();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exit(1);
});
