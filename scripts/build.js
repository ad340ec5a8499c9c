#!/usr/bin/env node
// Builds what `npm start` runs, in two parts, each skipped when nothing it is built from changed:
// - server: every non-spec .ts file of apps/api, apps/worker and libs compiled one by one with SWC
//   into dist/, mirroring the source tree (dist/apps/api/src/main.js, dist/libs/<lib>/src/…), with
//   decorator metadata for Nest's DI, class-validator and TypeORM, and `@charity/*` imports
//   rewritten to relative paths; dist/apps/<app>/main.js is a one-line entry into that tree.
// - web: Vite into dist/web (or WEB_DIST_DIR).
// Nothing is type-checked here: `npm run typecheck` (tsc and vue-tsc) runs in `npm test` and CI.
//
// A part is up to date when the SHA-256 of its inputs (file names and contents, the lock file, the
// compiler settings, this script) equals the stamp its last successful build left in dist/.build/
// and its outputs are there.
//
// Usage: node scripts/build.js [--force] [server] [web]   (no part named: both)
const { createHash } = require('node:crypto');
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..');
const DIST = path.join(ROOT, 'dist');
const STAMPS = path.join(DIST, '.build');
const APPS = ['api', 'worker'];
const SHARED_INPUTS = ['package.json', 'package-lock.json', 'tsconfig.json', 'scripts/build.js'];

/** Every file under `dir` (relative to the repository), skipping node_modules. */
function filesUnder(dir) {
  const found = [];
  const visit = (relative) => {
    const absolute = path.join(ROOT, relative);
    if (!fs.existsSync(absolute)) return;
    for (const entry of fs.readdirSync(absolute, { withFileTypes: true })) {
      if (entry.name === 'node_modules') continue;
      const child = path.join(relative, entry.name);
      if (entry.isDirectory()) visit(child);
      else if (entry.isFile()) found.push(child);
    }
  };
  visit(dir);
  return found;
}

function hashOf(files, extra) {
  const hash = createHash('sha256').update(extra);
  for (const file of [...new Set(files)].sort()) {
    hash.update(`\0${file}\0`);
    hash.update(fs.readFileSync(path.join(ROOT, file)));
  }
  return hash.digest('hex');
}

const isServerSource = (file) => file.endsWith('.ts') && !/\.(spec|d)\.ts$/.test(file);

function serverSources() {
  return [...APPS.map((app) => `apps/${app}/src`), 'libs']
    .flatMap(filesUnder)
    .filter(isServerSource);
}

const webOutDir = () => process.env.WEB_DIST_DIR ?? path.join(DIST, 'web');

const PARTS = {
  server: {
    inputs: () => [...serverSources(), ...SHARED_INPUTS],
    extra: () => '',
    // src/main.js too: `nest start` (npm run start:dev) replaces dist/apps/<app> with a webpack bundle
    outputs: () =>
      APPS.flatMap((app) =>
        ['main.js', 'src/main.js'].map((file) => path.join(DIST, 'apps', app, file)),
      ),
    build: buildServer,
  },
  web: {
    // libs too: apps/web imports report types from libs/reports, so its bundle may depend on them
    inputs: () => [...filesUnder('apps/web'), ...filesUnder('libs'), ...SHARED_INPUTS],
    extra: () => webOutDir(),
    outputs: () => [path.join(webOutDir(), 'index.html')],
    build: buildWeb,
  },
};

/** SWC settings equivalent to tsconfig.json's emit (CommonJS, ES2022, legacy decorators). */
function swcOptions() {
  const tsconfig = JSON.parse(fs.readFileSync(path.join(ROOT, 'tsconfig.json'), 'utf8'));
  return {
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: true },
      target: 'es2022',
      keepClassNames: true,
      baseUrl: ROOT,
      paths: tsconfig.compilerOptions.paths,
    },
    module: { type: 'commonjs' },
    sourceMaps: true,
    swcrc: false,
    configFile: false,
  };
}

async function buildServer() {
  const swc = require('@swc/core');
  const options = swcOptions();
  // start clean so a deleted source leaves no stale module behind
  for (const dir of ['apps', 'libs']) {
    fs.rmSync(path.join(DIST, dir), { recursive: true, force: true });
  }
  const sources = serverSources();
  await Promise.all(
    sources.map(async (file) => {
      const target = path.join(DIST, file.replace(/\.ts$/, '.js'));
      const output = await swc.transformFile(path.join(ROOT, file), {
        ...options,
        filename: path.join(ROOT, file),
        outputPath: target,
      });
      fs.mkdirSync(path.dirname(target), { recursive: true });
      const mapName = `${path.basename(target)}.map`;
      fs.writeFileSync(target, `${output.code}\n//# sourceMappingURL=${mapName}\n`);
      if (output.map) fs.writeFileSync(`${target}.map`, output.map);
    }),
  );
  for (const app of APPS) {
    fs.writeFileSync(
      path.join(DIST, 'apps', app, 'main.js'),
      "'use strict';\n// written by scripts/build.js: the compiled sources mirror the repository\n" +
        "require('./src/main.js');\n",
    );
  }
  return `${sources.length} files`;
}

async function buildWeb() {
  const vite = path.join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js');
  const args = [vite, 'build', '--config', 'apps/web/vite.config.ts', '--logLevel', 'warn'];
  // the config-loader notice is for whoever edits vite.config.ts, not for everyone who starts the app
  const env = { ...process.env, VITE_CONFIG_NATIVE_IGNORE_WARNING: 'true' };
  const run = spawnSync(process.execPath, args, { cwd: ROOT, env, stdio: 'inherit' });
  if (run.status !== 0) throw new Error(`vite build failed (exit ${run.status ?? run.signal})`);
  return path.relative(ROOT, webOutDir()) || '.';
}

async function main() {
  const args = process.argv.slice(2);
  const force = args.includes('--force');
  const named = args.filter((arg) => !arg.startsWith('--'));
  for (const name of named) {
    if (!(name in PARTS)) throw new Error(`unknown part "${name}" (server, web)`);
  }
  fs.mkdirSync(STAMPS, { recursive: true });
  for (const name of named.length > 0 ? named : Object.keys(PARTS)) {
    const part = PARTS[name];
    const stampFile = path.join(STAMPS, `${name}.sha256`);
    const hash = hashOf(part.inputs(), part.extra());
    const stamp = fs.existsSync(stampFile) ? fs.readFileSync(stampFile, 'utf8').trim() : '';
    if (!force && stamp === hash && part.outputs().every((file) => fs.existsSync(file))) {
      console.log(`[build] ${name}: up to date`);
      continue;
    }
    fs.rmSync(stampFile, { force: true });
    const started = process.hrtime.bigint();
    const what = await part.build();
    fs.writeFileSync(stampFile, `${hash}\n`);
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    console.log(`[build] ${name}: built ${what} in ${seconds.toFixed(1)} s`);
  }
}

main().catch((error) => {
  console.error(`[build] ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
