import { AuditService } from '@charity/audit';
import {
  businessDate,
  NotFoundError,
  onReplica,
  pageOf,
  shiftMonth,
  skipOf,
  startOfBusinessDay,
  ValidationFailedError,
  type Actor,
  type Page,
  type PageQuery,
  type ReadQuery,
} from '@charity/common';
import { AppConfig } from '@charity/config';
import { CATEGORY_LABELS, monthBounds, type HouseholdCategory } from '@charity/households';
import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { headlineOf } from './headline';
import { monthLabel } from './month-label';
import type { AidRegisterRow, DonationRegisterRow, MonthlyReport } from './monthly-report.types';
import { ReportFigures } from './report-figures';
import {
  MonthAlreadyClosedError,
  MonthNotClosableError,
  MonthNotClosedError,
} from './report-errors';
import { ReportMonth } from './report-month.entity';
import {
  Organisation,
  storeFilter,
  storeParams,
  type ReportScope,
  type ScopeRequest,
} from './report-scope';

export interface MonthlyReportRequest extends ScopeRequest {
  month: string;
}

/** How long after a month ends it may be closed: no write that began inside it is still open. */
const CLOSE_GRACE_MS = 10 * 60 * 1000;

/**
 * Connections one report reads on: its figures for the month, the year to date, the breakdown and
 * the trend are independent queries, and two connections let the database run them side by side.
 */
const REPORT_CONNECTIONS = 2;

export interface MonthState {
  month: string;
  status: 'open' | 'closed';
  closedAt: Date | null;
  closedBy: number | null;
  reopenedAt: Date | null;
  reopenedBy: number | null;
  reopenReason: string | null;
}

/**
 * The county union's monthly figures: computed from the facts (and the monthly totals kept
 * beside the ledgers) on a read replica where one is configured, or read from the snapshot taken
 * when the month was closed.
 */
@Injectable()
export class MonthlyReportsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly config: AppConfig,
    private readonly audit: AuditService,
  ) {}

  async monthly(actor: Actor, request: MonthlyReportRequest): Promise<MonthlyReport> {
    this.assertReportable(request.month);
    return onReplica(
      this.dataSource,
      async (query) => {
        const scope = (await Organisation.load(query)).scopeFor(actor, request);
        const snapshot = await query<{ body: string }[]>(
          `SELECT s.body FROM report_snapshots s JOIN report_months m ON m.month = s.month
          WHERE s.month = ? AND s.scope = ? AND m.status = 'closed'`,
          [request.month, scope.key],
        );
        if (snapshot[0]) {
          // The figures stay as frozen; the sentence about them is worded as the code words it
          // now, so months closed before a change of wording read like the others.
          const frozen = JSON.parse(snapshot[0].body) as MonthlyReport;
          return { ...frozen, headline: headlineOf(frozen) };
        }
        return this.compute(query, scope, request.month);
      },
      REPORT_CONNECTIONS,
    );
  }

  /** The report as the facts give it now (a closed month's facts no longer change). */
  async compute(query: ReadQuery, scope: ReportScope, month: string): Promise<MonthlyReport> {
    const figures = new ReportFigures(query, scope, this.config.timeZone);
    const yearStart = `${month.slice(0, 4)}-01`;
    const lastYearMonth = shiftMonth(month, -12);
    const [current, yearToDate, lastYearHasData, breakdown, trend] = await Promise.all([
      figures.period(month, month),
      figures.period(yearStart, month),
      figures.hasData(lastYearMonth, lastYearMonth),
      figures.breakdown(month),
      figures.trend(month),
    ]);
    const lastYear = lastYearHasData ? await figures.period(lastYearMonth, lastYearMonth) : null;
    const closed = await query<{ closedAt: Date | null }[]>(
      `SELECT closed_at AS closedAt FROM report_months WHERE month = ? AND status = 'closed'`,
      [month],
    );
    return {
      month,
      region: scope.region,
      ...current,
      yearToDate,
      lastYear,
      townships: breakdown.townships,
      storesBreakdown: breakdown.stores,
      trend,
      headline: headlineOf({ region: scope.region, ...current }),
      source: 'live',
      closedAt: closed[0]?.closedAt ? new Date(closed[0].closedAt).toISOString() : null,
      generatedAt: new Date().toISOString(),
    };
  }

  /** 捐赠明细: every line of every donation received in the month, voided ones marked. */
  async donationRegister(
    actor: Actor,
    request: MonthlyReportRequest,
    page: PageQuery | null,
  ): Promise<Page<DonationRegisterRow>> {
    this.assertReportable(request.month);
    return onReplica(this.dataSource, async (query) => {
      const scope = (await Organisation.load(query)).scopeFor(actor, request);
      const filter = `d.received_date BETWEEN ? AND ? ${storeFilter(scope, 'd')}`;
      const params = [
        `${request.month}-01`,
        monthBounds(request.month).last,
        ...storeParams(scope),
      ];
      const [count] = await query<{ total: string }[]>(
        `SELECT COUNT(*) AS total FROM donations d
           LEFT JOIN donation_lines l ON l.donation_id = d.id WHERE ${filter}`,
        params,
      );
      const rows = await query<DonationRegisterSqlRow[]>(
        `SELECT d.id AS donationId, d.receipt_no AS receiptNo,
                DATE_FORMAT(d.received_date, '%Y-%m-%d') AS receivedDate, d.store_id AS storeId,
                s.name AS storeName, d.donor_id AS donorId, o.name AS donorName, o.kind AS donorKind,
                l.line_no AS lineNo, l.product_name AS productName, c.name AS categoryName,
                l.quantity, l.unit, l.unit_value_fen AS unitValueFen,
                COALESCE(l.amount_fen, 0) AS amountFen,
                CASE WHEN l.line_no IS NULL OR l.line_no = 1 THEN d.cash_fen ELSE 0 END AS cashFen,
                d.status, (d.voided_at IS NULL OR d.voided_at >= ?) AS countsInMonth
           FROM donations d
           JOIN stores s ON s.id = d.store_id
           JOIN donors o ON o.id = d.donor_id
           LEFT JOIN donation_lines l ON l.donation_id = d.id
           LEFT JOIN products p ON p.id = l.product_id
           LEFT JOIN product_categories c ON c.id = p.category_id
          WHERE ${filter}
          ORDER BY d.received_date, d.id, l.line_no
          ${page ? 'LIMIT ? OFFSET ?' : ''}`,
        [this.monthEnd(request.month), ...params, ...(page ? [page.pageSize, skipOf(page)] : [])],
      );
      const items = rows.map((row) => ({
        donationId: Number(row.donationId),
        receiptNo: row.receiptNo,
        receivedDate: row.receivedDate,
        storeId: Number(row.storeId),
        storeName: row.storeName,
        donorId: Number(row.donorId),
        donorName: row.donorName,
        donorKind: row.donorKind,
        lineNo: nullableNumber(row.lineNo),
        productName: row.productName,
        categoryName: row.categoryName,
        quantity: nullableNumber(row.quantity),
        unit: row.unit,
        unitValueFen: nullableNumber(row.unitValueFen),
        amountFen: Number(row.amountFen),
        cashFen: Number(row.cashFen),
        status: row.status,
        countsInMonth: Number(row.countsInMonth) === 1,
      }));
      const total = Number(count?.total ?? 0);
      return pageOf(items, total, page ?? { page: 1, pageSize: Math.max(total, 1) });
    });
  }

  /** 兑换明细: every redemption of the month, the household by card number and category only. */
  async aidRegister(
    actor: Actor,
    request: MonthlyReportRequest,
    page: PageQuery | null,
  ): Promise<Page<AidRegisterRow>> {
    this.assertReportable(request.month);
    return onReplica(this.dataSource, async (query) => {
      const organisation = await Organisation.load(query);
      const scope = organisation.scopeFor(actor, request);
      const filter = `r.business_month = ? ${storeFilter(scope, 'r')}`;
      const params = [request.month, ...storeParams(scope)];
      const [count] = await query<{ total: string }[]>(
        `SELECT COUNT(*) AS total FROM redemptions r WHERE ${filter}`,
        params,
      );
      const rows = await query<Record<string, unknown>[]>(
        `SELECT r.id AS redemptionId, r.receipt_no AS receiptNo,
                DATE_FORMAT(r.business_date, '%Y-%m-%d') AS businessDate, r.store_id AS storeId,
                h.card_no AS cardNo, r.household_category AS householdCategory, r.fulfilment,
                r.status, r.points_total AS pointsTotal, r.goods_value_fen AS goodsValueFen,
                (SELECT COUNT(*) FROM redemption_lines l WHERE l.redemption_id = r.id) AS lineCount,
                (r.voided_at IS NULL OR r.voided_at >= ?) AS countsInMonth
           FROM redemptions r JOIN households h ON h.id = r.household_id
          WHERE ${filter}
          ORDER BY r.business_date, r.id
          ${page ? 'LIMIT ? OFFSET ?' : ''}`,
        [this.monthEnd(request.month), ...params, ...(page ? [page.pageSize, skipOf(page)] : [])],
      );
      const stores = new Map(organisation.stores.map((s) => [s.id, s]));
      const items = rows.map((row) => {
        const store = stores.get(Number(row.storeId));
        const category = row.householdCategory as HouseholdCategory;
        return {
          redemptionId: Number(row.redemptionId),
          receiptNo: String(row.receiptNo),
          businessDate: String(row.businessDate),
          storeId: Number(row.storeId),
          storeName: store?.name ?? '',
          townshipName: store?.townshipName ?? null,
          cardNo: String(row.cardNo),
          householdCategory: category,
          householdCategoryLabel: CATEGORY_LABELS[category],
          fulfilment: String(row.fulfilment),
          status: String(row.status),
          lines: Number(row.lineCount),
          pointsTotal: Number(row.pointsTotal),
          goodsValueFen: Number(row.goodsValueFen),
          countsInMonth: Number(row.countsInMonth) === 1,
        };
      });
      const total = Number(count?.total ?? 0);
      return pageOf(items, total, page ?? { page: 1, pageSize: Math.max(total, 1) });
    });
  }

  async months(year: number): Promise<MonthState[]> {
    const rows = await this.dataSource.getRepository(ReportMonth).find({ order: { month: 'ASC' } });
    const prefix = `${year}-`;
    return rows.filter((row) => row.month.startsWith(prefix)).map((row) => ({ ...row }));
  }

  /**
   * 结账: refuses back-dated writes into the month from now on and snapshots its report for
   * every scope. Waits for any back-dated write already in flight (they hold the month's row).
   */
  async close(actor: Actor, month: string): Promise<MonthState> {
    const ended = this.monthEnd(month);
    if (Date.now() < ended.getTime() + CLOSE_GRACE_MS) {
      throw new MonthNotClosableError(month, new Date(ended.getTime() + CLOSE_GRACE_MS));
    }
    return this.dataSource.transaction('READ COMMITTED', async (em) => {
      await em.query(`INSERT IGNORE INTO report_months (month, status) VALUES (?, 'open')`, [
        month,
      ]);
      const [row] = await em.query<{ status: string }[]>(
        'SELECT status FROM report_months WHERE month = ? FOR UPDATE',
        [month],
      );
      if (row?.status === 'closed') {
        throw new MonthAlreadyClosedError(month);
      }
      const now = new Date();
      await em.query(
        `UPDATE report_months SET status = 'closed', closed_at = ?, closed_by = ? WHERE month = ?`,
        [now, actor.userId || null, month],
      );
      const query = emQuery(em);
      const organisation = await Organisation.load(query);
      await em.query('DELETE FROM report_snapshots WHERE month = ?', [month]);
      for (const scope of organisation.allScopes()) {
        const report = await this.compute(query, scope, month);
        await em.query(
          'INSERT INTO report_snapshots (month, scope, body, created_at) VALUES (?, ?, ?, ?)',
          [month, scope.key, JSON.stringify({ ...report, source: 'snapshot' }), now],
        );
      }
      await this.audit.record(em, actor, {
        action: 'report.month.close',
        entityType: 'report_month',
        entityId: month,
        summary: `${monthLabel(month)}结账，保存 ${organisation.allScopes().length} 份报表快照`,
        storeId: null,
      });
      return this.state(em, month);
    });
  }

  /** Reopens a closed month (audited): its snapshots go, back-dated writes are accepted again. */
  async reopen(actor: Actor, month: string, reason: string): Promise<MonthState> {
    return this.dataSource.transaction('READ COMMITTED', async (em) => {
      const [row] = await em.query<{ status: string }[]>(
        'SELECT status FROM report_months WHERE month = ? FOR UPDATE',
        [month],
      );
      if (row?.status !== 'closed') {
        throw new MonthNotClosedError(month);
      }
      await em.query(
        `UPDATE report_months SET status = 'open', reopened_at = ?, reopened_by = ?, reopen_reason = ?
          WHERE month = ?`,
        [new Date(), actor.userId || null, reason, month],
      );
      await em.query('DELETE FROM report_snapshots WHERE month = ?', [month]);
      await this.audit.record(em, actor, {
        action: 'report.month.reopen',
        entityType: 'report_month',
        entityId: month,
        summary: `${monthLabel(month)}反结账：${reason}`,
        storeId: null,
      });
      return this.state(em, month);
    });
  }

  /** Report months must be well formed and not in the future. */
  /** The instant a month ends: a void from then on is the next month's correction. */
  private monthEnd(month: string): Date {
    return startOfBusinessDay(`${shiftMonth(month, 1)}-01`, this.config.timeZone);
  }

  private assertReportable(month: string): void {
    const current = businessDate(new Date(), this.config.timeZone).slice(0, 7);
    if (month > current) {
      throw ValidationFailedError.field(
        'month',
        `${monthLabel(month)}还没有到，不能出报表`,
        'notFuture',
      );
    }
  }

  private async state(em: EntityManager, month: string): Promise<MonthState> {
    const row = await em.findOneBy(ReportMonth, { month });
    if (!row) throw new NotFoundError('reportMonth', month);
    return { ...row };
  }
}

/** A donation register row as MariaDB returns it (numbers may come back as strings). */
interface DonationRegisterSqlRow {
  donationId: number | string;
  receiptNo: string;
  receivedDate: string;
  storeId: number | string;
  storeName: string;
  donorId: number | string;
  donorName: string;
  donorKind: string;
  lineNo: number | null;
  productName: string | null;
  categoryName: string | null;
  quantity: number | null;
  unit: string | null;
  unitValueFen: number | null;
  amountFen: number | string;
  cashFen: number | string;
  status: DonationRegisterRow['status'];
  countsInMonth: number | string;
}

function emQuery(em: EntityManager): ReadQuery {
  return <T>(sql: string, params?: unknown[]) => em.query<T>(sql, params);
}

function nullableNumber(value: unknown): number | null {
  return value === null || value === undefined ? null : Number(value);
}
