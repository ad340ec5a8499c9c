// scripts/build.js on a small project of the same shape (apps/api, apps/worker, libs behind
// @charity/* paths, apps/web with Vite): what it compiles, and that it skips exactly the parts whose
// inputs did not change.
import { spawnSync } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  rmSync,
  statSync,
  symlinkSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '..');

const FILES: Record<string, string> = {
  'package.json': '{ "name": "shape-of-the-app", "private": true }\n',
  'package-lock.json': '{ "lockfileVersion": 3, "packages": {} }\n',
  'tsconfig.json': JSON.stringify({
    compilerOptions: { paths: { '@charity/greeting': ['libs/greeting/src'] } },
  }),
  'libs/greeting/src/index.ts': "export * from './greeter';\n",
  'libs/greeting/src/greeter.ts': `
import 'reflect-metadata';
export class Clock {
  now(): string { return 'tick'; }
}
function Injectable(): ClassDecorator { return () => undefined; }
@Injectable()
export class Greeter {
  constructor(private readonly clock: Clock) {}
  greet(): string { return 'hello v1 ' + this.clock.now(); }
}
`,
  'libs/greeting/src/greeter.spec.ts': "throw new Error('a spec is not part of the build');\n",
  'apps/api/src/main.ts': `
import { Clock, Greeter } from '@charity/greeting';
const types = Reflect.getMetadata('design:paramtypes', Greeter) as { name: string }[];
console.log(new Greeter(new Clock()).greet(), 'injects', types.map((type) => type.name).join());
`,
  'apps/worker/src/main.ts': "console.log('worker');\n",
  'apps/web/index.html': '<!doctype html><title>web</title><p>web v1</p>\n',
  'apps/web/vite.config.ts': `
import { resolve } from 'node:path';
export default {
  root: __dirname,
  build: { outDir: resolve(__dirname, '../../dist/web'), emptyOutDir: true },
};
`,
};

describe('scripts/build.js', () => {
  let project: string;

  beforeEach(() => {
    project = mkdtempSync(join(tmpdir(), 'charity-build-'));
    for (const [file, text] of Object.entries(FILES)) write(file, text);
    mkdirSync(join(project, 'scripts'));
    copyFileSync(join(ROOT, 'scripts', 'build.js'), join(project, 'scripts', 'build.js'));
    symlinkSync(join(ROOT, 'node_modules'), join(project, 'node_modules'));
  });

  afterEach(() => rmSync(project, { recursive: true, force: true }));

  function write(file: string, text: string): void {
    mkdirSync(dirname(join(project, file)), { recursive: true });
    writeFileSync(join(project, file), text);
  }

  /** The script's report, one line per part: "server: up to date", "web: built …". */
  function build(...args: string[]): string[] {
    const env = { ...process.env };
    delete env.WEB_DIST_DIR;
    const run = spawnSync(process.execPath, ['scripts/build.js', ...args], {
      cwd: project,
      env,
      encoding: 'utf8',
    });
    if (run.status !== 0) throw new Error(`build failed: ${run.stdout}${run.stderr}`);
    return run.stdout
      .split('\n')
      .filter((line) => line.startsWith('[build] '))
      .map((line) => line.slice('[build] '.length).replace(/ in [\d.]+ s$/, ''));
  }

  function runApp(app: string): string {
    const run = spawnSync(process.execPath, [join('dist', 'apps', app, 'main.js')], {
      cwd: project,
      encoding: 'utf8',
    });
    return `${run.stdout}${run.stderr}`.trim();
  }

  it('compiles both apps and their libs in one pass: paths resolved, decorator metadata kept, specs left out', () => {
    expect(build('server')).toEqual(['server: built 4 files']);
    expect(runApp('api')).toBe('hello v1 tick injects Clock');
    expect(runApp('worker')).toBe('worker');
    expect(existsSync(join(project, 'dist/libs/greeting/src/greeter.js'))).toBe(true);
    expect(existsSync(join(project, 'dist/libs/greeting/src/greeter.spec.js'))).toBe(false);
  });

  it('builds nothing the second time when nothing changed', () => {
    expect(build()).toEqual(['server: built 4 files', 'web: built dist/web']);
    const compiled = statSync(join(project, 'dist/apps/api/src/main.js')).mtimeMs;
    const page = statSync(join(project, 'dist/web/index.html')).mtimeMs;

    expect(build()).toEqual(['server: up to date', 'web: up to date']);
    expect(statSync(join(project, 'dist/apps/api/src/main.js')).mtimeMs).toBe(compiled);
    expect(statSync(join(project, 'dist/web/index.html')).mtimeMs).toBe(page);
  }, 120_000);

  it('rebuilds the server for a changed lib, lock file or tsconfig, and drops what a deleted source built', () => {
    build('server');
    write(
      'libs/greeting/src/greeter.ts',
      FILES['libs/greeting/src/greeter.ts'].replace('v1', 'v2'),
    );
    expect(build('server')).toEqual(['server: built 4 files']);
    expect(runApp('api')).toBe('hello v2 tick injects Clock');

    write('package-lock.json', '{ "lockfileVersion": 3, "packages": { "": {} } }\n');
    expect(build('server')).toEqual(['server: built 4 files']);
    expect(build('server')).toEqual(['server: up to date']);

    write('tsconfig.json', `${FILES['tsconfig.json']}\n`);
    expect(build('server')).toEqual(['server: built 4 files']);

    write('apps/api/src/unused.ts', 'export const unused = 1;\n');
    expect(build('server')).toEqual(['server: built 5 files']);
    unlinkSync(join(project, 'apps/api/src/unused.ts'));
    expect(build('server')).toEqual(['server: built 4 files']);
    expect(existsSync(join(project, 'dist/apps/api/src/unused.js'))).toBe(false);

    // a spec is no input of the server: changing one builds nothing
    write('libs/greeting/src/greeter.spec.ts', '// still not part of the build\n');
    expect(build('server')).toEqual(['server: up to date']);
  }, 60_000);

  it('rebuilds the web app for a change under apps/web or to its Vite config, the server not', () => {
    build();
    write('apps/web/index.html', FILES['apps/web/index.html'].replace('v1', 'v2'));
    expect(build()).toEqual(['server: up to date', 'web: built dist/web']);

    write('apps/web/vite.config.ts', `${FILES['apps/web/vite.config.ts']}// base stays /\n`);
    expect(build()).toEqual(['server: up to date', 'web: built dist/web']);
    expect(build()).toEqual(['server: up to date', 'web: up to date']);
  }, 120_000);

  it('rebuilds a part whose output is gone, and everything with --force', () => {
    build('server');
    unlinkSync(join(project, 'dist/apps/worker/main.js'));
    expect(build('server')).toEqual(['server: built 4 files']);
    expect(runApp('worker')).toBe('worker');
    // `nest start` (start:dev) leaves a webpack bundle as main.js and no compiled tree beside it
    rmSync(join(project, 'dist/apps/api/src'), { recursive: true });
    expect(build('server')).toEqual(['server: built 4 files']);
    expect(runApp('api')).toBe('hello v1 tick injects Clock');
    expect(build('--force', 'server')).toEqual(['server: built 4 files']);
  });
});
