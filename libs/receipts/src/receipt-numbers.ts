import type { EntityManager } from 'typeorm';

export interface IssuedNumber {
  receiptNo: string;
  year: number;
  sequence: number;
}

/**
 * Takes the next number of a series for a store and year inside the caller's transaction:
 * `JZ-QS01-2026-000123`. The upsert creates the year's row on first use and the row lock it
 * takes makes concurrent issuers queue, so the numbers have no gaps and no repeats.
 */
export async function nextReceiptNumber(
  em: EntityManager,
  series: string,
  store: { id: number; code: string },
  year: number,
): Promise<IssuedNumber> {
  await em.query(
    `INSERT INTO receipt_sequences (series, store_id, year, last_number) VALUES (?, ?, ?, 1)
     ON DUPLICATE KEY UPDATE last_number = last_number + 1`,
    [series, store.id, year],
  );
  const [row] = await em.query<{ lastNumber: number }[]>(
    'SELECT last_number AS lastNumber FROM receipt_sequences WHERE series = ? AND store_id = ? AND year = ?',
    [series, store.id, year],
  );
  const sequence = Number(row?.lastNumber);
  return {
    receiptNo: `${series}-${store.code}-${year}-${String(sequence).padStart(6, '0')}`,
    year,
    sequence,
  };
}
