// `npm run drill:faults [-- --only a,b,c,d --checkouts 200 --tills 8 --keep --dump <path>]`: the fault drill.
// Starts its own MariaDB (mariadb-install-db into a temporary directory, mariadbd on a free port)
// and its own Redis (no persistence), seeds a small county into them, builds the api and worker
// if their sources changed and starts them from dist/. Then, per fault, 8 tills ring up a burst
// of 200 checkouts (a fresh Idempotency-Key each, the same key again for every retry) while the
// drill (a) freezes the database 10 s, (b) kills it -9 and starts it again, (c) kills Redis and
// starts it again empty, (d) kills the worker -9 in the middle of a report export and starts it
// again. It prints per fault the answers by status, the waits, the time to recover and the
// checks of the database afterwards, and exits 1 if anything was lost, doubled, left half-done,
// a receipt number is missing, an export did not finish or a check failed. Never touches the
// machine's own MariaDB or Redis; kills its children and removes its directory on exit.
import 'reflect-metadata';
import { businessDate } from '@charity/common';
import { loadConfig, type AppConfig } from '@charity/config';
import { dataSourceOptions, ensureDatabase, runMigrationsLocked } from '@charity/database';
import { QUEUES } from '@charity/queue';
import { rebuildReportTotals } from '@charity/reports';
import { Logger } from '@nestjs/common';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { DataSource, type EntityManager } from 'typeorm';
import { seedCounty, type CountySize } from './bench-county';
import {
  buildIfStale,
  freePort,
  insertBenchAdmin,
  login,
  option,
  seconds,
  whole,
} from './bench-support';
import { Apps } from './drill/apps';
import { Burst, type DrillTill } from './drill/burst';
import { FAULTS, type Fault, type FaultContext } from './drill/faults';
import { figuresOf, printFault, type FaultFigures } from './drill/figures';
import { keptAlive, send } from './drill/http';
import { checkOutageAnswers, probe } from './drill/probes';
import {
  checkExports,
  checkLedgers,
  checkReceiptNumbers,
  checkTillsAgainstDatabase,
  checkWholeCheckouts,
  receiptsStored,
  type CheckResult,
} from './drill/ledger-checks';
import { drained } from './drill/queues';
import { Children, OwnMariaDb, OwnRedis } from './drill/servers';

const DATABASE = 'charity_drill';
const DB_USER = 'charity';
const DB_PASSWORD = 'drill-charity';
const QUEUE_PREFIX = 'drill';
const PASSWORD = 'Drill2026faults';
const ADMIN = 'drill_admin';
const COUNTY: CountySize = {
  townships: 2,
  storesPerTownship: 2,
  products: 60,
  households: 400,
  lotQuantity: 1_000_000,
  openingPoints: 1_000_000,
  password: PASSWORD,
};
/** The fault starts once this many checkouts of the burst have had their first answer. */
const FAULT_AFTER_ANSWERS = 30;
const FREEZE_MS = 10_000;
/** How long a killed server stays down before it is started again. */
const DOWN_MS = 5_000;
/** The worker's job lock (QUEUE_LOCK_MS): how soon a killed worker's export is taken again. */
const WORKER_LOCK_MS = '5000';
/** Slows each export step (the worker's test hook) so the kill lands in the middle of one. */
const EXPORT_STEP_DELAY_MS = '1000';

interface Options {
  faults: Fault[];
  checkouts: number;
  tills: number;
  keep: boolean;
  /** Writes every attempt and probe of each fault as JSON here, for a closer look. */
  dump: string | undefined;
}

function parseOptions(args: string[]): Options {
  const only = (option(args, 'only') ?? 'a,b,c,d').split(',');
  const faults = FAULTS.filter((fault) => only.includes(fault.id));
  if (faults.length !== only.length) throw new Error(`--only takes a,b,c,d, got ${only.join(',')}`);
  return {
    faults,
    checkouts: whole(args, 'checkouts', 200),
    tills: whole(args, 'tills', 8),
    keep: args.includes('--keep'),
    dump: option(args, 'dump'),
  };
}

async function withDatabase<T>(
  config: AppConfig,
  work: (em: EntityManager) => Promise<T>,
): Promise<T> {
  const dataSource = await new DataSource(dataSourceOptions(config, 'mariadb')).initialize();
  try {
    return await work(dataSource.manager);
  } finally {
    await dataSource.destroy();
  }
}

/** The county, an admin to ask for exports, and month totals that agree with the seeded ledgers. */
async function seed(config: AppConfig) {
  await ensureDatabase(config);
  const dataSource = await new DataSource(dataSourceOptions(config, 'mariadb')).initialize();
  try {
    await runMigrationsLocked(dataSource);
    const county = await seedCounty(dataSource, config, COUNTY);
    const now = new Date();
    await insertBenchAdmin(dataSource, {
      id: county.clerks.length + 1,
      username: ADMIN,
      displayName: '演练管理员',
      password: PASSWORD,
      at: now,
    });
    await dataSource.transaction((em) => rebuildReportTotals(em));
    return county;
  } finally {
    await dataSource.destroy();
  }
}

/** Waits until GET /health answers 200 (the api sees the database and Redis again). */
async function healthy(base: URL, withinMs: number): Promise<string> {
  const deadline = performance.now() + withinMs;
  let last = '';
  while (performance.now() < deadline) {
    last = (await send(base, { method: 'GET', path: '/health', timeoutMs: 3000 })).label;
    if (last === '200') return last;
    await sleep(250);
  }
  return last;
}

interface FaultResult {
  fault: Fault;
  figures: FaultFigures;
  failed: CheckResult[];
}

async function runFault(
  fault: Fault,
  ctx: FaultContext,
  config: AppConfig,
  tills: DrillTill[],
  products: Awaited<ReturnType<typeof seed>>['products'],
  options: Options,
): Promise<FaultResult> {
  console.log('');
  console.log(`(${fault.id}) ${fault.title}`);
  const keyPrefix = `drill-${fault.id}-${Date.now()}`;
  const logBefore = new Map(ctx.apps.apiLog.messages);
  const exitsBefore = ctx.apps.unexpected.length;
  const burst = new Burst(ctx.base, tills, products, {
    checkouts: options.checkouts,
    thinkMs: 600,
    timeoutMs: 12_000,
    maxAttempts: 100,
    giveUpMs: 90_000,
    keyPrefix,
    seed: fault.id.charCodeAt(0) * 1000,
  });
  const running = burst.run();
  await burst.firstAnswers(FAULT_AFTER_ANSWERS);
  let probing = true;
  const probes = probe(ctx.base, { username: ADMIN, password: PASSWORD }, () => probing);
  const window = await fault.inject(ctx);
  await running;
  // a few probes after the fault too, to see them answer again
  while (performance.now() - window.endedAt < 3000) await sleep(100);
  probing = false;
  const probed = await probes;
  const health = await healthy(ctx.base, 60_000);

  const checks: CheckResult[] = [
    ...window.checks,
    ...checkOutageAnswers(fault, burst.checkouts, probed, window),
  ];
  if (health !== '200')
    checks.push({ name: 'api healthy after', ok: false, detail: `/health ${health} 60 s on` });
  const exits = ctx.apps.unexpected.slice(exitsBefore);
  checks.push({
    name: 'api and worker stayed up',
    ok: exits.length === 0,
    detail:
      exits.length === 0
        ? 'no unexpected exit'
        : exits
            .map((exit) => `${exit.app} ${exit.how} (${exit.lastWords.join(' | ').slice(0, 300)})`)
            .join('; '),
  });
  // the receipts the worker renders after each checkout: lost jobs render when first opened
  const left = await drained(ctx.redis.url, QUEUE_PREFIX, QUEUES.documents, 60_000);
  const { stored, redemptions } = await withDatabase(config, (em) => receiptsStored(em, keyPrefix));
  const receipts =
    `receipts     ${stored} of the burst's ${redemptions} redemptions have their receipt rendered ` +
    (left === 0 ? '(documents queue empty)' : `(${left} render jobs still queued after 60 s)`);
  checks.push(
    ...(await withDatabase(config, async (em) => [
      ...(await checkTillsAgainstDatabase(em, burst.checkouts, keyPrefix)),
      ...(await checkLedgers(em)),
      await checkReceiptNumbers(em),
      await checkWholeCheckouts(em),
      await checkExports(em),
    ])),
  );
  const figures = figuresOf(burst.checkouts, window);
  if (figures.refused + figures.unresolved > 0) {
    checks.push({
      name: 'every checkout succeeded',
      ok: false,
      detail: `${figures.refused} refused and ${figures.unresolved} given up of ${burst.checkouts.length}, though every household could pay`,
    });
  }
  const logged = [...ctx.apps.apiLog.messages]
    .map(([message, n]): [string, number] => [message, n - (logBefore.get(message) ?? 0)])
    .filter(([, n]) => n > 0)
    .sort((a, b) => b[1] - a[1]);
  printFault({
    checkouts: burst.checkouts,
    window,
    burst: { startedAt: burst.startedAt, endedAt: burst.endedAt, tills: tills.length },
    probes: probed,
    apiLog: logged,
    notes: [receipts],
    checks,
  });
  if (options.dump) {
    const relative = (t: number) => Math.round(t - window.startedAt);
    writeFileSync(
      `${options.dump}.${fault.id}.json`,
      JSON.stringify({
        window: { ...window, startedAt: 0, endedAt: relative(window.endedAt) },
        attempts: burst.checkouts.flatMap((c) =>
          c.attempts.map((a) => ({
            key: c.key,
            till: c.till,
            label: a.label,
            sent: relative(a.sentAt),
            answered: relative(a.answeredAt),
          })),
        ),
        probes: probed.map((p) => ({ ...p, sentAt: relative(p.sentAt) })),
      }),
    );
  }
  return { fault, figures, failed: checks.filter((check) => !check.ok) };
}

async function main(): Promise<number> {
  const options = parseOptions(process.argv.slice(2));
  const root = resolve(__dirname, '..');
  const started = performance.now();
  Logger.overrideLogger(['error', 'warn']);

  const dir = mkdtempSync(join(tmpdir(), 'drill-faults-'));
  const children = new Children();
  process.once('exit', () => {
    children.killAll();
    if (!options.keep) rmSync(dir, { recursive: true, force: true });
  });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      console.error(`\n${signal}: stopping the drill's processes`);
      process.exit(130);
    });
  }
  console.log(
    `drill:faults  ${options.faults.map((f) => f.id).join(', ')}; ${options.checkouts} checkouts from ${options.tills} tills per fault; files in ${dir}`,
  );

  // 1. our own servers
  let step = performance.now();
  const db = new OwnMariaDb(dir, await freePort(), children);
  db.install();
  await db.start();
  await db.createUser(DB_USER, DB_PASSWORD);
  const redis = new OwnRedis(dir, await freePort(), children);
  await redis.start();
  console.log(`  servers      ${db.describe()}; ${redis.describe()} (${seconds(step)} s)`);

  const databaseUrl = `mysql://${DB_USER}:${DB_PASSWORD}@127.0.0.1:${db.port}/${DATABASE}`;
  // the drill's own config, read as the apps will read theirs
  process.env.DATABASE_URL = databaseUrl;
  process.env.REDIS_URL = redis.url;
  process.env.QUEUE_PREFIX = QUEUE_PREFIX;
  process.env.DEMO_DATA = 'false';
  const config = loadConfig(process.env);

  // 2. the county
  step = performance.now();
  const county = await seed(config);
  console.log(
    `  seed         ${COUNTY.townships * COUNTY.storesPerTownship} stores, ${COUNTY.products} products, ` +
      `${county.lots} lots, ${COUNTY.households} households with ${COUNTY.openingPoints} points (${seconds(step)} s)`,
  );

  // 3. the api and the worker
  console.log(
    `  build        api ${buildIfStale(root, 'api')}, worker ${buildIfStale(root, 'worker')}`,
  );
  const port = await freePort();
  const base = new URL(`http://127.0.0.1:${port}`);
  const apps = new Apps(
    root,
    port,
    {
      databaseUrl,
      queuePrefix: QUEUE_PREFIX,
      env: { REDIS_URL: redis.url, LOGIN_RATE_LIMIT: '1000' },
    },
    { QUEUE_LOCK_MS: WORKER_LOCK_MS, REPORT_EXPORT_STEP_DELAY_MS: EXPORT_STEP_DELAY_MS },
    children,
  );
  try {
    step = performance.now();
    await apps.startApi();
    await apps.startWorker();
    console.log(
      `  apps         api pid ${apps.api?.pid} on port ${port}, worker pid ${apps.worker?.pid} (${seconds(step)} s)`,
    );

    const clerks = county.clerks.slice(0, Math.min(options.tills, county.clerks.length));
    const tills: DrillTill[] = [];
    for (let i = 0; i < options.tills; i += 1) {
      const clerk = county.clerks[i % county.clerks.length];
      tills.push({
        username: clerk.username,
        storeId: clerk.storeId,
        cards: county.cardsByStore.get(clerk.storeId) ?? [],
        token: await login(base.toString().replace(/\/$/, ''), clerk.username, PASSWORD),
        agent: keptAlive(),
      });
    }
    const adminToken = await login(base.toString().replace(/\/$/, ''), ADMIN, PASSWORD);
    console.log(`  tills        ${tills.length} at ${clerks.length} stores, logged in`);

    const ctx: FaultContext = {
      db,
      redis,
      apps,
      base,
      adminToken,
      queuePrefix: QUEUE_PREFIX,
      month: businessDate(new Date(), config.timeZone).slice(0, 7),
      freezeMs: FREEZE_MS,
      downMs: DOWN_MS,
    };
    const results: FaultResult[] = [];
    for (const fault of options.faults) {
      results.push(await runFault(fault, ctx, config, tills, county.products, options));
    }

    console.log('');
    console.log('summary');
    console.log(
      '  fault  succeeded  after retry  refused  given up  failed answers  recovery s  failed checks',
    );
    for (const { fault, figures, failed } of results) {
      console.log(
        `  (${fault.id})    ${String(figures.succeeded).padStart(9)}  ${String(figures.afterRetry).padStart(11)}  ` +
          `${String(figures.refused).padStart(7)}  ${String(figures.unresolved).padStart(8)}  ` +
          `${String(figures.failedAnswers).padStart(14)}  ${(figures.recoverySeconds?.toFixed(2) ?? '-').padStart(10)}  ` +
          `${failed.length === 0 ? 'none' : failed.map((check) => check.name).join(', ')}`,
      );
    }
    const failures = results.flatMap((result) => result.failed);
    console.log(
      `  drill        ${failures.length === 0 ? 'PASSED' : `FAILED (${failures.length} checks)`} in ${seconds(started)} s`,
    );
    return failures.length === 0 ? 0 : 1;
  } finally {
    await apps.stop();
    await redis.stop();
    await db.stop();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : error);
    process.exit(2);
  },
);
