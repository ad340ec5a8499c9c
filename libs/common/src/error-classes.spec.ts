import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

const ROOT = join(__dirname, '..', '..', '..');
const LIBS = join(ROOT, 'libs');

/**
 * Libraries that may construct a DomainError directly: libs/common, which defines the base classes.
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
    const offenders = files
      .filter((file) => BARE.test(readFileSync(file, 'utf8')))
      .map((file) => relative(ROOT, file));
    // give the failure a class in the library's *-errors.ts instead (see docs/errors.md)
    expect(offenders).toEqual([]);
  });
});
