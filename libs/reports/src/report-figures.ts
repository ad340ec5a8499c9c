import { shiftMonth, startOfBusinessDay, type ReadQuery } from '@charity/common';
import { DONOR_KIND_LABELS, DONOR_KINDS, type DonorKind } from '@charity/donations';
import {
  CATEGORY_LABELS,
  HOUSEHOLD_CATEGORIES,
  monthBounds,
  type HouseholdCategory,
} from '@charity/households';
import type {
  AidFigures,
  BreakdownRow,
  DonationFigures,
  PeriodFigures,
  PointsFigures,
  StockFigures,
  TrendPoint,
} from './monthly-report.types';
import { storeFilter, storeParams, type ReportScope } from './report-scope';

const TOP_DONORS = 10;

/** Months `from`..`to` inclusive, oldest first. */
export function monthsBetween(from: string, to: string): string[] {
  const months: string[] = [];
  for (let m = from; m <= to; m = shiftMonth(m, 1)) months.push(m);
  return months;
}

const n = (value: unknown): number => (value === null || value === undefined ? 0 : Number(value));

/**
 * The report's queries over one scope. Every figure is counted as it stood at the end of its
 * month: a redemption or donation counts in its month unless it was voided before that month
 * ended; a later void shows as a correction in the month it happened. So a month's figures are
 * fixed once it is over, and adding the months of a year gives the year.
 */
export class ReportFigures {
  constructor(
    private readonly query: ReadQuery,
    private readonly scope: ReportScope,
    private readonly timeZone: string,
  ) {}

  /** The instant a month ends (the next month's first local midnight). */
  monthEnd(month: string): Date {
    return startOfBusinessDay(`${shiftMonth(month, 1)}-01`, this.timeZone);
  }

  monthStart(month: string): Date {
    return startOfBusinessDay(`${month}-01`, this.timeZone);
  }

  async period(from: string, to: string): Promise<PeriodFigures> {
    const [donations, aid, points, stock, active] = await Promise.all([
      this.donations(from, to),
      this.aid(from, to),
      this.points(from, to),
      this.stock(from, to),
      this.activeStores(from, to),
    ]);
    return { stores: { active }, donations, aid, points, stock };
  }

  /** True when the period holds any fact at all (for "the same month last year, where data exists"). */
  async hasData(from: string, to: string): Promise<boolean> {
    const rows = await this.query<{ found: number }[]>(
      `SELECT EXISTS (SELECT 1 FROM redemptions r WHERE r.business_month BETWEEN ? AND ? ${this.stores('r')})
           OR EXISTS (SELECT 1 FROM donations d WHERE d.received_date BETWEEN ? AND ? ${this.stores('d')})
           OR EXISTS (SELECT 1 FROM points_month_totals p WHERE p.business_month BETWEEN ? AND ? ${this.stores('p')})
           OR EXISTS (SELECT 1 FROM stock_month_totals s WHERE s.business_month BETWEEN ? AND ? ${this.stores('s')})
           AS found`,
      [
        from,
        to,
        ...this.storeParams(),
        `${from}-01`,
        monthBounds(to).last,
        ...this.storeParams(),
        from,
        to,
        ...this.storeParams(),
        from,
        to,
        ...this.storeParams(),
      ],
    );
    return n(rows[0]?.found) === 1;
  }

  async donations(from: string, to: string): Promise<DonationFigures> {
    const counted = this.countedDonations(from, to);
    const [totals] = await this.query<Record<string, string | null>[]>(
      `SELECT COUNT(*) AS count, COUNT(DISTINCT d.donor_id) AS donors,
              SUM(d.goods_value_fen) AS goods, SUM(d.cash_fen) AS cash, SUM(d.total_value_fen) AS total
         FROM donations d WHERE ${counted.sql}`,
      counted.params,
    );
    const kinds = await this.query<
      { kind: DonorKind; count: string; donors: string; total: string }[]
    >(
      `SELECT o.kind, COUNT(*) AS count, COUNT(DISTINCT d.donor_id) AS donors,
              SUM(d.total_value_fen) AS total
         FROM donations d JOIN donors o ON o.id = d.donor_id
        WHERE ${counted.sql} GROUP BY o.kind`,
      counted.params,
    );
    const categories = await this.query<
      { categoryId: number; name: string; quantity: string; value: string }[]
    >(
      `SELECT c.id AS categoryId, c.name, SUM(l.quantity) AS quantity, SUM(l.amount_fen) AS value
         FROM donations d
         -- from the period's donations to their lines; the planner otherwise starts from the
         -- few categories and reads every donation line there is
         STRAIGHT_JOIN donation_lines l ON l.donation_id = d.id
         JOIN products p ON p.id = l.product_id
         JOIN product_categories c ON c.id = p.category_id
        WHERE ${counted.sql}
        GROUP BY c.id, c.name, c.sort_order ORDER BY c.sort_order, c.id`,
      counted.params,
    );
    const top = await this.query<
      { donorId: number; name: string; kind: string; count: string; total: string }[]
    >(
      `SELECT d.donor_id AS donorId, o.name, o.kind, COUNT(*) AS count, SUM(d.total_value_fen) AS total
         FROM donations d JOIN donors o ON o.id = d.donor_id
        WHERE ${counted.sql}
        GROUP BY d.donor_id, o.name, o.kind
        ORDER BY total DESC, d.donor_id LIMIT ${TOP_DONORS}`,
      counted.params,
    );
    const byKind = new Map(kinds.map((k) => [k.kind, k]));
    const late = await this.lateVoids('donations', from, to);
    return {
      count: n(totals?.count),
      donors: n(totals?.donors),
      goodsValueFen: n(totals?.goods),
      cashFen: n(totals?.cash),
      totalValueFen: n(totals?.total),
      byDonorKind: DONOR_KINDS.map((kind) => ({
        kind,
        label: DONOR_KIND_LABELS[kind],
        count: n(byKind.get(kind)?.count),
        donors: n(byKind.get(kind)?.donors),
        totalValueFen: n(byKind.get(kind)?.total),
      })),
      byCategory: categories.map((c) => ({
        categoryId: Number(c.categoryId),
        name: c.name,
        quantity: n(c.quantity),
        valueFen: n(c.value),
      })),
      topDonors: top.map((t) => ({
        donorId: Number(t.donorId),
        name: t.name,
        kind: t.kind,
        count: n(t.count),
        totalValueFen: n(t.total),
      })),
      corrections: {
        count: -late.length,
        totalValueFen: -late.reduce((sum, row) => sum + n(row.value), 0),
      },
    };
  }

  async aid(from: string, to: string): Promise<AidFigures> {
    const counted = this.countedRedemptions(from, to);
    const [totals] = await this.query<Record<string, string | null>[]>(
      `SELECT COUNT(DISTINCT r.household_id) AS households, COUNT(*) AS visits,
              SUM(r.points_total) AS points, SUM(r.goods_value_fen) AS value
         FROM redemptions r WHERE ${counted.sql}`,
      counted.params,
    );
    const categories = await this.query<
      {
        category: HouseholdCategory;
        households: string;
        visits: string;
        points: string;
        value: string;
      }[]
    >(
      `SELECT r.household_category AS category, COUNT(DISTINCT r.household_id) AS households,
              COUNT(*) AS visits, SUM(r.points_total) AS points, SUM(r.goods_value_fen) AS value
         FROM redemptions r WHERE ${counted.sql} GROUP BY r.household_category`,
      counted.params,
    );
    const byCategory = new Map(categories.map((c) => [c.category, c]));
    const late = await this.lateVoids('redemptions', from, to);
    return {
      households: n(totals?.households),
      visits: n(totals?.visits),
      pointsRedeemed: n(totals?.points),
      goodsValueFen: n(totals?.value),
      byCategory: HOUSEHOLD_CATEGORIES.map((category) => ({
        category,
        label: CATEGORY_LABELS[category],
        households: n(byCategory.get(category)?.households),
        visits: n(byCategory.get(category)?.visits),
        pointsRedeemed: n(byCategory.get(category)?.points),
        goodsValueFen: n(byCategory.get(category)?.value),
      })),
      corrections: {
        visits: -late.length,
        pointsRedeemed: -late.reduce((sum, row) => sum + n(row.points), 0),
        goodsValueFen: -late.reduce((sum, row) => sum + n(row.value), 0),
      },
    };
  }

  /** From the monthly points totals kept beside the ledger; the balance is the sum to date. */
  async points(from: string, to: string): Promise<PointsFigures> {
    const rows = await this.query<{ kind: string; inPeriod: string | null; toDate: string }[]>(
      `SELECT p.kind, SUM(CASE WHEN p.business_month >= ? THEN p.points END) AS inPeriod,
              SUM(p.points) AS toDate
         FROM points_month_totals p
        WHERE p.business_month <= ? ${this.stores('p')}
        GROUP BY p.kind`,
      [from, to, ...this.storeParams()],
    );
    const inPeriod = (kind: string) => n(rows.find((r) => r.kind === kind)?.inPeriod);
    return {
      issued: inPeriod('issued'),
      redeemed: -inPeriod('redeemed'),
      expired: -inPeriod('expired'),
      adjusted: inPeriod('adjusted'),
      outstanding: rows.reduce((sum, r) => sum + n(r.toDate), 0),
    };
  }

  /** From the monthly stock value totals; the value on hand is the sum to date. */
  async stock(from: string, to: string): Promise<StockFigures> {
    const [row] = await this.query<{ expired: string | null; onHand: string | null }[]>(
      `SELECT SUM(CASE WHEN s.kind = 'expired' AND s.business_month >= ? THEN s.value_fen END) AS expired,
              SUM(s.value_fen) AS onHand
         FROM stock_month_totals s
        WHERE s.business_month <= ? ${this.stores('s')}`,
      [from, to, ...this.storeParams()],
    );
    return { onHandValueFen: n(row?.onHand), expiredWriteOffValueFen: -n(row?.expired) };
  }

  /** Stores with at least one counted redemption or donation in the period. */
  async activeStores(from: string, to: string): Promise<number> {
    return (await this.activeStoreIds(from, to)).size;
  }

  async activeStoreIds(from: string, to: string): Promise<Set<number>> {
    const redemptions = this.countedRedemptions(from, to);
    const donations = this.countedDonations(from, to);
    const rows = await this.query<{ storeId: number }[]>(
      `SELECT DISTINCT r.store_id AS storeId FROM redemptions r WHERE ${redemptions.sql}
       UNION
       SELECT DISTINCT d.store_id FROM donations d WHERE ${donations.sql}`,
      [...redemptions.params, ...donations.params],
    );
    return new Set(rows.map((row) => Number(row.storeId)));
  }

  /** Per-store and per-township rows for one month. */
  async breakdown(month: string): Promise<{ townships: BreakdownRow[]; stores: BreakdownRow[] }> {
    const redemptions = this.countedRedemptions(month, month);
    const donations = this.countedDonations(month, month);
    // one row per store and household: distinct households per store and per township
    const visits = await this.query<
      { storeId: number; householdId: number; visits: string; points: string; value: string }[]
    >(
      `SELECT r.store_id AS storeId, r.household_id AS householdId, COUNT(*) AS visits,
              SUM(r.points_total) AS points, SUM(r.goods_value_fen) AS value
         FROM redemptions r WHERE ${redemptions.sql}
        GROUP BY r.store_id, r.household_id`,
      redemptions.params,
    );
    const gifts = await this.query<{ storeId: number; count: string; total: string }[]>(
      `SELECT d.store_id AS storeId, COUNT(*) AS count, SUM(d.total_value_fen) AS total
         FROM donations d WHERE ${donations.sql} GROUP BY d.store_id`,
      donations.params,
    );
    const storeOf = new Map(this.scope.stores.map((s) => [s.id, s]));
    const blank = (row: Pick<BreakdownRow, 'regionId' | 'storeId' | 'code' | 'name'>) => ({
      ...row,
      activeStores: 0,
      donationCount: 0,
      donationValueFen: 0,
      households: 0,
      visits: 0,
      pointsRedeemed: 0,
      goodsValueFen: 0,
      seen: new Set<number>(),
      active: new Set<number>(),
    });
    type Tally = ReturnType<typeof blank>;
    const stores = new Map<number, Tally>();
    const townships = new Map<number | null, Tally>();
    for (const store of this.scope.stores) {
      stores.set(
        store.id,
        blank({ regionId: store.regionId, storeId: store.id, code: store.code, name: store.name }),
      );
      if (!townships.has(store.townshipId)) {
        townships.set(
          store.townshipId,
          blank({
            regionId: store.townshipId,
            storeId: null,
            code: null,
            name: store.townshipName ?? '县直',
          }),
        );
      }
    }
    const tallies = (storeId: number): Tally[] => {
      const store = storeOf.get(storeId);
      const own = stores.get(storeId);
      const township = store ? townships.get(store.townshipId) : undefined;
      return [own, township].filter((t): t is Tally => t !== undefined);
    };
    for (const row of visits) {
      const storeId = Number(row.storeId);
      for (const tally of tallies(storeId)) {
        tally.visits += n(row.visits);
        tally.pointsRedeemed += n(row.points);
        tally.goodsValueFen += n(row.value);
        tally.seen.add(Number(row.householdId));
        tally.active.add(storeId);
      }
    }
    for (const row of gifts) {
      const storeId = Number(row.storeId);
      for (const tally of tallies(storeId)) {
        tally.donationCount += n(row.count);
        tally.donationValueFen += n(row.total);
        tally.active.add(storeId);
      }
    }
    const finish = ({ seen, active, ...tally }: Tally): BreakdownRow => ({
      ...tally,
      households: seen.size,
      activeStores: active.size,
    });
    return {
      townships: [...townships.values()].map(finish),
      stores: [...stores.values()].map(finish),
    };
  }

  /** Donation value, visits and households of each of the 12 months ending `to`. */
  async trend(to: string): Promise<TrendPoint[]> {
    const from = shiftMonth(to, -11);
    const redemptions = this.countedRedemptions(from, to);
    const donations = this.countedDonations(from, to);
    const aid = await this.query<{ month: string; visits: string; households: string }[]>(
      `SELECT r.business_month AS month, COUNT(*) AS visits, COUNT(DISTINCT r.household_id) AS households
         FROM redemptions r WHERE ${redemptions.sql} GROUP BY r.business_month`,
      redemptions.params,
    );
    const gifts = await this.query<{ month: string; total: string }[]>(
      `SELECT DATE_FORMAT(d.received_date, '%Y-%m') AS month, SUM(d.total_value_fen) AS total
         FROM donations d WHERE ${donations.sql} GROUP BY month`,
      donations.params,
    );
    return monthsBetween(from, to).map((month) => {
      const a = aid.find((row) => row.month === month);
      return {
        month,
        donationValueFen: n(gifts.find((row) => row.month === month)?.total),
        visits: n(a?.visits),
        households: n(a?.households),
      };
    });
  }

  /** Redemptions of `from`..`to` not undone before their own month ended. */
  private countedRedemptions(from: string, to: string): { sql: string; params: unknown[] } {
    const months = monthsBetween(from, to);
    return {
      sql: `r.business_month BETWEEN ? AND ? ${this.stores('r')}
        AND (r.voided_at IS NULL OR r.voided_at >= CASE r.business_month ${months.map(() => 'WHEN ? THEN ?').join(' ')} END)`,
      params: [from, to, ...this.storeParams(), ...months.flatMap((m) => [m, this.monthEnd(m)])],
    };
  }

  /** Donations received in `from`..`to` not voided before their own month ended. */
  private countedDonations(from: string, to: string): { sql: string; params: unknown[] } {
    const months = monthsBetween(from, to);
    return {
      sql: `d.received_date BETWEEN ? AND ? ${this.stores('d')}
        AND (d.voided_at IS NULL OR d.voided_at >= CASE DATE_FORMAT(d.received_date, '%Y-%m') ${months.map(() => 'WHEN ? THEN ?').join(' ')} END)`,
      params: [
        `${from}-01`,
        monthBounds(to).last,
        ...this.storeParams(),
        ...months.flatMap((m) => [m, this.monthEnd(m)]),
      ],
    };
  }

  /**
   * Redemptions or donations voided (or cancelled) during the period that belong to an earlier
   * month, which already counted them: the period shows them as corrections.
   */
  private async lateVoids(
    table: 'redemptions' | 'donations',
    from: string,
    to: string,
  ): Promise<{ month: string; voidedAt: Date; points: string; value: string }[]> {
    const rows = await this.query<
      { month: string; voidedAt: Date; points: string; value: string }[]
    >(
      table === 'redemptions'
        ? `SELECT r.business_month AS month, r.voided_at AS voidedAt, r.points_total AS points,
                  r.goods_value_fen AS value
             FROM redemptions r
            WHERE r.voided_at >= ? AND r.voided_at < ? AND r.business_month < ? ${this.stores('r')}`
        : `SELECT DATE_FORMAT(d.received_date, '%Y-%m') AS month, d.voided_at AS voidedAt,
                  0 AS points, d.total_value_fen AS value
             FROM donations d
            WHERE d.voided_at >= ? AND d.voided_at < ? AND d.received_date < ? ${this.stores('d')}`,
      [
        this.monthStart(from),
        this.monthEnd(to),
        table === 'redemptions' ? to : `${to}-01`,
        ...this.storeParams(),
      ],
    );
    // late only if voided after its own month had ended
    return rows.filter((row) => new Date(row.voidedAt) >= this.monthEnd(row.month));
  }

  private stores(alias: string): string {
    return storeFilter(this.scope, alias);
  }

  private storeParams(): unknown[] {
    return storeParams(this.scope);
  }
}
