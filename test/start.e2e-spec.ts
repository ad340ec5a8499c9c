// `npm start`'s last step (scripts/start.js) as a newcomer sees it: the built api and worker on a
// port of their own, a terminal that shows one block instead of Nest's route table, and the logs in
// files that say everything the processes said.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { DEMO_STAFF_PASSWORD } from '@charity/demo';
import { eventually } from './support/eventually';
import { createTestApp, type TestApp } from './support/test-app';

const ROOT = resolve(__dirname, '..');

interface Launch {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

function launch(env: Record<string, string>): Launch {
  const child = spawn(process.execPath, [join(ROOT, 'scripts', 'start.js')], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
  return { child, output: () => output, exited };
}

async function freePort(): Promise<number> {
  return new Promise((done, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => done(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

describe('npm start (scripts/start.js)', () => {
  let t: TestApp;
  let logDir: string;
  const running: Launch[] = [];

  beforeAll(async () => {
    // the launcher runs what dist/ holds: compile the sources as they are now (a second or two)
    const build = spawnSync(process.execPath, [join(ROOT, 'scripts', 'build.js'), 'server'], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    if (build.status !== 0) throw new Error(`build failed: ${build.stdout}${build.stderr}`);
    t = await createTestApp();
  }, 120_000);

  beforeEach(async () => {
    await t.reset();
    logDir = mkdtempSync(join(tmpdir(), 'charity-start-'));
  });

  afterEach(async () => {
    // a test that failed half-way: Ctrl+C lets the launcher stop its api and worker first
    for (const launched of running.splice(0)) {
      if (launched.child.exitCode !== null || launched.child.signalCode !== null) continue;
      launched.child.kill('SIGINT');
      const timer = setTimeout(() => launched.child.kill('SIGKILL'), 15_000);
      await launched.exited;
      clearTimeout(timer);
    }
    rmSync(logDir, { recursive: true, force: true });
  });

  afterAll(() => t.close());

  function env(port: number): Record<string, string> {
    return {
      PORT: String(port),
      LOG_DIR: logDir,
      LOG_LEVEL: 'info',
      // a queue prefix of its own: its worker must not take the in-process app's jobs
      QUEUE_PREFIX: `${process.env.QUEUE_PREFIX}_start`,
      WEB_DIST_DIR: join(logDir, 'no-web-app'),
      ADMIN_USERNAME: 'admin',
      ADMIN_PASSWORD: 'First@Start9',
    };
  }

  it('prints one block with the address, the accounts that still work and the log files', async () => {
    const admin = await t.given.user('county_admin', undefined, 'admin');
    const clerk = await t.given.user('clerk', undefined, 'qs01_clerk');
    const changed = await t.given.user('store_manager', undefined, 'qs02_manager');
    await t.dataSource.query('UPDATE users SET password_origin = ? WHERE id = ?', [
      'bootstrap',
      admin.id,
    ]);
    await t.dataSource.query('UPDATE users SET password_origin = ? WHERE id = ?', [
      'demo',
      clerk.id,
    ]);
    expect(changed.passwordOrigin).toBe('self');

    const port = await freePort();
    const launched = launch(env(port));
    running.push(launched);
    const output = await eventually(
      () =>
        Promise.resolve(
          launched.output().includes('stop      Ctrl+C') ? launched.output() : undefined,
        ),
      90_000,
    );

    expect(output).toContain(`爱心超市 is running: open http://127.0.0.1:${port}/`);
    expect(output).toContain('sign in   admin / First@Start9 (then choose your own password)');
    // the demo account still on the published password is listed; one whose password changed is not
    expect(output).toMatch(/demo +qs01_clerk\n/);
    expect(output).toContain(`(password ${DEMO_STAFF_PASSWORD} for each)`);
    expect(output).not.toContain('qs02_manager');
    expect(output).toContain(`${join(logDir, 'api.log')}, ${join(logDir, 'worker.log')} (JSON)`);
    // nothing of Nest's start-up table, no JSON: the one warning (no web app built) and the block
    expect(output).not.toMatch(/RouterExplorer|RoutesResolver|InstanceLoader|Mapped \{|"level"/);
    expect(output).toContain('[api] WARN WebApp: no web app at');
    expect(output.trim().split('\n').length).toBeLessThanOrEqual(12);

    const response = await fetch(`http://127.0.0.1:${port}/health`);
    expect(response.status).toBe(200);

    // the files keep what the processes logged, at info, without the route table
    const apiLog = readFileSync(join(logDir, 'api.log'), 'utf8');
    expect(apiLog).toContain(`"msg":"api listening on http://127.0.0.1:${port}`);
    expect(apiLog).not.toMatch(/RouterExplorer|RoutesResolver|InstanceLoader/);
    await eventually(() =>
      Promise.resolve(
        readFileSync(join(logDir, 'worker.log'), 'utf8').includes('worker started')
          ? true
          : undefined,
      ),
    );

    // Ctrl+C stops both processes and the launcher with them
    launched.child.kill('SIGINT');
    expect(await launched.exited).toBe(0);
    await expect(fetch(`http://127.0.0.1:${port}/health`)).rejects.toThrow();
  }, 120_000);

  it('shows why the api could not start, stops the worker and exits non-zero', async () => {
    const port = await freePort();
    // something else on the port (it hangs up on the launcher's /health probes)
    const taken: Server = createServer((socket) => socket.destroy());
    await new Promise<void>((done) => taken.listen(port, done));
    try {
      const launched = launch(env(port));
      running.push(launched);
      expect(await launched.exited).toBe(1);
      expect(launched.output()).toMatch(/\[api\] .*EADDRINUSE/);
      expect(launched.output()).toContain(`[start] the api stopped (exit 1); its log: ${logDir}`);
      expect(launched.output()).not.toContain('is running');
    } finally {
      await new Promise((done) => taken.close(done));
    }
  }, 120_000);
});
