// `npm run reports:rebuild`: recomputes the reports' monthly points and stock totals from the
// ledgers, in one transaction, and prints how many rows each got. Safe to run at any time: a
// write committing meanwhile waits for the rebuild's locks and then adds to the rebuilt rows.
import 'reflect-metadata';
import { loadConfig, loadEnvFile } from '@charity/config';
import { dataSourceOptions, ensureDatabase } from '@charity/database';
import { rebuildReportTotals } from '@charity/reports';
import { DataSource } from 'typeorm';

async function main(): Promise<void> {
  loadEnvFile();
  const config = loadConfig(process.env);
  const type = await ensureDatabase(config);
  const dataSource = await new DataSource(dataSourceOptions(config, type)).initialize();
  try {
    const started = Date.now();
    const rows = await dataSource.transaction((em) => rebuildReportTotals(em));
    console.log(
      `report totals rebuilt in ${Date.now() - started} ms: ` +
        `points_month_totals ${rows.pointsRows} rows, stock_month_totals ${rows.stockRows} rows`,
    );
  } finally {
    await dataSource.destroy();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
