// `npm run bench:import [-- --rows 10000 --runs 3]`: imports a generated 困难户 roster (CSV, valid
// synthetic ID numbers over a few townships and villages) through HouseholdImportService, as the
// api does, and prints rows, seconds and rows per second for each run. It works in its own
// database, charity_bench_import, dropped and migrated afresh at the start and emptied between runs.
import 'reflect-metadata';
import { AuditModule } from '@charity/audit';
import { SYSTEM_ACTOR } from '@charity/common';
import { ConfigModule, loadEnvFile } from '@charity/config';
import { DatabaseModule } from '@charity/database';
import {
  HouseholdImportService,
  HouseholdsModule,
  readHouseholdSheet,
  withCheckCharacter,
} from '@charity/households';
import { OrganisationModule, RegionsService, StoresService } from '@charity/organisation';
import { QueueModule } from '@charity/queue';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { createConnection } from 'mysql2/promise';
import { performance } from 'node:perf_hooks';
import { DataSource } from 'typeorm';
import { random } from './seeded-random';

const BENCH_DATABASE = 'charity_bench_import';
const DEFAULT_DATABASE_URL = 'mysql://charity:charity@127.0.0.1:3306/charity_supermarket';

/** 镇 → its villages; 东坪镇 has two shops, so its rows name theirs in 门店. */
const COUNTY: Record<string, string[]> = {
  城关镇: ['西关村', '东关村', '南街社区', '北街社区'],
  东坪镇: ['上庄村', '南岭村', '王庄村', '河东村'],
  柳河镇: ['王庄村', '柳河村', '李家村', '张家村'],
};
const SURNAMES = [...'王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹'];
const GIVEN = [...'秀英桂兰建国玉梅志强淑珍春花文华明德金凤玉兰永红海燕国华翠花'];
const CATEGORIES = ['五保', '低保', '低保', '低保', '特困', '建档立卡', '一般户'];

@Module({
  imports: [
    ConfigModule,
    DatabaseModule,
    QueueModule,
    AuditModule,
    OrganisationModule,
    HouseholdsModule,
  ],
})
class BenchImportModule {}

function option(args: string[], name: string, fallback: number): number {
  const at = args.findIndex((arg) => arg === `--${name}` || arg.startsWith(`--${name}=`));
  if (at < 0) return fallback;
  const value = args[at].includes('=') ? args[at].split('=')[1] : args[at + 1];
  const number = Number(value);
  if (!Number.isInteger(number) || number < 1) {
    throw new Error(`--${name} must be a whole number ≥ 1, got ${value}`);
  }
  return number;
}

/** A roster as Excel saves "CSV UTF-8"; every ID number valid and distinct. */
function roster(rows: number, storeCodes: Map<string, string>): Buffer {
  const next = random(20261122);
  const pick = <T>(items: T[]): T => items[Math.floor(next() * items.length)];
  const places = Object.entries(COUNTY).flatMap(([township, villages]) =>
    villages.map((village) => ({ township, village })),
  );
  const lines = ['序号,户主姓名,身份证号码,类别,家庭人口,镇/村,联系电话,家庭住址,门店'];
  for (let i = 0; i < rows; i += 1) {
    // a new birth date every thousand rows, a sequence number within it
    const day = new Date(Date.UTC(1940, 0, 1) + Math.floor(i / 1000) * 86_400_000 * 3);
    const birth = day.toISOString().slice(0, 10).replace(/-/g, '');
    const id = withCheckCharacter(`410523${birth}${String(i % 1000).padStart(3, '0')}`);
    const { township, village } = pick(places);
    const phone = next() < 0.6 ? `13${String(Math.floor(next() * 1e9)).padStart(9, '0')}` : '';
    lines.push(
      [
        i + 1,
        pick(SURNAMES) + pick(GIVEN) + (next() < 0.5 ? pick(GIVEN) : ''),
        id,
        pick(CATEGORIES),
        1 + Math.floor(next() * 6),
        `${township}/${village}`,
        phone,
        `${village}${1 + Math.floor(next() * 9)}组${1 + Math.floor(next() * 60)}号`,
        storeCodes.get(township) ?? '',
      ].join(','),
    );
  }
  return Buffer.from(`\uFEFF${lines.join('\r\n')}\r\n`);
}

async function freshDatabase(url: string): Promise<void> {
  const parsed = new URL(url);
  const server = await createConnection({
    host: parsed.hostname,
    port: parsed.port ? Number(parsed.port) : 3306,
    user: decodeURIComponent(parsed.username),
    password: decodeURIComponent(parsed.password),
  });
  try {
    await server.query(`DROP DATABASE IF EXISTS \`${BENCH_DATABASE}\``);
  } finally {
    await server.end();
  }
}

async function emptyHouseholds(dataSource: DataSource): Promise<void> {
  await dataSource.transaction(async (em) => {
    await em.query('SET FOREIGN_KEY_CHECKS = 0');
    await em.query('TRUNCATE TABLE households');
    await em.query('TRUNCATE TABLE audit_entries');
    await em.query('SET FOREIGN_KEY_CHECKS = 1');
  });
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const rows = option(args, 'rows', 10_000);
  const runs = option(args, 'runs', 3);

  loadEnvFile();
  const url = new URL(process.env.DATABASE_URL ?? DEFAULT_DATABASE_URL);
  url.pathname = `/${BENCH_DATABASE}`;
  await freshDatabase(url.toString());
  // the one validated config reads these: its own database, migrated, without demo data
  process.env.DATABASE_URL = url.toString();
  process.env.RUN_MIGRATIONS = 'true';
  process.env.DEMO_DATA = 'false';
  process.env.QUEUE_PREFIX = 'bench_import';

  const app = await NestFactory.createApplicationContext(BenchImportModule, {
    logger: ['error', 'warn'],
  });
  try {
    const regions = app.get(RegionsService);
    const stores = app.get(StoresService);
    const county = await regions.create(SYSTEM_ACTOR, {
      name: '青山县',
      level: 'county',
      parentId: null,
    });
    const storeCodes = new Map<string, string>();
    let n = 0;
    for (const [townshipName, villages] of Object.entries(COUNTY)) {
      const township = await regions.create(SYSTEM_ACTOR, {
        name: townshipName,
        level: 'township',
        parentId: county.id,
      });
      for (const name of villages) {
        await regions.create(SYSTEM_ACTOR, { name, level: 'village', parentId: township.id });
      }
      const shops = townshipName === '东坪镇' ? 2 : 1;
      for (let i = 0; i < shops; i += 1) {
        n += 1;
        const store = await stores.create(SYSTEM_ACTOR, {
          code: `QS0${n}`,
          name: `${townshipName}爱心超市${i === 0 ? '' : `（${i + 1}）`}`,
          regionId: township.id,
        });
        if (i === 0 && shops > 1) storeCodes.set(townshipName, store.code);
      }
    }

    const file = { buffer: roster(rows, storeCodes), fileName: 'bench.csv' };
    const imports = app.get(HouseholdImportService);
    const dataSource = app.get(DataSource);
    console.log(
      `bench:import  ${rows} rows, ${(file.buffer.length / 1024).toFixed(0)} KB CSV, ` +
        `${Object.keys(COUNTY).length} townships, ${n} stores`,
    );
    const rates: number[] = [];
    for (let run = 1; run <= runs; run += 1) {
      await emptyHouseholds(dataSource);
      const parseStart = performance.now();
      await readHouseholdSheet(file);
      const parseS = (performance.now() - parseStart) / 1000;
      const start = performance.now();
      const result = await imports.importFile(SYSTEM_ACTOR, file);
      const seconds = (performance.now() - start) / 1000;
      const [{ count }] = await dataSource.query<{ count: string }[]>(
        'SELECT COUNT(*) AS count FROM households',
      );
      if (result.imported !== rows || Number(count) !== rows) {
        throw new Error(`run ${run}: imported ${result.imported}, ${count} in the table`);
      }
      rates.push(rows / seconds);
      console.log(
        `  run ${run}  ${rows} rows in ${seconds.toFixed(2)} s = ${(rows / seconds).toFixed(0)} rows/s ` +
          `(reading the CSV alone ${parseS.toFixed(2)} s)`,
      );
    }
    rates.sort((a, b) => a - b);
    console.log(`  median       ${rates[Math.floor(rates.length / 2)].toFixed(0)} rows/s`);
  } finally {
    await app.close();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exit(1);
});
