// `npm run check:ledgers`: every cached balance must equal the sum of its ledger. Prints each
// mismatch naming its row and exits 1; exits 0 when all agree. Checks the stock lots against
// their movements, the households' points against their entries, grants and allocations, and the
// reports' monthly totals against a recomputation from both ledgers.
import 'reflect-metadata';
import { loadConfig, loadEnvFile } from '@charity/config';
import { dataSourceOptions, ensureDatabase } from '@charity/database';
import { findPointsLedgerMismatches, type PointsLedgerMismatch } from '@charity/households';
import { findStockLedgerMismatches } from '@charity/inventory';
import { findReportTotalsMismatches } from '@charity/reports';
import { DataSource } from 'typeorm';

async function main(): Promise<number> {
  loadEnvFile();
  const config = loadConfig(process.env);
  const type = await ensureDatabase(config);
  const dataSource = await new DataSource(dataSourceOptions(config, type)).initialize();
  try {
    const [{ lots }] = await dataSource.query<{ lots: string }[]>(
      'SELECT COUNT(*) AS lots FROM stock_lots',
    );
    const stock = await findStockLedgerMismatches(dataSource.manager);
    for (const row of stock) {
      console.error(
        `stock_lots id=${row.lotId} (store ${row.storeId}, product ${row.productId}): ` +
          `cached quantity ${row.cached} but movements sum to ${row.ledger}`,
      );
    }
    console.log(`stock: ${Number(lots)} lots checked, ${mismatches(stock.length)}`);

    const [{ households }] = await dataSource.query<{ households: string }[]>(
      'SELECT COUNT(*) AS households FROM households',
    );
    const points = await findPointsLedgerMismatches(dataSource.manager);
    for (const row of points) console.error(describePointsMismatch(row));
    console.log(`points: ${Number(households)} households checked, ${mismatches(points.length)}`);

    const totals = await findReportTotalsMismatches(dataSource.manager);
    for (const row of totals) {
      console.error(
        `${row.table} ${row.businessMonth} store ${row.storeId} ${row.kind}: ` +
          `kept ${row.kept} but the ledger sums to ${row.ledger} (npm run reports:rebuild)`,
      );
    }
    console.log(`report totals: ${mismatches(totals.length)}`);
    return stock.length === 0 && points.length === 0 && totals.length === 0 ? 0 : 1;
  } finally {
    await dataSource.destroy();
  }
}

function mismatches(count: number): string {
  return `${count} mismatch${count === 1 ? '' : 'es'}`;
}

function describePointsMismatch(row: PointsLedgerMismatch): string {
  switch (row.table) {
    case 'households':
      return `households id=${row.id}: cached balance ${row.cached} but entries sum to ${row.ledger}`;
    case 'points_grants':
      return (
        `points_grants id=${row.id} (household ${row.householdId}): ` +
        `cached remaining ${row.cached} but allocations sum to ${row.ledger}`
      );
    case 'points_entries':
      return (
        `points_entries id=${row.id} (household ${row.householdId}): ` +
        `points ${row.cached} but allocations sum to ${row.ledger}`
      );
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(2);
  },
);
