// `npm run check:ledgers`: every cached balance must equal the sum of its ledger. Prints each
// mismatch naming its row and exits 1; exits 0 when all agree. Later ledgers (points) add their
// checks here.
import 'reflect-metadata';
import { loadConfig, loadEnvFile } from '@charity/config';
import { dataSourceOptions, ensureDatabase } from '@charity/database';
import { findStockLedgerMismatches } from '@charity/inventory';
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
    console.log(
      `stock: ${Number(lots)} lots checked, ${stock.length} mismatch${stock.length === 1 ? '' : 'es'}`,
    );
    return stock.length === 0 ? 0 : 1;
  } finally {
    await dataSource.destroy();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(2);
  },
);
