#!/usr/bin/env node
// Runs the built api and worker (dist/, see scripts/build.js) for `npm start` / `npm run start:prod`.
// Their JSON logs (pino) go to LOG_DIR (default var/log) as api.log and worker.log; the terminal
// shows only warnings, errors and anything that is not a log line (a crash), then, once the api
// answers /health, one block: the address to open, the accounts to sign in with and where the logs
// are. Stopping one process stops the other; Ctrl+C stops both.
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..');
const DIST = path.join(ROOT, 'dist');
const APPS = ['api', 'worker'];
const HEALTH_TIMEOUT_MS = 180_000;
// pino's numeric levels: 40 warn, 50 error, 60 fatal
const LEVEL_NAMES = { 40: 'WARN', 50: 'ERROR', 60: 'FATAL' };

function fail(message) {
  console.error(`[start] ${message}`);
  process.exit(1);
}

for (const app of APPS) {
  if (!fs.existsSync(path.join(DIST, 'apps', app, 'main.js'))) {
    fail(`dist/apps/${app}/main.js is missing: run npm run build (or npm start) first`);
  }
}

// The same configuration the apps read (.env, then defaults), for the port and the accounts.
const { loadConfig, loadEnvFile } = require(path.join(DIST, 'libs/config/src'));
loadEnvFile(path.join(ROOT, '.env'));
let config;
try {
  config = loadConfig(process.env);
} catch (error) {
  fail(error instanceof Error ? error.message : String(error));
}

const logDir = path.resolve(ROOT, process.env.LOG_DIR || 'var/log');
fs.mkdirSync(logDir, { recursive: true });
/** A path as short as it can be said: relative when inside the current directory. */
function shown(file) {
  const relative = path.relative(process.cwd(), file);
  return relative && !relative.startsWith('..') && !path.isAbsolute(relative) ? relative : file;
}

/** One log line as the terminal shows it, or null when it belongs only in the file. */
function forTerminal(line) {
  let entry;
  try {
    entry = JSON.parse(line);
  } catch {
    return line; // not a log line: a crash or a message printed before the logger was ready
  }
  if (typeof entry !== 'object' || entry === null || typeof entry.level !== 'number') return line;
  if (entry.level < 40) return null;
  const level = LEVEL_NAMES[entry.level] ?? LEVEL_NAMES[60];
  const context = typeof entry.context === 'string' ? `${entry.context}: ` : '';
  const err = entry.err && typeof entry.err === 'object' ? entry.err : null;
  const detail = err && typeof err.stack === 'string' ? `\n${err.stack}` : '';
  return `${level} ${context}${entry.msg ?? ''}${detail}`;
}

const children = new Map();
let stopping = false;

function startApp(app) {
  const logFile = path.join(logDir, `${app}.log`);
  const log = fs.createWriteStream(logFile, { flags: 'a' });
  const child = spawn(process.execPath, [path.join(DIST, 'apps', app, 'main.js')], {
    cwd: ROOT,
    env: process.env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  for (const stream of [child.stdout, child.stderr]) {
    let rest = '';
    stream.setEncoding('utf8');
    stream.on('data', (chunk) => {
      log.write(chunk);
      const lines = (rest + chunk).split('\n');
      rest = lines.pop() ?? '';
      for (const line of lines) {
        const text = line.trim() === '' ? null : forTerminal(line);
        if (text !== null) console.log(`[${app}] ${text}`);
      }
    });
  }
  child.on('exit', (code, signal) => {
    log.end();
    children.delete(app);
    if (!stopping) {
      console.error(
        `[start] the ${app} stopped (${signal ?? `exit ${code}`}); its log: ${shown(logFile)}`,
      );
      stopAll(1);
    } else if (children.size === 0) {
      process.exit(process.exitCode ?? 0);
    }
  });
  children.set(app, child);
  return logFile;
}

function stopAll(exitCode) {
  if (stopping) return;
  stopping = true;
  process.exitCode = exitCode;
  if (children.size === 0) process.exit(exitCode);
  for (const child of children.values()) child.kill('SIGTERM');
  setTimeout(() => {
    for (const child of children.values()) child.kill('SIGKILL');
  }, 10_000).unref();
}

process.on('SIGINT', () => stopAll(0));
process.on('SIGTERM', () => stopAll(0));

async function healthy(url) {
  const deadline = Date.now() + HEALTH_TIMEOUT_MS;
  while (!stopping && Date.now() < deadline) {
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(5000) });
      await response.arrayBuffer();
      if (response.status === 200) return true;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  return false;
}

/**
 * Who can sign in, read from the database: the first admin while it still has ADMIN_PASSWORD, and
 * the demo county's staff when it was loaded and they still have its published password.
 */
async function accounts() {
  const { DEMO_STAFF_PASSWORD, DEMO_USERS } = require(path.join(DIST, 'libs/demo/src'));
  const mysql = require('mysql2/promise');
  const db = config.database;
  const connection = await mysql.createConnection({
    host: db.host,
    port: db.port,
    user: db.username,
    password: db.password,
    database: db.database,
    socketPath: db.socketPath,
  });
  try {
    const names = [config.admin.username, ...DEMO_USERS.map((user) => user.username)];
    const [rows] = await connection.query(
      'SELECT username, password_origin AS origin FROM users WHERE username IN (?) AND active = 1',
      [names],
    );
    const found = new Map(rows.map((row) => [row.username, row.origin]));
    const lines = [];
    const adminOrigin = found.get(config.admin.username);
    if (adminOrigin === 'bootstrap') {
      // production's ADMIN_PASSWORD is a secret of its own, not for a shared terminal
      const password = config.nodeEnv === 'production' ? 'ADMIN_PASSWORD' : config.admin.password;
      lines.push(
        `sign in   ${config.admin.username} / ${password} (then choose your own password)`,
      );
    } else if (adminOrigin !== undefined) {
      lines.push(`sign in   ${config.admin.username} with the password you chose`);
    }
    // a demo account whose password was changed since is no longer the README's to give away
    const demo = DEMO_USERS.map((user) => user.username).filter(
      (name) => found.get(name) === 'demo',
    );
    for (let i = 0; i < demo.length; i += 5) {
      lines.push(`${i === 0 ? 'demo     ' : '         '} ${demo.slice(i, i + 5).join(', ')}`);
    }
    if (demo.length > 0) lines.push(`          (password ${DEMO_STAFF_PASSWORD} for each)`);
    return lines;
  } finally {
    await connection.end();
  }
}

async function main() {
  const logFiles = APPS.map(startApp);
  const base = `http://127.0.0.1:${config.port}`;
  if (!(await healthy(`${base}/health`))) {
    if (!stopping) {
      console.error(`[start] the api did not answer ${base}/health within 3 minutes`);
      stopAll(1);
    }
    return;
  }
  let signIn;
  try {
    signIn = await accounts();
  } catch (error) {
    signIn = [`sign in   see README.md (accounts not read: ${error.message})`];
  }
  const block = [
    `爱心超市 is running: open ${base}/`,
    ...signIn,
    `API docs  ${base}/api/docs`,
    `logs      ${logFiles.map(shown).join(', ')} (JSON); warnings and errors show here too`,
    'stop      Ctrl+C',
  ];
  const rule = '─'.repeat(72);
  console.log(`\n${rule}\n${block.map((line) => `  ${line}`).join('\n')}\n${rule}\n`);
}

main().catch((error) => {
  console.error(`[start] ${error instanceof Error ? error.stack : String(error)}`);
  stopAll(1);
});
