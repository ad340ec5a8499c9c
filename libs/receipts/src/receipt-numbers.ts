import { StatementBatch } from '@charity/common';
import type { EntityManager } from 'typeorm';

export interface IssuedNumber {
  receiptNo: string;
  year: number;
  sequence: number;
}

/**
 * Takes the next number of a series for a store and year inside the caller's transaction:
 * `JZ-QS01-2026-000123`. The upsert creates the year's row on first use and the row lock it
 * takes makes concurrent issuers queue, so the numbers have no gaps and no repeats. The new number
 * comes back as the statement's insert id (`LAST_INSERT_ID(expr)`), so issuing one is one round
 * trip; a server that does not report it is asked with a second statement.
 */
export async function nextReceiptNumber(
  em: EntityManager,
  series: string,
  store: { id: number; code: string },
  year: number,
): Promise<IssuedNumber> {
  const batch = new StatementBatch();
  const issued = queueReceiptNumber(batch, series, store, year);
  await batch.run(em);
  return issued(em);
}

/**
 * nextReceiptNumber() queued in `batch` (the till takes its number and its lots' locks in one
 * round trip); once the batch has run, the function gives the number.
 */
export function queueReceiptNumber(
  batch: StatementBatch,
  series: string,
  store: { id: number; code: string },
  year: number,
): (em: EntityManager) => Promise<IssuedNumber> {
  const upsert = batch.add(
    `INSERT INTO receipt_sequences (series, store_id, year, last_number)
     VALUES (?, ?, ?, LAST_INSERT_ID(1))
     ON DUPLICATE KEY UPDATE last_number = LAST_INSERT_ID(last_number + 1)`,
    [series, store.id, year],
  );
  return async (em) => {
    let sequence = batch.resultOf(upsert).insertId;
    if (!(sequence > 0)) {
      const [row] = await em.query<{ lastNumber: number }[]>(
        'SELECT last_number AS lastNumber FROM receipt_sequences WHERE series = ? AND store_id = ? AND year = ?',
        [series, store.id, year],
      );
      sequence = Number(row?.lastNumber);
    }
    return {
      receiptNo: `${series}-${store.code}-${year}-${String(sequence).padStart(6, '0')}`,
      year,
      sequence,
    };
  };
}
