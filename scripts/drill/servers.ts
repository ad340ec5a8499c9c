// The drill's own MariaDB and Redis: child processes on free ports, with their data, sockets,
// pid files and logs under the drill's temporary directory. The drill freezes, kills and starts
// them again by their own pids; no other server on the machine is ever signalled.
import { createConnection } from 'mysql2/promise';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, openSync, readFileSync } from 'node:fs';
import { createConnection as connectTcp } from 'node:net';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';

/** Ports the machine's shared servers listen on: the drill refuses to use them. */
const SHARED_PORTS = new Set([3306, 6379]);

const MARIADBD_CANDIDATES = ['/usr/sbin/mariadbd', '/usr/sbin/mysqld', '/usr/bin/mariadbd'];

/** Every process the drill started, so an exit or Ctrl-C can take them all down. */
export class Children {
  private readonly running = new Set<ChildProcess>();

  track(child: ChildProcess): ChildProcess {
    this.running.add(child);
    child.once('exit', () => this.running.delete(child));
    return child;
  }

  /** SIGCONT (a frozen process cannot act on anything else) then SIGKILL, to each still running. */
  killAll(): void {
    for (const child of this.running) {
      try {
        child.kill('SIGCONT');
        child.kill('SIGKILL');
      } catch {
        // gone meanwhile
      }
    }
  }
}

function assertOwnPort(port: number, what: string): void {
  if (SHARED_PORTS.has(port)) throw new Error(`refusing to run ${what} on shared port ${port}`);
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((done) => child.once('exit', () => done()));
}

function tail(path: string, lines = 8): string {
  try {
    return readFileSync(path, 'utf8').trim().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

/** The process's state letter from /proc (R, S, T when stopped …), or null when gone. */
export function processState(pid: number | undefined): string | null {
  if (pid === undefined) return null;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[0] ?? null;
  } catch {
    return null;
  }
}

export class OwnMariaDb {
  private child: ChildProcess | null = null;
  readonly dataDir: string;
  readonly socket: string;
  private readonly errorLog: string;
  private readonly binary: string;

  constructor(
    private readonly dir: string,
    readonly port: number,
    private readonly children: Children,
  ) {
    assertOwnPort(port, 'MariaDB');
    this.dataDir = join(dir, 'mariadb-data');
    this.socket = join(dir, 'mariadb.sock');
    this.errorLog = join(dir, 'mariadb.err');
    const binary = MARIADBD_CANDIDATES.find((path) => existsSync(path));
    if (!binary) {
      throw new Error(
        `no MariaDB server binary (${MARIADBD_CANDIDATES.join(', ')}): apt-get install mariadb-server`,
      );
    }
    this.binary = binary;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** mariadb-install-db into the drill's own data directory; root logs in without a password. */
  install(): void {
    const install = spawnSync(
      'mariadb-install-db',
      [
        '--no-defaults',
        `--datadir=${this.dataDir}`,
        '--auth-root-authentication-method=normal',
        '--skip-test-db',
        ...this.userOption(),
      ],
      { encoding: 'utf8' },
    );
    if (install.status !== 0) {
      throw new Error(
        `mariadb-install-db failed (${install.status ?? install.error?.message}):\n` +
          `${install.stdout}${install.stderr}`,
      );
    }
  }

  /**
   * Starts mariadbd on the data directory (after a kill -9 this is InnoDB's crash recovery) and
   * waits until it answers; resolves with how long that took in ms.
   */
  async start(): Promise<number> {
    const started = performance.now();
    const log = openSync(join(this.dir, 'mariadb.out'), 'a');
    this.child = this.children.track(
      spawn(
        this.binary,
        [
          // first, so not one option comes from the machine's /etc/mysql
          '--no-defaults',
          `--datadir=${this.dataDir}`,
          `--port=${this.port}`,
          `--socket=${this.socket}`,
          `--pid-file=${join(this.dir, 'mariadb.pid')}`,
          `--log-error=${this.errorLog}`,
          `--tmpdir=${this.dir}`,
          '--bind-address=127.0.0.1',
          '--skip-name-resolve',
          '--character-set-server=utf8mb4',
          '--collation-server=utf8mb4_unicode_520_ci',
          '--innodb-buffer-pool-size=128M',
          '--max-connections=300',
          ...this.userOption(),
        ],
        { stdio: ['ignore', log, log] },
      ),
    );
    const child = this.child;
    const deadline = Date.now() + 120_000;
    for (;;) {
      if (child.exitCode !== null || child.signalCode !== null) {
        throw new Error(
          `mariadbd exited (${child.exitCode ?? child.signalCode}):\n${tail(this.errorLog)}`,
        );
      }
      try {
        const connection = await this.root();
        await connection.end();
        return performance.now() - started;
      } catch {
        // not accepting connections yet
      }
      if (Date.now() > deadline) {
        throw new Error(`mariadbd did not answer within 120 s:\n${tail(this.errorLog)}`);
      }
      await sleep(100);
    }
  }

  /** The application's user, allowed everything (the app creates and migrates its database). */
  async createUser(username: string, password: string): Promise<void> {
    const connection = await this.root();
    try {
      for (const host of ['127.0.0.1', 'localhost']) {
        await connection.query(`CREATE USER IF NOT EXISTS ?@? IDENTIFIED BY ?`, [
          username,
          host,
          password,
        ]);
        await connection.query(`GRANT ALL PRIVILEGES ON *.* TO ?@?`, [username, host]);
      }
    } finally {
      await connection.end();
    }
  }

  freeze(): void {
    this.signal('SIGSTOP');
  }

  thaw(): void {
    this.signal('SIGCONT');
  }

  /** kill -9: no shutdown, no flush beyond what InnoDB made durable at each commit. */
  async kill(): Promise<void> {
    const child = this.running();
    child.kill('SIGKILL');
    await exited(child);
  }

  /** A clean shutdown (SIGTERM), SIGKILL after 30 s. */
  async stop(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGCONT');
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    await exited(child);
    clearTimeout(timer);
  }

  describe(): string {
    return `mariadbd pid ${this.pid} on 127.0.0.1:${this.port}, data ${this.dataDir}`;
  }

  private root() {
    return createConnection({ socketPath: this.socket, user: 'root', connectTimeout: 2000 });
  }

  private running(): ChildProcess {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) {
      throw new Error('mariadbd is not running');
    }
    return child;
  }

  private signal(signal: NodeJS.Signals): void {
    this.running().kill(signal);
  }

  /** mariadbd refuses to run as root unless told to. */
  private userOption(): string[] {
    return process.getuid?.() === 0 ? ['--user=root'] : [];
  }
}

export class OwnRedis {
  private child: ChildProcess | null = null;

  constructor(
    private readonly dir: string,
    readonly port: number,
    private readonly children: Children,
  ) {
    assertOwnPort(port, 'Redis');
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  /** redis-server without persistence: a restart comes back empty, as a lost node would. */
  async start(): Promise<number> {
    const started = performance.now();
    const log = openSync(join(this.dir, 'redis.log'), 'a');
    this.child = this.children.track(
      spawn(
        'redis-server',
        [
          '--port',
          String(this.port),
          '--bind',
          '127.0.0.1',
          '--save',
          '',
          '--appendonly',
          'no',
          '--dir',
          this.dir,
          '--pidfile',
          join(this.dir, 'redis.pid'),
          '--daemonize',
          'no',
        ],
        { stdio: ['ignore', log, log] },
      ),
    );
    const child = this.child;
    const deadline = Date.now() + 30_000;
    for (;;) {
      if (child.exitCode !== null || child.signalCode !== null) {
        throw new Error(
          `redis-server exited (${child.exitCode ?? child.signalCode}):\n${tail(join(this.dir, 'redis.log'))}`,
        );
      }
      if (await this.answers()) return performance.now() - started;
      if (Date.now() > deadline) throw new Error('redis-server did not answer within 30 s');
      await sleep(50);
    }
  }

  async kill(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) {
      throw new Error('redis-server is not running');
    }
    child.kill('SIGKILL');
    await exited(child);
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exited(child);
    clearTimeout(timer);
  }

  describe(): string {
    return `redis-server pid ${this.pid} on 127.0.0.1:${this.port}, no persistence`;
  }

  private answers(): Promise<boolean> {
    return new Promise((done) => {
      const socket = connectTcp({ host: '127.0.0.1', port: this.port });
      const finish = (ok: boolean) => {
        socket.destroy();
        done(ok);
      };
      socket.setTimeout(1000, () => finish(false));
      socket.once('error', () => finish(false));
      socket.once('connect', () => socket.write('PING\r\n'));
      socket.once('data', (data) => finish(data.toString().startsWith('+PONG')));
    });
  }
}
