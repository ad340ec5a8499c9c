import { businessDate, NotFoundError, onReplica } from '@charity/common';
import { AppConfig } from '@charity/config';
import { SPENT_STATUSES } from '@charity/redemptions';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { DonorImpact } from './monthly-report.types';
import { renderDonorThanksPdf } from './render';

/** Statuses whose goods stayed with the household. */
const GIVEN = `(${SPENT_STATUSES.map((status) => `'${status}'`).join(', ')})`;

/**
 * What a donor's goods did: from the lots their donations of a year filled, through the
 * redemption lines that drew on those lots, to households (counted, never named) and townships.
 * Goods moved to another store by a transfer land in a new lot of their own (one per transfer
 * line, holding only what left the sender's lot), so they are followed there, hop after hop.
 */
@Injectable()
export class DonorImpactService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly config: AppConfig,
  ) {}

  async impact(donorId: number, year: number): Promise<DonorImpact> {
    return onReplica(this.dataSource, async (query) => {
      const [donor] = await query<{ name: string }[]>('SELECT name FROM donors WHERE id = ?', [
        donorId,
      ]);
      if (!donor) throw new NotFoundError('donor', donorId);
      const donated = `SELECT l.lot_id, l.product_id, l.product_name, l.unit, l.quantity, l.amount_fen
                         FROM donations d JOIN donation_lines l ON l.donation_id = d.id
                        WHERE d.donor_id = ? AND d.status = 'active'
                          AND d.received_date BETWEEN ? AND ?`;
      const range = [donorId, `${year}-01-01`, `${year}-12-31`];
      const products = await query<
        { productId: number; name: string; unit: string; donated: string; value: string }[]
      >(
        `SELECT x.product_id AS productId, MIN(x.product_name) AS name, MIN(x.unit) AS unit,
                SUM(x.quantity) AS donated, SUM(x.amount_fen) AS value
           FROM (${donated}) x GROUP BY x.product_id ORDER BY value DESC, x.product_id`,
        range,
      );
      const given = await query<
        {
          productId: number;
          redemptionId: number;
          householdId: number;
          townshipName: string | null;
          quantity: string;
          value: string;
        }[]
      >(
        `WITH RECURSIVE reached (lot_id, product_id) AS (
           SELECT DISTINCT lot_id, product_id FROM (${donated}) d0
           UNION
           SELECT tl.to_lot_id, reached.product_id
             FROM reached JOIN transfer_lines tl ON tl.from_lot_id = reached.lot_id
            WHERE tl.to_lot_id IS NOT NULL
         )
         SELECT x.product_id AS productId, r.id AS redemptionId, r.household_id AS householdId,
                t.name AS townshipName, SUM(rl.quantity) AS quantity,
                SUM(rl.quantity * rl.unit_value_fen) AS value
           FROM reached x
           JOIN redemption_line_lots rl ON rl.lot_id = x.lot_id
           JOIN redemptions r ON r.id = rl.redemption_id AND r.status IN ${GIVEN}
           JOIN stores s ON s.id = r.store_id
           JOIN regions g ON g.id = s.region_id
           LEFT JOIN regions t ON t.id = CASE WHEN g.level = 'township' THEN g.id ELSE g.parent_id END
                               AND t.level = 'township'
          GROUP BY x.product_id, r.id, r.household_id, t.name`,
        range,
      );
      const donatedValueFen = products.reduce((sum, p) => sum + Number(p.value), 0);
      const givenOutValueFen = given.reduce((sum, g) => sum + Number(g.value), 0);
      const townships = new Map<
        string,
        { households: Set<number>; visits: Set<number>; valueFen: number }
      >();
      for (const row of given) {
        const name = row.townshipName ?? '县直';
        const t = townships.get(name) ?? { households: new Set(), visits: new Set(), valueFen: 0 };
        t.households.add(Number(row.householdId));
        t.visits.add(Number(row.redemptionId));
        t.valueFen += Number(row.value);
        townships.set(name, t);
      }
      const givenByProduct = new Map<number, number>();
      for (const row of given) {
        const id = Number(row.productId);
        givenByProduct.set(id, (givenByProduct.get(id) ?? 0) + Number(row.quantity));
      }
      return {
        donorId,
        donorName: donor.name,
        year,
        donatedValueFen,
        donatedQuantity: products.reduce((sum, p) => sum + Number(p.donated), 0),
        givenOutValueFen,
        givenOutQuantity: given.reduce((sum, g) => sum + Number(g.quantity), 0),
        givenOutPercent:
          donatedValueFen === 0 ? 0 : Math.round((givenOutValueFen * 1000) / donatedValueFen) / 10,
        households: new Set(given.map((g) => Number(g.householdId))).size,
        visits: new Set(given.map((g) => Number(g.redemptionId))).size,
        townships: [...townships.entries()]
          .map(([name, t]) => ({
            name,
            households: t.households.size,
            visits: t.visits.size,
            valueFen: t.valueFen,
          }))
          .sort((a, b) => b.valueFen - a.valueFen || a.name.localeCompare(b.name)),
        products: products.map((p) => ({
          name: p.name,
          unit: p.unit,
          donatedQuantity: Number(p.donated),
          givenOutQuantity: givenByProduct.get(Number(p.productId)) ?? 0,
        })),
      };
    });
  }

  /** 感谢信: the impact as a one-page letter. */
  async thanksLetter(donorId: number, year: number): Promise<Buffer> {
    const impact = await this.impact(donorId, year);
    return renderDonorThanksPdf(impact, {
      unionName: this.config.unionName,
      issuedOn: businessDate(new Date(), this.config.timeZone),
    });
  }
}
