// Names and guards shared by the global setup (no Jest worker yet) and each worker's setup file.
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { resolve } from 'node:path';

/**
 * Short id of this checkout, so two clones can run their tests on one server at the same time;
 * TEST_RUN_ID (letters, digits) separates two runs in one checkout.
 */
export const CHECKOUT_ID = /^[a-z0-9]{1,12}$/i.test(process.env.TEST_RUN_ID ?? '')
  ? (process.env.TEST_RUN_ID as string)
  : createHash('sha1').update(resolve(__dirname, '..')).digest('hex').slice(0, 6);

export function testDatabaseName(workerId: string | number): string {
  return `charity_test_${CHECKOUT_ID}_${workerId}`;
}

/** Tests truncate and drop tables: refuse anything that is not plainly a test database. */
export function assertTestDatabase(name: string): void {
  if (!name.includes('test')) {
    throw new Error(
      `Refusing to run tests against database "${name}": its name must contain "test"`,
    );
  }
}

export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

export const DEFAULT_DATABASE_URL = 'mysql://charity:charity@127.0.0.1:3306/charity_supermarket';

/** Where the web tests' build of apps/web goes: one per checkout, so two clones never share it. */
export function webDistDir(): string {
  return resolve(tmpdir(), `charity-web-${CHECKOUT_ID}`);
}
