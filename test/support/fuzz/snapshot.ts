import type { DataSource } from 'typeorm';

/** Figure name → value, e.g. `rows.households` → `1`, `sum.households.balance` → `9980`. */
export type Snapshot = Record<string, string>;

export interface Snapshots {
  /**
   * Row counts of every table, balances and ledger sums, and every table's checksum: taken
   * before and after each route's set of cases.
   */
  figures(): Promise<Snapshot>;
  /**
   * Every table's checksum (any insert, update or delete moves it), in one statement: taken
   * around each write. The audit log is left to the figures (a failed login adds to it).
   */
  checksums(): Promise<Snapshot>;
}

/** The balances and ledgers people would notice first. */
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
 * which name from where), so the audit log is counted without them, not checksummed.
 */
const RECORDED_REFUSALS = ['auth.login_failed'];
const AUDIT_TABLE = 'audit_entries';
const AUDIT_COUNT = `(SELECT COUNT(*) FROM \`${AUDIT_TABLE}\` WHERE action NOT IN (${RECORDED_REFUSALS.map((action) => `'${action}'`).join(', ')})) AS \`rows.${AUDIT_TABLE}\``;

function keyed(rows: Record<string, unknown>[]): Snapshot {
  return Object.fromEntries(Object.entries(rows[0]).map(([key, value]) => [key, String(value)]));
}

/** Reads the database's tables once, then takes snapshots of them in two round trips. */
export async function snapshotsOf(dataSource: DataSource): Promise<Snapshots> {
  const database = dataSource.options.database as string;
  const tables = (
    await dataSource.query<{ name: string }[]>(
      "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = ? AND table_type = 'BASE TABLE' AND table_name <> 'migrations' ORDER BY table_name",
      [database],
    )
  ).map(({ name }) => name);
  const counted = tables.filter((table) => table !== AUDIT_TABLE);
  const figuresSql = `SELECT ${[
    ...counted.map((table) => `(SELECT COUNT(*) FROM \`${table}\`) AS \`rows.${table}\``),
    AUDIT_COUNT,
    ...SUMS.map(
      ([table, column]) =>
        `(SELECT COALESCE(SUM(\`${column}\`), 0) FROM \`${table}\`) AS \`sum.${table}.${column}\``,
    ),
  ].join(', ')}`;
  const checksumSql = `CHECKSUM TABLE ${counted.map((table) => `\`${table}\``).join(', ')}`;

  const checksums = async (): Promise<Snapshot> => {
    const rows = await dataSource.query<{ Table: string; Checksum: unknown }[]>(checksumSql);
    return Object.fromEntries(
      rows.map(({ Table, Checksum }) => [
        `checksum.${Table.slice(Table.indexOf('.') + 1)}`,
        String(Checksum),
      ]),
    );
  };
  return {
    figures: async () => {
      const [rows, sums] = await Promise.all([
        dataSource.query<Record<string, unknown>[]>(figuresSql),
        checksums(),
      ]);
      return { ...keyed(rows), ...sums };
    },
    checksums,
  };
}

/** `rows.donations 3 → 4; sum.households.balance 100 → 90`, or '' when nothing moved. */
export function differences(before: Snapshot, after: Snapshot): string {
  return Object.keys({ ...before, ...after })
    .filter((key) => before[key] !== after[key])
    .map((key) => `${key} ${before[key]} → ${after[key]}`)
    .join('; ');
}
