// The built api and worker as the drill runs them: started from dist/ against the drill's own
// servers, killed on purpose by the faults, and started again (and reported) when one dies
// without being told to.
import type { ChildProcess } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  errorText,
  ProcessLog,
  startApi,
  startWorker,
  stopProcess,
  type AppProcessOptions,
  type BuiltApp,
} from '../bench-support';
import type { Children } from './servers';

export interface UnexpectedExit {
  app: BuiltApp;
  at: number;
  how: string;
  /** The last things it logged. */
  lastWords: string[];
}

export class Apps {
  api: ChildProcess | null = null;
  worker: ChildProcess | null = null;
  readonly apiLog = new ProcessLog();
  /** One log per worker process: startWorker waits for the line a new one prints. */
  workerLog = new ProcessLog();
  readonly unexpected: UnexpectedExit[] = [];
  private readonly expected = new Set<ChildProcess>();
  private closing = false;

  constructor(
    private readonly root: string,
    private readonly port: number,
    private readonly options: Omit<AppProcessOptions, 'log'>,
    private readonly workerEnv: Record<string, string>,
    private readonly children: Children,
  ) {}

  async startApi(): Promise<void> {
    this.api = this.watch(
      'api',
      await startApi(this.root, this.port, { ...this.options, log: this.apiLog }),
    );
  }

  async startWorker(): Promise<void> {
    this.workerLog = new ProcessLog();
    this.worker = this.watch(
      'worker',
      await startWorker(this.root, {
        ...this.options,
        log: this.workerLog,
        env: { ...this.options.env, ...this.workerEnv },
      }),
    );
  }

  /** kill -9 of the worker, as a crashed machine would. */
  async killWorker(): Promise<void> {
    const worker = this.worker;
    if (!worker) throw new Error('no worker runs');
    this.expected.add(worker);
    const gone = new Promise((done) => worker.once('exit', done));
    worker.kill('SIGKILL');
    await gone;
    this.worker = null;
  }

  async stop(): Promise<void> {
    this.closing = true;
    for (const child of [this.api, this.worker]) {
      if (!child) continue;
      this.expected.add(child);
      await stopProcess(child);
    }
  }

  private watch(app: BuiltApp, child: ChildProcess): ChildProcess {
    this.children.track(child);
    child.once('exit', (code, signal) => {
      if (this.closing || this.expected.has(child)) return;
      const log = app === 'api' ? this.apiLog : this.workerLog;
      this.unexpected.push({
        app,
        at: performance.now(),
        how: signal ? `signal ${signal}` : `exit code ${code}`,
        lastWords: [...log.messages.keys()].slice(-3),
      });
      void this.restart(app);
    });
    return child;
  }

  /** A process that died on its own is started again, so the drill can go on and say so. */
  private async restart(app: BuiltApp): Promise<void> {
    for (let attempt = 1; attempt <= 20 && !this.closing; attempt += 1) {
      await sleep(1000);
      try {
        if (app === 'api') await this.startApi();
        else await this.startWorker();
        return;
      } catch (error) {
        console.error(`  restarting the ${app} failed (attempt ${attempt}): ${errorText(error)}`);
      }
    }
  }
}
