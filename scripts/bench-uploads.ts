// `npm run bench:uploads [-- --rows 10000]`: hostile and honest spreadsheets sent to the built api.
// In its own database, charity_bench_uploads (dropped and migrated afresh, a county of three
// townships seeded), it builds the api if needed, starts it, and uploads one file at a time:
// the inline-string bombs of the issue (245 MB and 490 MB of sheet XML), a workbook of 60 parts,
// an entry that inflates past the size its zip declares, a shared strings table filling the 20 MB
// cap, a roster one row past the 20,000-row limit, and a legitimate roster of --rows households
// (XLSX). For each it prints the answer, the wall time, the CPU time the api process spent, its
// peak RSS during the upload (VmHWM, reset before each file) and how /health answered meanwhile
// (polled one request after another from the moment the upload is sent).
import 'reflect-metadata';
import { loadConfig, loadEnvFile } from '@charity/config';
import { dataSourceOptions, ensureDatabase, runMigrationsLocked } from '@charity/database';
import { withCheckCharacter } from '@charity/households';
import { Logger } from '@nestjs/common';
import ExcelJS from 'exceljs';
import { type ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { DataSource } from 'typeorm';
import {
  inlineStringBomb,
  manySheets,
  sharedStringFlood,
  understated,
} from '../test/support/hostile-sheets';
import {
  buildIfStale,
  clearQueueKeys,
  dropDatabase,
  errorText,
  freePort,
  insertRows,
  login,
  pad,
  ProcessLog,
  seconds,
  startApi,
  stopProcess,
  whole,
  insertBenchAdmin,
} from './bench-support';
import { random } from './seeded-random';

const BENCH_DATABASE = 'charity_bench_uploads';
const DEFAULT_DATABASE_URL = 'mysql://charity:charity@127.0.0.1:3306/charity_supermarket';
const QUEUE_PREFIX = 'bench_uploads';
const ADMIN = 'bench_upload_admin';
const PASSWORD = 'Bench2026uploads';
const MB = 1024 * 1024;
/** A /health probe slower than this counts as failed. */
const HEALTH_TIMEOUT_MS = 10_000;

/** 镇 → its villages, one shop each. */
const COUNTY: Record<string, string[]> = {
  城关镇: ['西关村', '东关村', '南街社区', '北街社区'],
  东坪镇: ['上庄村', '南岭村', '王庄村', '河东村'],
  柳河镇: ['柳河村', '李家村', '张家村', '赵庄村'],
};
const SURNAMES = [...'王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹'];
const GIVEN = [...'秀英桂兰建国玉梅志强淑珍春花文华明德金凤玉兰永红海燕国华翠花'];
const CATEGORIES = ['五保', '低保', '低保', '低保', '特困', '建档立卡', '一般户'];

type Route = 'households' | 'awards';

interface Upload {
  label: string;
  route: Route;
  fileName: string;
  file: Buffer;
}

interface Outcome {
  answer: string;
  wallS: number;
  cpuS: number | null;
  peakRssMb: number | null;
  health: { probes: number; failed: number; maxMs: number };
}

// ------------------------------------------------------------------------------------- seeding

/** The county, its townships and villages, a shop per township, and one county admin. */
async function seed(dataSource: DataSource): Promise<void> {
  const now = new Date();
  const regions: unknown[][] = [[1, '青山县', 'county', null, null, now]];
  const stores: unknown[][] = [];
  let id = 1;
  for (const [township, villages] of Object.entries(COUNTY)) {
    const townshipId = (id += 1);
    regions.push([townshipId, township, 'township', 1, null, now]);
    for (const village of villages)
      regions.push([(id += 1), village, 'village', townshipId, null, now]);
    const n = stores.length + 1;
    stores.push([n, `QS0${n}`, `${township}爱心超市`, townshipId, null, null, 1, now, now]);
  }
  await insertRows(
    dataSource,
    'regions',
    ['id', 'name', 'level', 'parent_id', 'code', 'created_at'],
    regions,
  );
  await insertRows(
    dataSource,
    'stores',
    ['id', 'code', 'name', 'region_id', 'address', 'phone', 'active', 'created_at', 'updated_at'],
    stores,
  );
  await insertBenchAdmin(dataSource, {
    id: 1,
    username: ADMIN,
    displayName: '压测管理员',
    password: PASSWORD,
    at: now,
  });
}

// --------------------------------------------------------------------------------------- files

/** A roster of `rows` households as Excel saves it: distinct valid ID numbers, `镇/村` places. */
async function roster(rows: number): Promise<Buffer> {
  const next = random(20261207);
  const pick = <T>(items: T[]): T => items[Math.floor(next() * items.length)];
  const places = Object.entries(COUNTY).flatMap(([township, villages]) =>
    villages.map((village) => `${township}/${village}`),
  );
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('困难户名单');
  sheet.addRow([
    '序号',
    '户主姓名',
    '身份证号码',
    '类别',
    '家庭人口',
    '镇/村',
    '联系电话',
    '家庭住址',
  ]);
  for (let i = 0; i < rows; i += 1) {
    // a new birth date every thousand rows, a sequence number within it
    const day = new Date(Date.UTC(1940, 0, 1) + Math.floor(i / 1000) * 86_400_000 * 3);
    const birth = day.toISOString().slice(0, 10).replace(/-/g, '');
    const place = pick(places);
    sheet.addRow([
      i + 1,
      pick(SURNAMES) + pick(GIVEN) + (next() < 0.5 ? pick(GIVEN) : ''),
      withCheckCharacter(`410523${birth}${String(i % 1000).padStart(3, '0')}`),
      pick(CATEGORIES),
      1 + Math.floor(next() * 6),
      place,
      next() < 0.6 ? `13${String(Math.floor(next() * 1e9)).padStart(9, '0')}` : '',
      `${place.split('/')[1]}${1 + Math.floor(next() * 9)}组${1 + Math.floor(next() * 60)}号`,
    ]);
  }
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

async function uploads(rows: number): Promise<Upload[]> {
  const bomb245 = await inlineStringBomb(245 * MB);
  const bomb490 = await inlineStringBomb(490 * MB);
  const lying = understated(await inlineStringBomb(100 * MB), 'xl/worksheets/sheet1.xml', MB);
  const pastLimit = await roster(20_001);
  return [
    { label: 'bomb, 245 MB of rows', route: 'households', fileName: 'a.xlsx', file: bomb245 },
    { label: 'bomb, 490 MB of rows', route: 'households', fileName: 'a.xlsx', file: bomb490 },
    { label: 'bomb, 490 MB of rows', route: 'awards', fileName: 'a.xlsx', file: bomb490 },
    {
      label: 'workbook of 60 parts',
      route: 'households',
      fileName: 'a.xlsx',
      file: await manySheets(45),
    },
    { label: '100 MB entry declared 1 MB', route: 'households', fileName: 'a.xlsx', file: lying },
    {
      label: '20 MB shared strings (cap)',
      route: 'households',
      fileName: 'a.xlsx',
      file: await sharedStringFlood(20 * MB - 8192),
    },
    { label: '20,001 households', route: 'households', fileName: 'a.xlsx', file: pastLimit },
    {
      label: `${rows.toLocaleString('en')} households`,
      route: 'households',
      fileName: '困难户名单.xlsx',
      file: await roster(rows),
    },
  ];
}

// ---------------------------------------------------------------------------------- measuring

/** Seconds of CPU a process has used (user + system), or null without /proc. */
function cpuSeconds(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return null;
  }
}

/** Resets the process's peak RSS (Linux: 5 > clear_refs); false when it cannot. */
function resetPeakRss(pid: number): boolean {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, '5');
    return true;
  } catch {
    return false;
  }
}

/** The process's peak RSS in MB (VmHWM), or null without /proc. */
function peakRssMb(pid: number): number | null {
  try {
    const kb = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kb === undefined ? null : Number(kb) / 1024;
  } catch {
    return null;
  }
}

async function send(base: string, token: string, upload: Upload, regionId: number) {
  const form = new FormData();
  if (upload.route === 'awards') {
    form.append('regionId', String(regionId));
    form.append('month', new Date().toISOString().slice(0, 7));
  }
  form.append('file', new Blob([upload.file]), upload.fileName);
  const path = upload.route === 'awards' ? 'point-awards/batch/upload' : 'households/import';
  const response = await fetch(`${base}/api/v1/${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}` },
    body: form,
  });
  const body = (await response.json()) as { code?: string; imported?: number };
  return `${response.status} ${body.code ?? (body.imported === undefined ? '' : `imported ${body.imported}`)}`;
}

/** One upload while /health is asked again and again until the upload has its answer. */
async function measure(
  base: string,
  api: ChildProcess,
  token: string,
  upload: Upload,
  regionId: number,
): Promise<Outcome> {
  const pid = api.pid ?? 0;
  resetPeakRss(pid);
  const cpuBefore = cpuSeconds(pid);
  const started = performance.now();
  let done = false;
  const answered = send(base, token, upload, regionId)
    .catch((error: unknown) => `failed: ${errorText(error)}`)
    .finally(() => {
      done = true;
    });
  const health = { probes: 0, failed: 0, maxMs: 0 };
  do {
    const asked = performance.now();
    try {
      const response = await fetch(`${base}/health`, {
        signal: AbortSignal.timeout(HEALTH_TIMEOUT_MS),
      });
      await response.text();
      if (response.status !== 200) health.failed += 1;
    } catch {
      health.failed += 1;
    }
    health.probes += 1;
    health.maxMs = Math.max(health.maxMs, performance.now() - asked);
  } while (!done && api.exitCode === null);
  const answer = await answered;
  const wallS = (performance.now() - started) / 1000;
  const cpuAfter = cpuSeconds(pid);
  return {
    answer: api.exitCode === null ? answer : `api exited (${api.exitCode})`,
    wallS,
    cpuS: cpuBefore === null || cpuAfter === null ? null : cpuAfter - cpuBefore,
    peakRssMb: peakRssMb(pid),
    health,
  };
}

// ---------------------------------------------------------------------------------------- main

async function main(): Promise<void> {
  const rows = whole(process.argv.slice(2), 'rows', 10_000);
  const root = resolve(__dirname, '..');

  Logger.overrideLogger(['error', 'warn']);
  loadEnvFile();
  const url = new URL(process.env.DATABASE_URL ?? DEFAULT_DATABASE_URL);
  url.pathname = `/${BENCH_DATABASE}`;
  process.env.DATABASE_URL = url.toString();
  process.env.DEMO_DATA = 'false';
  process.env.QUEUE_PREFIX = QUEUE_PREFIX;
  const config = loadConfig(process.env);
  console.log(`bench:uploads  database ${BENCH_DATABASE}; a legitimate roster of ${rows} rows`);

  let step = performance.now();
  await dropDatabase(config, BENCH_DATABASE);
  const type = await ensureDatabase(config);
  const dataSource = await new DataSource(dataSourceOptions(config, type)).initialize();
  let api: ChildProcess | undefined;
  const killApi = () => api?.kill('SIGKILL');
  process.once('exit', killApi);
  try {
    await runMigrationsLocked(dataSource);
    await seed(dataSource);
    console.log(
      `  database     dropped, created, migrated and seeded in ${seconds(step)} s (${type}); ` +
        `${await clearQueueKeys(config, QUEUE_PREFIX)} Redis keys under ${QUEUE_PREFIX}: removed`,
    );
    step = performance.now();
    const files = await uploads(rows);
    console.log(`  files        ${files.length} built in ${seconds(step)} s`);

    console.log(`  api build    ${buildIfStale(root, 'api')}`);
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const log = new ProcessLog();
    const start = async (): Promise<ChildProcess> => {
      step = performance.now();
      const started = await startApi(root, port, {
        databaseUrl: url.toString(),
        queuePrefix: QUEUE_PREFIX,
        log,
      });
      console.log(
        `  api          pid ${started.pid} on port ${port}, healthy after ${seconds(step)} s`,
      );
      return started;
    };
    api = await start();
    const [{ id: villageId }] = await dataSource.query<{ id: number }[]>(
      "SELECT id FROM regions WHERE level = 'village' ORDER BY id LIMIT 1",
    );

    console.log(
      `\n  ${'upload'.padEnd(40)}${pad('file', 9)}  ${'answer'.padEnd(26)}${pad('wall s', 8)}` +
        `${pad('api CPU s', 11)}${pad('peak RSS MB', 13)}${pad('/health', 9)}${pad('max ms', 8)}` +
        `${pad('failed', 8)}`,
    );
    const token = await login(base, ADMIN, PASSWORD);
    for (const upload of files) {
      // the old reader ran out of heap on the larger bomb: the next file gets a fresh api
      if (api.exitCode !== null) api = await start();
      const outcome = await measure(base, api, token, upload, villageId);
      const size = `${(upload.file.length / MB).toFixed(2)} MB`;
      console.log(
        `  ${`${upload.route}: ${upload.label}`.padEnd(40)}${pad(size, 9)}  ` +
          `${outcome.answer.slice(0, 25).padEnd(26)}${pad(outcome.wallS.toFixed(2), 8)}` +
          `${pad(outcome.cpuS?.toFixed(2) ?? '–', 11)}${pad(outcome.peakRssMb?.toFixed(0) ?? '–', 13)}` +
          `${pad(outcome.health.probes, 9)}${pad(outcome.health.maxMs.toFixed(0), 8)}` +
          `${pad(outcome.health.failed, 8)}`,
      );
    }
    const [{ count }] = await dataSource.query<{ count: string }[]>(
      'SELECT COUNT(*) AS count FROM households',
    );
    console.log(`\n  households in the database afterwards: ${count}`);
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
