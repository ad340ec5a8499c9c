import type { DataSource } from 'typeorm';

/** Figure name → value, e.g. `rows.households` → `1`, `sum.households.balance` → `9980`. */
export type Snapshot = Record<string, string>;

/** The balances and ledgers people would notice first, beside every table's row count. */
const SUMS: [table: string, column: string][] = [
  ['households', 'balance'],
  ['points_entries', 'points'],
  ['points_grants', 'remaining'],
  ['stock_lots', 'quantity'],
  ['stock_movements', 'quantity'],
  ['receipt_sequences', 'last_number'],
];

/**
 * Refusals the api records on purpose: a failed login is written to the audit log (who tried
 * which name from where), so the audit log is counted without them.
 */
const RECORDED_REFUSALS = ['auth.login_failed'];

/** Append-only tables counted with a filter instead of checksummed whole. */
const FILTERED: Record<string, string> = {
  audit_entries: `action NOT IN (${RECORDED_REFUSALS.map((action) => `'${action}'`).join(', ')})`,
};

/**
 * Takes the whole database's figures in two round trips: row counts of every table, the sums of
 * balances and ledgers, and each table's checksum (which moves when any row of it is updated).
 */
export async function snapshotter(dataSource: DataSource): Promise<() => Promise<Snapshot>> {
  const database = dataSource.options.database as string;
  const tables = (
    await dataSource.query<{ name: string }[]>(
      "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = ? AND table_type = 'BASE TABLE' AND table_name <> 'migrations' ORDER BY table_name",
      [database],
    )
  ).map(({ name }) => name);
  const figures = [
    ...tables.map(
      (table) =>
        `(SELECT COUNT(*) FROM \`${table}\` WHERE ${FILTERED[table] ?? 'TRUE'}) AS \`rows.${table}\``,
    ),
    ...SUMS.map(
      ([table, column]) =>
        `(SELECT COALESCE(SUM(\`${column}\`), 0) FROM \`${table}\`) AS \`sum.${table}.${column}\``,
    ),
  ];
  const figuresSql = `SELECT ${figures.join(', ')}`;
  const checksummed = tables.filter((table) => !FILTERED[table]);
  const checksumSql = `CHECKSUM TABLE ${checksummed.map((table) => `\`${table}\``).join(', ')}`;
  return async () => {
    const [[row], checksums] = await Promise.all([
      dataSource.query<Record<string, unknown>[]>(figuresSql),
      dataSource.query<{ Table: string; Checksum: unknown }[]>(checksumSql),
    ]);
    const snapshot: Snapshot = {};
    for (const [key, value] of Object.entries(row)) snapshot[key] = String(value);
    for (const { Table, Checksum } of checksums) {
      snapshot[`checksum.${Table.slice(Table.indexOf('.') + 1)}`] = String(Checksum);
    }
    return snapshot;
  };
}

/** `rows.donations 3 → 4; sum.households.balance 100 → 90`, or '' when nothing moved. */
export function differences(before: Snapshot, after: Snapshot): string {
  return Object.keys({ ...before, ...after })
    .filter((key) => before[key] !== after[key])
    .map((key) => `${key} ${before[key]} → ${after[key]}`)
    .join('; ');
}
