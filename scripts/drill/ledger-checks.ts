// What the drill checks in the database after each fault: the tills' successes are there once
// each and nothing else under their keys, the cached balances equal their ledgers, receipt
// numbers have no gaps, and no checkout is half there.
import { findPointsLedgerMismatches } from '@charity/households';
import { findStockLedgerMismatches } from '@charity/inventory';
import { findReportTotalsMismatches } from '@charity/reports';
import type { EntityManager } from 'typeorm';
import type { Checkout } from './burst';

export interface CheckResult {
  name: string;
  ok: boolean;
  detail: string;
}

const SHOWN = 5;

function listed(items: string[]): string {
  if (items.length === 0) return '';
  const more = items.length > SHOWN ? ` … ${items.length - SHOWN} more` : '';
  return `: ${items.slice(0, SHOWN).join('; ')}${more}`;
}

/**
 * Every checkout a till was told succeeded exists once, with the id and receipt number it was
 * told; no other redemption carries one of the burst's keys (a checkout the till was refused,
 * or gave up on, must not have happened).
 */
export async function checkTillsAgainstDatabase(
  em: EntityManager,
  checkouts: Checkout[],
  keyPrefix: string,
): Promise<CheckResult[]> {
  const rows = await em.query<
    { id: number; storeId: number; idempotencyKey: string; receiptNo: string }[]
  >(
    `SELECT id, store_id AS storeId, idempotency_key AS idempotencyKey, receipt_no AS receiptNo
       FROM redemptions WHERE idempotency_key LIKE ?`,
    [`${keyPrefix}-%`],
  );
  const byKey = new Map<string, typeof rows>();
  for (const row of rows)
    byKey.set(row.idempotencyKey, [...(byKey.get(row.idempotencyKey) ?? []), row]);
  const succeeded = checkouts.filter((c) => c.outcome === 'succeeded');

  const lost: string[] = [];
  const wrong: string[] = [];
  for (const checkout of succeeded) {
    const found = byKey.get(checkout.key) ?? [];
    if (found.length === 0) {
      lost.push(`${checkout.key} (told id ${checkout.redemption?.id})`);
    } else if (
      found.length === 1 &&
      (Number(found[0].id) !== checkout.redemption?.id ||
        found[0].receiptNo !== checkout.redemption.receiptNo)
    ) {
      wrong.push(
        `${checkout.key}: told ${checkout.redemption?.id} ${checkout.redemption?.receiptNo}, ` +
          `stored ${found[0].id} ${found[0].receiptNo}`,
      );
    }
  }
  const doubled = [...byKey]
    .filter(([, found]) => found.length > 1)
    .map(([key, found]) => `${key} ×${found.length} (${found.map((row) => row.id).join(', ')})`);
  const outcomes = new Map(checkouts.map((c) => [c.key, c.outcome]));
  const unexpected = [...byKey.keys()]
    .filter((key) => outcomes.get(key) !== 'succeeded')
    .map((key) => `${key} (the till: ${outcomes.get(key) ?? 'never sent'})`);
  return [
    {
      name: 'every success stored once',
      ok: lost.length === 0 && wrong.length === 0 && doubled.length === 0,
      detail:
        `${succeeded.length} successes, ${lost.length} missing, ${doubled.length} doubled, ` +
        `${wrong.length} with another id or number${listed([...lost, ...doubled, ...wrong])}`,
    },
    {
      name: 'redemptions = successes',
      ok: rows.length === succeeded.length && unexpected.length === 0,
      detail:
        `${rows.length} redemptions under the burst's keys for ${succeeded.length} successes; ` +
        `${unexpected.length} the tills were not told of${listed(unexpected)}`,
    },
  ];
}

/** Cached balances equal their ledgers (what `npm run check:ledgers` checks). */
export async function checkLedgers(em: EntityManager): Promise<CheckResult[]> {
  const points = await findPointsLedgerMismatches(em);
  const stock = await findStockLedgerMismatches(em);
  const totals = await findReportTotalsMismatches(em);
  return [
    {
      name: 'points ledger = balances',
      ok: points.length === 0,
      detail: `${points.length} mismatches${listed(
        points.map((row) => `${row.table} ${row.id}: cached ${row.cached}, ledger ${row.ledger}`),
      )}`,
    },
    {
      name: 'stock ledger = lots',
      ok: stock.length === 0,
      detail: `${stock.length} mismatches${listed(
        stock.map((row) => `lot ${row.lotId}: cached ${row.cached}, movements ${row.ledger}`),
      )}`,
    },
    {
      name: 'month totals = ledgers',
      ok: totals.length === 0,
      detail: `${totals.length} mismatches${listed(
        totals.map(
          (row) =>
            `${row.table} ${row.businessMonth} store ${row.storeId} ${row.kind}: ${row.kept} ≠ ${row.ledger}`,
        ),
      )}`,
    },
  ];
}

/**
 * Each series' numbers per store and year are exactly 1 … last_number of its sequence: none
 * missing, none twice, none beyond the sequence.
 */
export async function checkReceiptNumbers(em: EntityManager): Promise<CheckResult> {
  const sequences = await em.query<
    { series: string; storeId: number; year: number; lastNumber: number }[]
  >(`SELECT series, store_id AS storeId, year, last_number AS lastNumber FROM receipt_sequences`);
  const issued = await em.query<{ series: string; storeId: number; receiptNo: string }[]>(
    `SELECT 'DH' AS series, store_id AS storeId, receipt_no AS receiptNo FROM redemptions
     UNION ALL
     SELECT 'JZ', store_id, receipt_no FROM donations`,
  );
  const numbers = new Map<string, number[]>();
  for (const row of issued) {
    const parts = row.receiptNo.split('-');
    const key = `${row.series}/${row.storeId}/${parts.at(-2)}`;
    numbers.set(key, [...(numbers.get(key) ?? []), Number(parts.at(-1))]);
  }
  const problems: string[] = [];
  let checked = 0;
  for (const sequence of sequences) {
    const key = `${sequence.series}/${sequence.storeId}/${sequence.year}`;
    const found = (numbers.get(key) ?? []).sort((a, b) => a - b);
    numbers.delete(key);
    checked += found.length;
    const last = Number(sequence.lastNumber);
    const seen = new Set<number>();
    const twice = found.filter((n) => (seen.has(n) ? true : (seen.add(n), false)));
    const missing: number[] = [];
    for (let n = 1; n <= last; n += 1) if (!seen.has(n)) missing.push(n);
    const beyond = found.filter((n) => n > last);
    if (missing.length || twice.length || beyond.length) {
      problems.push(
        `${key}: last ${last}` +
          (missing.length ? `, missing ${missing.slice(0, 10).join(', ')}` : '') +
          (twice.length ? `, twice ${twice.slice(0, 10).join(', ')}` : '') +
          (beyond.length ? `, beyond ${beyond.slice(0, 10).join(', ')}` : ''),
      );
    }
  }
  for (const [key, found] of numbers) problems.push(`${key}: ${found.length} numbers, no sequence`);
  return {
    name: 'receipt numbers gapless',
    ok: problems.length === 0,
    detail: `${checked} numbers in ${sequences.length} store-year series, ${problems.length} broken${listed(problems)}`,
  };
}

/**
 * No checkout half there: each redemption has its lines, the lots they drew on, its stock
 * movements per product, one points entry of its total, its goods value and its audit entry;
 * and no points entry, movement, line or lot row points at a redemption that is not there.
 */
export async function checkWholeCheckouts(em: EntityManager): Promise<CheckResult> {
  const partial = await em.query<{ id: number; problem: string }[]>(
    `SELECT r.id,
            CONCAT_WS(', ',
              IF(l.lineCount IS NULL, 'no lines', NULL),
              IF(l.units <> COALESCE(x.units, 0), CONCAT('lines ', l.units, ' units, lots ', COALESCE(x.units, 0)), NULL),
              IF(l.valueFen <> r.goods_value_fen, CONCAT('lines worth ', l.valueFen, ', redemption ', r.goods_value_fen), NULL),
              IF(COALESCE(p.entries, 0) <> IF(r.points_total > 0, 1, 0)
                   OR COALESCE(p.points, 0) <> -r.points_total,
                 CONCAT(COALESCE(p.entries, 0), ' points entries of ', COALESCE(p.points, 0), ' for ', r.points_total), NULL),
              IF(r.balance_before - r.balance_after <> r.points_total, 'balances do not differ by the total', NULL),
              IF(COALESCE(a.entries, 0) <> 1, CONCAT(COALESCE(a.entries, 0), ' audit entries'), NULL)
            ) AS problem
       FROM redemptions r
       LEFT JOIN (SELECT redemption_id, COUNT(*) AS lineCount, SUM(quantity) AS units, SUM(value_fen) AS valueFen
                    FROM redemption_lines GROUP BY redemption_id) l ON l.redemption_id = r.id
       LEFT JOIN (SELECT redemption_id, SUM(quantity) AS units
                    FROM redemption_line_lots GROUP BY redemption_id) x ON x.redemption_id = r.id
       LEFT JOIN (SELECT source_id, COUNT(*) AS entries, SUM(points) AS points
                    FROM points_entries WHERE source_type = 'redemption' AND kind = 'redemption'
                   GROUP BY source_id) p ON p.source_id = CAST(r.id AS CHAR)
       LEFT JOIN (SELECT entity_id, COUNT(*) AS entries
                    FROM audit_entries WHERE entity_type = 'redemption' AND action = 'redemption.create'
                   GROUP BY entity_id) a ON a.entity_id = CAST(r.id AS CHAR)
      HAVING problem <> ''`,
  );
  const unmoved = await em.query<
    { id: number; productId: number; quantity: number; moved: number }[]
  >(
    `SELECT l.redemption_id AS id, l.product_id AS productId, l.quantity, COALESCE(-SUM(m.quantity), 0) AS moved
       FROM redemption_lines l
       LEFT JOIN stock_movements m
              ON m.ref_type = 'redemption' AND m.ref_id = CAST(l.redemption_id AS CHAR)
             AND m.kind = 'redemption_out' AND m.product_id = l.product_id
      GROUP BY l.id
     HAVING moved <> l.quantity`,
  );
  const orphans = await em.query<{ what: string; n: string }[]>(
    `SELECT 'points entries' AS what, COUNT(*) AS n FROM points_entries e
       LEFT JOIN redemptions r ON CAST(r.id AS CHAR) = e.source_id
      WHERE e.source_type = 'redemption' AND r.id IS NULL
     UNION ALL
     SELECT 'stock movements', COUNT(*) FROM stock_movements m
       LEFT JOIN redemptions r ON CAST(r.id AS CHAR) = m.ref_id
      WHERE m.ref_type = 'redemption' AND r.id IS NULL
     UNION ALL
     SELECT 'lines', COUNT(*) FROM redemption_lines l
       LEFT JOIN redemptions r ON r.id = l.redemption_id WHERE r.id IS NULL
     UNION ALL
     SELECT 'line lots', COUNT(*) FROM redemption_line_lots x
       LEFT JOIN redemptions r ON r.id = x.redemption_id WHERE r.id IS NULL`,
  );
  const [{ redemptions }] = await em.query<{ redemptions: string }[]>(
    'SELECT COUNT(*) AS redemptions FROM redemptions',
  );
  const problems = [
    ...partial.map((row) => `redemption ${row.id}: ${row.problem}`),
    ...unmoved.map(
      (row) =>
        `redemption ${row.id} product ${row.productId}: line ${row.quantity}, moved ${row.moved}`,
    ),
    ...orphans
      .filter((row) => Number(row.n) > 0)
      .map((row) => `${row.n} ${row.what} without their redemption`),
  ];
  return {
    name: 'no half-done checkout',
    ok: problems.length === 0,
    detail: `${Number(redemptions)} redemptions, ${problems.length} problems${listed(problems)}`,
  };
}

/** Every finished export has its one file, and none is left queued or running. */
export async function checkExports(em: EntityManager): Promise<CheckResult> {
  const rows = await em.query<{ id: number; status: string; files: string }[]>(
    `SELECT e.id, e.status,
            (SELECT COUNT(*) FROM rendered_documents d
              WHERE d.kind = 'report_export' AND d.ref_id = CAST(e.id AS CHAR)) AS files
       FROM report_exports e`,
  );
  const problems = rows
    .filter((row) => row.status !== 'done' || Number(row.files) !== 1)
    .map((row) => `export ${row.id} ${row.status} with ${row.files} files`);
  return {
    name: 'exports finished once',
    ok: problems.length === 0,
    detail: `${rows.length} exports, ${problems.length} not done once${listed(problems)}`,
  };
}

/** How many of the burst's redemptions have their 80 mm receipt stored (the worker's render). */
export async function receiptsStored(
  em: EntityManager,
  keyPrefix: string,
): Promise<{ stored: number; redemptions: number }> {
  const [row] = await em.query<{ stored: string; redemptions: string }[]>(
    `SELECT COUNT(d.id) AS stored, COUNT(*) AS redemptions
       FROM redemptions r
       LEFT JOIN rendered_documents d
              ON d.kind = 'redemption_receipt_80' AND d.ref_id = CAST(r.id AS CHAR)
      WHERE r.idempotency_key LIKE ?`,
    [`${keyPrefix}-%`],
  );
  return { stored: Number(row?.stored), redemptions: Number(row?.redemptions) };
}
