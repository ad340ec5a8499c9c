import type { EntityManager } from 'typeorm';

export interface PointsLedgerMismatch {
  table: 'households' | 'points_grants' | 'points_entries';
  id: string;
  householdId: number;
  /** What the row says (a cached balance, a grant's remaining, an entry's points). */
  cached: number;
  /** What its ledger rows add up to. */
  ledger: number;
}

/**
 * Shared by tests and `npm run check:ledgers`. Three equalities must hold: a household's cached
 * balance is the sum of its entries; a grant's `remaining` is the sum of its allocations; an
 * entry's points are the sum of its allocations (so no change escaped the grants).
 */
export async function findPointsLedgerMismatches(
  em: EntityManager,
): Promise<PointsLedgerMismatch[]> {
  const households = await em.query<{ id: number; cached: string; ledger: string }[]>(
    `SELECT h.id, h.balance AS cached, COALESCE(e.total, 0) AS ledger
       FROM households h
       LEFT JOIN (SELECT household_id, SUM(points) AS total FROM points_entries
                   GROUP BY household_id) e ON e.household_id = h.id
      WHERE h.balance <> COALESCE(e.total, 0)`,
  );
  const grants = await em.query<
    { id: number; householdId: number; cached: string; ledger: string }[]
  >(
    `SELECT g.id, g.household_id AS householdId, g.remaining AS cached, COALESCE(a.total, 0) AS ledger
       FROM points_grants g
       LEFT JOIN (SELECT grant_id, SUM(points) AS total FROM points_allocations
                   GROUP BY grant_id) a ON a.grant_id = g.id
      WHERE g.remaining <> COALESCE(a.total, 0)`,
  );
  const entries = await em.query<
    { id: string; householdId: number; cached: number; ledger: string }[]
  >(
    `SELECT e.id, e.household_id AS householdId, e.points AS cached, COALESCE(a.total, 0) AS ledger
       FROM points_entries e
       LEFT JOIN (SELECT entry_id, SUM(points) AS total FROM points_allocations
                   GROUP BY entry_id) a ON a.entry_id = e.id
      WHERE e.points <> COALESCE(a.total, 0)`,
  );
  return [
    ...households.map((row) => ({
      table: 'households' as const,
      id: String(row.id),
      householdId: Number(row.id),
      cached: Number(row.cached),
      ledger: Number(row.ledger),
    })),
    ...grants.map((row) => ({
      table: 'points_grants' as const,
      id: String(row.id),
      householdId: Number(row.householdId),
      cached: Number(row.cached),
      ledger: Number(row.ledger),
    })),
    ...entries.map((row) => ({
      table: 'points_entries' as const,
      id: String(row.id),
      householdId: Number(row.householdId),
      cached: Number(row.cached),
      ledger: Number(row.ledger),
    })),
  ];
}
