import type { DataSource } from 'typeorm';

/**
 * A checksum of every table's rows (CHECKSUM TABLE), by table: equal before and after a refused
 * request exactly when the request wrote nothing anywhere, ledgers, balances and counters included.
 * `except` leaves out tables something else may write meanwhile (receipt renders).
 */
export async function databaseSnapshot(
  dataSource: DataSource,
  { except = [] }: { except?: string[] } = {},
): Promise<Record<string, string>> {
  const database = dataSource.options.database as string;
  const tables = await dataSource.query<{ name: string }[]>(
    "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = ? AND table_type = 'BASE TABLE' AND table_name NOT IN ('migrations', ?) ORDER BY table_name",
    [database, ['', ...except]],
  );
  const rows = await dataSource.query<{ Table: string; Checksum: string | number | null }[]>(
    `CHECKSUM TABLE ${tables.map(({ name }) => `\`${name}\``).join(', ')}`,
  );
  return Object.fromEntries(rows.map((row) => [row.Table, String(row.Checksum)]));
}
