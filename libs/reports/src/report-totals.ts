import { STOCK_TOTAL_KIND_SQL } from '@charity/inventory';
import type { EntityManager } from 'typeorm';

/**
 * The monthly totals kept beside the ledgers, recomputed from the ledgers themselves. A reversal
 * counts with the kind of entry it reverses; a movement is valued at its lot's intake value.
 */
const POINTS_FROM_LEDGER = `
  SELECT DATE_FORMAT(e.business_date, '%Y-%m') AS business_month, e.store_id,
         CASE COALESCE(o.kind, e.kind)
           WHEN 'award' THEN 'issued' WHEN 'allotment' THEN 'issued'
           WHEN 'redemption' THEN 'redeemed' WHEN 'expiry' THEN 'expired'
           ELSE 'adjusted' END AS kind,
         SUM(e.points) AS points
    FROM points_entries e
    LEFT JOIN points_entries o ON o.id = e.reverses_entry_id
   GROUP BY 1, 2, 3`;

const STOCK_FROM_LEDGER = `
  SELECT DATE_FORMAT(m.business_date, '%Y-%m') AS business_month, m.store_id,
         ${STOCK_TOTAL_KIND_SQL} AS kind, SUM(m.quantity * CAST(l.unit_value_fen AS SIGNED)) AS value_fen
    FROM stock_movements m STRAIGHT_JOIN stock_lots l ON l.id = m.lot_id
   GROUP BY 1, 2, 3`;

export interface TotalsMismatch {
  table: 'points_month_totals' | 'stock_month_totals';
  businessMonth: string;
  storeId: number;
  kind: string;
  kept: number;
  ledger: number;
}

/** `npm run reports:rebuild`: replaces both totals tables with what the ledgers say. */
export async function rebuildReportTotals(
  em: EntityManager,
): Promise<{ pointsRows: number; stockRows: number }> {
  await em.query('DELETE FROM points_month_totals');
  const points = await em.query<{ affectedRows: number }>(
    `INSERT INTO points_month_totals (business_month, store_id, kind, points) ${POINTS_FROM_LEDGER}`,
  );
  await em.query('DELETE FROM stock_month_totals');
  const stock = await em.query<{ affectedRows: number }>(
    `INSERT INTO stock_month_totals (business_month, store_id, kind, value_fen) ${STOCK_FROM_LEDGER}`,
  );
  return { pointsRows: points.affectedRows, stockRows: stock.affectedRows };
}

/** Totals that differ from a recomputation (a missing row on either side counts as zero). */
export async function findReportTotalsMismatches(em: EntityManager): Promise<TotalsMismatch[]> {
  const compare = async (
    table: TotalsMismatch['table'],
    column: string,
    ledgerSql: string,
  ): Promise<TotalsMismatch[]> => {
    const rows = await em.query<
      { businessMonth: string; storeId: number; kind: string; kept: string; ledger: string }[]
    >(
      `SELECT business_month AS businessMonth, store_id AS storeId, kind,
              SUM(kept) AS kept, SUM(ledger) AS ledger
         FROM (SELECT business_month, store_id, kind, ${column} AS kept, 0 AS ledger FROM ${table}
               UNION ALL
               SELECT business_month, store_id, kind, 0, ${column} FROM (${ledgerSql}) x) both_sides
        GROUP BY business_month, store_id, kind
       HAVING SUM(kept) <> SUM(ledger)`,
    );
    return rows.map((row) => ({
      table,
      businessMonth: row.businessMonth,
      storeId: Number(row.storeId),
      kind: row.kind,
      kept: Number(row.kept),
      ledger: Number(row.ledger),
    }));
  };
  return [
    ...(await compare('points_month_totals', 'points', POINTS_FROM_LEDGER)),
    ...(await compare('stock_month_totals', 'value_fen', STOCK_FROM_LEDGER)),
  ];
}
