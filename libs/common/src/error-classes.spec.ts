import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

const ROOT = join(__dirname, '..', '..', '..');
const LIBS = join(ROOT, 'libs');
const APPS = join(ROOT, 'apps');

/**
 * Libraries that may construct a DomainError directly: libs/common, which defines the base classes.
 * No app may: the api's own failures are classes in apps/api/src/http/http-errors.ts.
 */
const ALLOWED = new Set(['common']);

const BARE = /\bnew\s+DomainError\s*\(/;

function typeScriptFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : typeScriptFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

function librariesChecked(): string[] {
  return readdirSync(LIBS, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && !ALLOWED.has(entry.name))
    .map((entry) => entry.name);
}

function appsChecked(): string[] {
  return readdirSync(APPS, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name);
}

function offendersIn(files: string[]): string[] {
  return files
    .filter((file) => BARE.test(readFileSync(file, 'utf8')))
    .map((file) => relative(ROOT, file));
}

describe('domain errors are named classes', () => {
  it('recognises a bare construction however it is spaced', () => {
    expect(BARE.test("throw new DomainError('CONFLICT', '…');")).toBe(true);
    expect(BARE.test('throw new  DomainError (\n  code,')).toBe(true);
    expect(BARE.test('export class StoreInactiveError extends DomainError {')).toBe(false);
    expect(BARE.test('throw new StoreInactiveError(store, refused);')).toBe(false);
  });

  it('no library but libs/common constructs a bare DomainError', () => {
    const libraries = librariesChecked();
    expect(libraries).toEqual(expect.arrayContaining(['accounts', 'inventory', 'organisation']));
    const files = libraries.flatMap((name) => typeScriptFiles(join(LIBS, name)));
    // give the failure a class in the library's *-errors.ts instead (see docs/errors.md)
    expect(offendersIn(files)).toEqual([]);
  });

  it('no app constructs a bare DomainError', () => {
    const apps = appsChecked();
    expect(apps).toEqual(expect.arrayContaining(['api', 'worker']));
    const files = apps.flatMap((name) => typeScriptFiles(join(APPS, name)));
    expect(files).toContainEqual(expect.stringMatching(/apps\/api\/src\/http\/auth\.guard\.ts$/));
    // reuse a library's class, or give the failure one in apps/api/src/http/http-errors.ts
    expect(offendersIn(files)).toEqual([]);
  });
});
