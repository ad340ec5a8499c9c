// The four faults, each injected once the burst is under way: (a) the database frozen, (b) the
// database killed -9 and started again, (c) Redis killed and started again empty, (d) the worker
// killed -9 in the middle of a report export and started again.
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Apps } from './apps';
import { send } from './http';
import { schedules } from './queues';
import type { CheckResult } from './ledger-checks';
import { processState, type OwnMariaDb, type OwnRedis } from './servers';

export interface FaultContext {
  db: OwnMariaDb;
  redis: OwnRedis;
  apps: Apps;
  base: URL;
  adminToken: string;
  queuePrefix: string;
  /** `YYYY-MM` of today, for the export. */
  month: string;
  freezeMs: number;
  downMs: number;
}

export interface FaultWindow {
  /** performance.now() when the fault began and when it was over (the server back). */
  startedAt: number;
  endedAt: number;
  /** What was done, in the order done, with times relative to the fault's start. */
  notes: string[];
  /** Checks of this fault beyond the ledgers'. */
  checks: CheckResult[];
}

export interface Fault {
  id: 'a' | 'b' | 'c' | 'd';
  title: string;
  /** Whether logging in needs only what stays up (the database): it must keep working. */
  loginsKeepWorking: boolean;
  inject(ctx: FaultContext): Promise<FaultWindow>;
}

function since(start: number): string {
  return `+${((performance.now() - start) / 1000).toFixed(1)} s`;
}

const freezeDatabase: Fault = {
  id: 'a',
  loginsKeepWorking: false,
  title: 'database frozen (SIGSTOP, then SIGCONT)',
  async inject({ db, freezeMs }) {
    const pid = db.pid;
    const startedAt = performance.now();
    db.freeze();
    // the state once the signal has surely landed: T (stopped)
    await sleep(200);
    const notes = [`mariadbd pid ${pid} SIGSTOP (state ${processState(pid)})`];
    await sleep(freezeMs - 200);
    db.thaw();
    notes.push(`SIGCONT at ${since(startedAt)}`);
    return { startedAt, endedAt: performance.now(), notes, checks: [] };
  },
};

const killDatabase: Fault = {
  id: 'b',
  loginsKeepWorking: false,
  title: 'database killed -9 and restarted',
  async inject({ db, downMs }) {
    const pid = db.pid;
    const startedAt = performance.now();
    await db.kill();
    const notes = [`mariadbd pid ${pid} SIGKILL`];
    await sleep(downMs);
    notes.push(`started again at ${since(startedAt)}`);
    const tookMs = await db.start();
    notes.push(
      `pid ${db.pid} answering at ${since(startedAt)} (crash recovery and start ${(tookMs / 1000).toFixed(1)} s)`,
    );
    return { startedAt, endedAt: performance.now(), notes, checks: [] };
  },
};

const SCHEDULES_WAIT_MS = 30_000;

const killRedis: Fault = {
  id: 'c',
  loginsKeepWorking: true,
  title: 'Redis killed -9 and restarted empty',
  async inject({ redis, base, queuePrefix, downMs }) {
    const before = await schedules(redis.url, queuePrefix);
    const pid = redis.pid;
    const startedAt = performance.now();
    await redis.kill();
    const notes = [`redis-server pid ${pid} SIGKILL (${before} worker schedules in it)`];
    await sleep(downMs);
    await redis.start();
    const endedAt = performance.now();
    notes.push(`pid ${redis.pid} answering, empty, at ${since(startedAt)}`);

    // the worker should put its repeatable jobs back once it is connected again
    let after = 0;
    while (performance.now() - endedAt < SCHEDULES_WAIT_MS) {
      after = await schedules(redis.url, queuePrefix);
      if (after >= before) break;
      await sleep(500);
    }
    const back = after >= before;
    notes.push(
      back
        ? `worker schedules back (${after}) ${((performance.now() - endedAt) / 1000).toFixed(1)} s after the restart`
        : `worker schedules: ${after} of ${before} ${SCHEDULES_WAIT_MS / 1000} s after the restart`,
    );
    const health = await send(base, { method: 'GET', path: '/health/worker', timeoutMs: 5000 });
    notes.push(`GET /health/worker then: ${health.label}`);
    return {
      startedAt,
      endedAt,
      notes,
      checks: [
        {
          name: 'worker schedules back',
          ok: back,
          detail: `${after} of ${before} repeatable jobs in Redis ${SCHEDULES_WAIT_MS / 1000} s after it came back empty; /health/worker ${health.label}`,
        },
      ],
    };
  },
};

interface ExportState {
  status: string;
  progress: number;
  attempts?: number;
}

async function exportState(base: URL, token: string, id: number): Promise<ExportState | null> {
  const answer = await send(base, {
    method: 'GET',
    path: `/api/v1/reports/exports/${id}`,
    token,
    timeoutMs: 5000,
  });
  return answer.status === 200 ? (answer.body as ExportState) : null;
}

const EXPORT_WAIT_MS = 120_000;

const killWorker: Fault = {
  id: 'd',
  loginsKeepWorking: true,
  title: 'worker killed -9 during a report export and restarted',
  async inject({ apps, base, adminToken, month, downMs }) {
    const asked = await send(base, {
      method: 'POST',
      path: '/api/v1/reports/exports',
      token: adminToken,
      body: { kind: 'monthly', month, format: 'pdf' },
      timeoutMs: 10_000,
    });
    if (asked.status !== 202) throw new Error(`POST /reports/exports: ${asked.label}`);
    const id = Number((asked.body as { id: number }).id);
    const notes = [`export ${id} (county PDF of ${month}) queued`];
    let state: ExportState | null = null;
    const asking = performance.now();
    while (performance.now() - asking < 30_000) {
      state = await exportState(base, adminToken, id);
      if (state?.status === 'running' || state?.status === 'done') break;
      await sleep(50);
    }
    const pid = apps.worker?.pid;
    const startedAt = performance.now();
    await apps.killWorker();
    notes.push(`worker pid ${pid} SIGKILL with the export ${state?.status} at ${state?.progress}%`);
    await sleep(downMs);
    await apps.startWorker();
    const endedAt = performance.now();
    notes.push(`worker pid ${apps.worker?.pid} started at ${since(startedAt)}`);

    let finished: ExportState | null = null;
    while (performance.now() - endedAt < EXPORT_WAIT_MS) {
      finished = await exportState(base, adminToken, id);
      if (finished?.status === 'done' || finished?.status === 'failed') break;
      await sleep(250);
    }
    const doneAfter = (performance.now() - endedAt) / 1000;
    notes.push(
      `export ${finished?.status ?? 'unknown'} ${doneAfter.toFixed(1)} s after the worker restarted`,
    );
    const file = await send(base, {
      method: 'GET',
      path: `/api/v1/reports/exports/${id}/file`,
      token: adminToken,
      timeoutMs: 10_000,
    });
    return {
      startedAt,
      endedAt,
      notes,
      checks: [
        {
          name: 'export completed',
          ok:
            state?.status === 'running' &&
            finished?.status === 'done' &&
            file.status === 200 &&
            file.bytes > 0,
          detail:
            `killed while ${state?.status ?? 'unknown'}, then ${finished?.status ?? 'unknown'} ` +
            `${doneAfter.toFixed(1)} s after the restart; file ${file.label}, ${file.bytes} bytes`,
        },
      ],
    };
  },
};

export const FAULTS: Fault[] = [freezeDatabase, killDatabase, killRedis, killWorker];
