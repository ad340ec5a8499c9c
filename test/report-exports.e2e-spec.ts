import { QUEUES, REPORT_JOBS, SCHEDULES } from '@charity/queue';
import type { ReportExport } from '@charity/reports';
import { getQueueToken } from '@nestjs/bull';
import type { Queue } from 'bull';
import { Test, type TestingModule } from '@nestjs/testing';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { resolve } from 'node:path';
import { WorkerModule } from '../apps/worker/src/worker.module';
import { eventually } from './support/eventually';
import { jobResult } from './support/job-result';
import type { SignedIn } from './support/given';
import { getBytes, pdfOf, pdfText } from './support/pdf';
import { createTestApp, type TestApp } from './support/test-app';

const ROOT = resolve(__dirname, '..');

/**
 * Bull's lock on an active job: short here, so a dead worker's job is seen as stalled soon, but
 * longer than the event loop stalls while a busy machine renders a PDF (a lock that runs out under
 * a live worker makes that worker take the job again).
 */
const LOCK_MS = '5000';

/**
 * A worker killed in the middle of an export: the job is picked up again by the next worker and
 * the export completes, once.
 */
describe('report exports across a worker crash', () => {
  let t: TestApp;
  let admin: SignedIn;
  let regionId: number;
  let child: ChildProcess | null = null;
  let worker: TestingModule | null = null;

  const row = async (id: number) =>
    (
      await t.dataSource.query<(ReportExport & { attempts: number })[]>(
        `SELECT status, progress, attempts, file_name AS fileName FROM report_exports WHERE id = ?`,
        [id],
      )
    )[0];

  beforeAll(async () => {
    process.env.QUEUE_LOCK_MS = LOCK_MS;
    t = await createTestApp();
    await t.reset();
    const store = await t.given.store();
    const [region] = await t.dataSource.query<{ parentId: number }[]>(
      'SELECT parent_id AS parentId FROM regions WHERE id = ?',
      [store.regionId],
    );
    regionId = Number(region?.parentId);
    admin = await t.given.signedIn('county_admin');
  });

  afterAll(async () => {
    child?.kill('SIGKILL');
    await worker?.close();
    await t.close();
    delete process.env.QUEUE_LOCK_MS;
  });

  it('finishes an export whose worker died mid-render, exactly once', async () => {
    // a real worker process, slowed so it can be killed between steps of the export
    child = spawn(
      process.execPath,
      [
        '-r',
        'ts-node/register/transpile-only',
        '-r',
        'tsconfig-paths/register',
        'apps/worker/src/main.ts',
      ],
      {
        cwd: ROOT,
        env: { ...process.env, REPORT_EXPORT_STEP_DELAY_MS: '3000', QUEUE_LOCK_MS: LOCK_MS },
        stdio: 'ignore',
      },
    );
    const asked = await t.http
      .post('/api/v1/reports/exports')
      .set('Authorization', admin.auth)
      .send({ kind: 'monthly', month: '2026-10', regionId, format: 'pdf' });
    expect(asked.status).toBe(202);
    const id = (asked.body as { id: number }).id;

    await eventually(
      async () => ((await row(id))?.status === 'running' ? true : undefined),
      60_000,
    );
    child.kill('SIGKILL');
    await once(child, 'exit');
    child = null;
    const killed = await row(id);
    expect(killed).toMatchObject({ status: 'running' });
    const attemptsBefore = Number(killed?.attempts);

    // the next worker finds the job stalled once its lock runs out, and does it again
    worker = await Test.createTestingModule({ imports: [WorkerModule] }).compile();
    await worker.init();
    await eventually(async () => ((await row(id))?.status === 'done' ? true : undefined), 60_000);
    const done = await row(id);
    expect(done).toMatchObject({ status: 'done', progress: 100 });
    // started again by the live worker after the crash
    expect(Number(done?.attempts)).toBeGreaterThan(attemptsBefore);

    const files = await t.dataSource.query<{ n: string }[]>(
      `SELECT COUNT(*) AS n FROM rendered_documents WHERE kind = 'report_export' AND ref_id = ?`,
      [String(id)],
    );
    expect(Number(files[0]?.n)).toBe(1);
    const file = await getBytes(t.http, `/api/v1/reports/exports/${id}/file`, admin.auth);
    expect(file.status).toBe(200);
    expect(pdfText(pdfOf(file)).replace(/\s+/g, '')).toContain('本月全县共有0个爱心超市');
  }, 120_000);

  it('archives the previous month for each county on the 2nd at 02:00, once', async () => {
    if (!worker) throw new Error('the previous test starts the worker');
    const reports = worker.get<Queue>(getQueueToken(QUEUES.reports));
    const repeatable = await reports.getRepeatableJobs();
    expect(repeatable.filter((job) => job.name === REPORT_JOBS.monthlyArchive)).toEqual([
      expect.objectContaining({ cron: SCHEDULES.monthlyArchive.cron, tz: 'Asia/Shanghai' }),
    ]);
    expect(SCHEDULES.monthlyArchive.cron).toBe('0 2 2 * *');

    const run = async () => {
      const job = await reports.add(REPORT_JOBS.monthlyArchive, { month: '2026-09' });
      return (await jobResult<{ exports: number[] }>(reports, job.id, 60_000)).exports;
    };
    const first = await run();
    expect(first).toHaveLength(2);
    const archive = async () =>
      (await t.http.get('/api/v1/reports/archive').set('Authorization', admin.auth)).body as {
        id: number;
        month: string;
        format: string;
        regionId: number;
        fileUrl: string;
      }[];
    const listed = await eventually(async () => {
      const rows = await archive();
      return rows.length === 2 ? rows : undefined;
    }, 60_000);
    expect(listed.map((r) => [r.month, r.format, r.regionId])).toEqual([
      ['2026-09', 'pdf', regionId],
      ['2026-09', 'xlsx', regionId],
    ]);
    // a second firing for the same month reuses the rows and renders nothing new
    expect(await run()).toEqual(first);
    expect(await archive()).toHaveLength(2);
    const xlsx = await getBytes(t.http, listed[1]?.fileUrl ?? '', admin.auth);
    expect(xlsx.status).toBe(200);
    expect(xlsx.headers['content-type']).toContain('spreadsheetml');
  }, 150_000);
});
