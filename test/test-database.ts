// Names and guards shared by the global setup (no Jest worker yet) and each worker's setup file.
export const TEST_DATABASE_PREFIX = 'charity_test_';

export function testDatabaseName(workerId: string | number): string {
  return `${TEST_DATABASE_PREFIX}${workerId}`;
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
