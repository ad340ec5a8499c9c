import { User } from '@charity/accounts';
import { AuditService } from '@charity/audit';
import {
  assertStoreAccess,
  businessDate,
  businessMonth,
  ForbiddenError,
  isStoreRole,
  NotFoundError,
  pageOf,
  skipOf,
  UnitOfWork,
  type Actor,
  type Page,
  type PageQuery,
} from '@charity/common';
import { AppConfig } from '@charity/config';
import { Injectable } from '@nestjs/common';
import { DataSource, In, type EntityManager } from 'typeorm';
import {
  AwardCapReachedError,
  HouseholdInactiveError,
  RuleInactiveError,
} from './household-errors';
import { Household } from './household.entity';
import { PointRule } from './point-rule.entity';
import { normalizeRuleCode, signed } from './point-rules.service';
import { PointsEntry, type PointsEntryKind } from './points-entry.entity';
import { POINTS_WORK, PointsLedger, type PostedEntry } from './points-ledger.service';
import { PointsPolicy, type CardNameDisplay } from './points-policy.entity';
import { addDays } from './points-time';

/** `{ruleCode}` awards by a rule; `{points, reason}` is a manual adjustment. */
export interface PointsRequest {
  ruleCode?: string;
  points?: number;
  reason?: string;
  /** For awards: the evaluation month; defaults to the current month. */
  period?: string;
}

export interface PointsEntryView {
  id: string;
  kind: PointsEntryKind;
  points: number;
  balanceAfter: number;
  storeId: number;
  actorId: number | null;
  actorName: string | null;
  occurredAt: Date;
  businessDate: string;
  reason: string;
  source: { type: string; id: string | null };
  ruleId: number | null;
  batchId: number | null;
  period: string | null;
  reversesEntryId: string | null;
  /** The reversal that undid this entry, if any. */
  reversedByEntryId: string | null;
}

export interface PointsStatement {
  householdId: number;
  cardNo: string;
  balance: number;
  /** What can be spent now: the balance less points past their date not yet posted as expired. */
  spendable: number;
  expiringSoon: {
    points: number;
    withinDays: number;
    grants: { expiresOn: string; points: number }[];
  };
  entries: Page<PointsEntryView>;
}

export interface PolicyChanges {
  expiryMonths?: number;
  exitedMaySpend?: boolean;
  cardNameDisplay?: CardNameDisplay;
  monthlyVisitLimit?: number | null;
  voidWindowDays?: number;
}

export const EXPIRING_SOON_DAYS = 30;

/** 积分评定 and adjustments, reversals, statements and the county's points policy. */
@Injectable()
export class PointsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly config: AppConfig,
    private readonly ledger: PointsLedger,
    private readonly audit: AuditService,
  ) {}

  /** An award by rule or a signed manual adjustment (manager or county admin, reason required). */
  async record(actor: Actor, householdId: number, request: PointsRequest): Promise<PostedEntry> {
    return UnitOfWork.run(this.dataSource, POINTS_WORK, async (uow) => {
      const em = uow.manager;
      const household = await this.ledger.lockHousehold(em, householdId);
      assertStoreAccess(actor, household.homeStoreId);
      let posted: PostedEntry;
      if (request.ruleCode !== undefined) {
        const rule = await em.findOneBy(PointRule, { code: normalizeRuleCode(request.ruleCode) });
        if (!rule) throw new NotFoundError('pointRule', request.ruleCode);
        const period = request.period ?? businessMonth(new Date(), this.config.timeZone);
        posted = await this.awardIn(em, actor, household, rule, {
          period,
          note: request.reason ?? null,
          sourceType: 'rule',
          countOnNotice: true,
        });
      } else {
        assertCanEarn(household);
        posted = await this.ledger.post(em, actor, household, {
          kind: 'adjustment',
          points: request.points ?? 0,
          storeId: bookingStore(actor, household),
          reason: request.reason ?? '',
          sourceType: 'manual',
        });
      }
      await this.audit.record(em, actor, {
        action: `points.${posted.entry.kind}`,
        entityType: 'household',
        entityId: household.id,
        summary: `${household.cardNo} ${posted.entry.kind === 'award' ? '积分评定' : '积分调整'} ${signed(posted.entry.points)}：${posted.entry.reason}`,
        storeId: posted.entry.storeId,
      });
      return posted;
    });
  }

  /**
   * Books one award of `rule` to a household the caller has locked, honouring the rule's monthly
   * cap for `period` (reversed awards do not count). Batches call this once per line, having checked
   * their own lines; a single award (`countOnNotice`) also counts lines of batches still on 公示,
   * which would otherwise fail as a whole when they take effect.
   */
  async awardIn(
    em: EntityManager,
    actor: Actor,
    household: Household,
    rule: PointRule,
    input: {
      period: string;
      note: string | null;
      sourceType: string;
      sourceId?: string | number;
      batchId?: number;
      occurredAt?: Date;
      countOnNotice?: boolean;
    },
  ): Promise<PostedEntry> {
    assertCanEarn(household);
    if (!rule.active) throw new RuleInactiveError(rule);
    if (rule.monthlyCap !== null) {
      const booked = await this.awardsInPeriod(em, household.id, rule.id, input.period);
      const onNotice = input.countOnNotice
        ? ((await this.awardsOnNotice(em, [household.id], input.period)).get(
            `${household.id}:${rule.id}`,
          ) ?? 0)
        : 0;
      if (booked + onNotice >= rule.monthlyCap) {
        throw new AwardCapReachedError(
          { ...rule, monthlyCap: rule.monthlyCap },
          input.period,
          booked + onNotice,
          onNotice,
        );
      }
    }
    return this.ledger.post(em, actor, household, {
      kind: 'award',
      points: rule.points,
      storeId: bookingStore(actor, household),
      reason: input.note ? `${rule.name}：${input.note}` : rule.name,
      sourceType: input.sourceType,
      sourceId: input.sourceId ?? rule.code,
      ruleId: rule.id,
      batchId: input.batchId ?? null,
      period: input.period,
      occurredAt: input.occurredAt,
    });
  }

  /** Awards of a rule a household holds for a month, not counting reversed ones. */
  async awardsInPeriod(
    em: EntityManager,
    householdId: number,
    ruleId: number,
    period: string,
  ): Promise<number> {
    const [row] = await em.query<{ used: string }[]>(
      `SELECT COUNT(*) AS used FROM points_entries e
        WHERE e.household_id = ? AND e.rule_id = ? AND e.period = ? AND e.kind = 'award'
          AND NOT EXISTS (SELECT 1 FROM points_entries r WHERE r.reverses_entry_id = e.id)`,
      [householdId, ruleId, period],
    );
    return Number(row?.used ?? 0);
  }

  /**
   * Lines of batches still on 公示 for `month` (not yet booked), per `householdId:ruleId`: they
   * count toward a rule's monthly cap for single awards and for other batches alike.
   */
  async awardsOnNotice(
    em: EntityManager,
    householdIds: number[],
    month: string,
  ): Promise<Map<string, number>> {
    if (householdIds.length === 0) return new Map();
    const rows = await em.query<{ householdId: number; ruleId: number; used: string }[]>(
      `SELECT l.household_id AS householdId, l.rule_id AS ruleId, COUNT(*) AS used
         FROM point_award_batch_lines l JOIN point_award_batches b ON b.id = l.batch_id
        WHERE l.household_id IN (?) AND b.month = ? AND b.status = 'pending'
        GROUP BY l.household_id, l.rule_id`,
      [householdIds, month],
    );
    return new Map(rows.map((r) => [`${r.householdId}:${r.ruleId}`, Number(r.used)]));
  }

  /** 冲正 of an award, allotment or adjustment (redemptions are voided through their checkout). */
  async reverse(
    actor: Actor,
    householdId: number,
    entryId: string,
    reason: string,
  ): Promise<PostedEntry> {
    return UnitOfWork.run(this.dataSource, POINTS_WORK, async (uow) => {
      const em = uow.manager;
      const household = await this.ledger.lockHousehold(em, householdId);
      assertStoreAccess(actor, household.homeStoreId);
      const original = await em.findOneBy(PointsEntry, { id: entryId, householdId });
      if (!original) throw new NotFoundError('pointsEntry', entryId);
      if (original.kind === 'redemption') {
        throw new ForbiddenError('兑换记录请通过作废兑换单冲正', { entryId });
      }
      const posted = await this.ledger.reverse(em, actor, household, entryId, {
        reason,
        storeId: bookingStore(actor, household),
        sourceType: 'manual',
      });
      await this.audit.record(em, actor, {
        action: 'points.reversal',
        entityType: 'household',
        entityId: household.id,
        summary: `${household.cardNo} 冲正积分记录 ${entryId}（${signed(posted.entry.points)}）：${reason}`,
        storeId: posted.entry.storeId,
      });
      return posted;
    });
  }

  async statement(actor: Actor, householdId: number, page: PageQuery): Promise<PointsStatement> {
    const em = this.dataSource.manager;
    const household = await em.findOneBy(Household, { id: householdId });
    if (!household) throw new NotFoundError('household', householdId);
    assertStoreAccess(actor, household.homeStoreId);
    const today = this.ledger.today();
    const horizon = addDays(today, EXPIRING_SOON_DAYS);
    const expiring = await em.query<{ expiresOn: string; points: string }[]>(
      `SELECT DATE_FORMAT(expires_on, '%Y-%m-%d') AS expiresOn, SUM(remaining) AS points
         FROM points_grants
        WHERE household_id = ? AND remaining > 0 AND expires_on > ? AND expires_on <= ?
        GROUP BY expires_on ORDER BY expires_on`,
      [householdId, today, horizon],
    );
    const grants = expiring.map((row) => ({
      expiresOn: row.expiresOn,
      points: Number(row.points),
    }));
    return {
      householdId,
      cardNo: household.cardNo,
      balance: household.balance,
      spendable: await this.ledger.spendable(em, householdId, today),
      expiringSoon: {
        points: grants.reduce((sum, g) => sum + g.points, 0),
        withinDays: EXPIRING_SOON_DAYS,
        grants,
      },
      entries: await this.entries(householdId, page),
    };
  }

  async entries(householdId: number, page: PageQuery): Promise<Page<PointsEntryView>> {
    const [rows, total] = await this.dataSource.getRepository(PointsEntry).findAndCount({
      where: { householdId },
      order: { id: 'DESC' },
      skip: skipOf(page),
      take: page.pageSize,
    });
    return pageOf(await this.views(rows), total, page);
  }

  /** One entry as the statement shows it (what a points write answers). */
  async entryView(entry: PointsEntry): Promise<PointsEntryView> {
    const [view] = await this.views([entry]);
    if (!view) throw new NotFoundError('pointsEntry', entry.id);
    return view;
  }

  private async views(rows: PointsEntry[]): Promise<PointsEntryView[]> {
    const ids = rows.map((row) => row.id);
    const reversals =
      ids.length > 0
        ? await this.dataSource.getRepository(PointsEntry).find({
            where: { reversesEntryId: In(ids) },
            select: { id: true, reversesEntryId: true },
          })
        : [];
    const reversedBy = new Map(reversals.map((r) => [r.reversesEntryId, r.id]));
    const actorIds = [
      ...new Set(rows.flatMap((row) => (row.actorId === null ? [] : [row.actorId]))),
    ];
    const actors =
      actorIds.length > 0
        ? await this.dataSource
            .getRepository(User)
            .find({ where: { id: In(actorIds) }, select: { id: true, displayName: true } })
        : [];
    const names = new Map(actors.map((user) => [user.id, user.displayName]));
    return rows.map((row) => ({
      id: row.id,
      kind: row.kind,
      points: row.points,
      balanceAfter: row.balanceAfter,
      storeId: row.storeId,
      actorId: row.actorId,
      actorName: row.actorId === null ? '系统' : (names.get(row.actorId) ?? null),
      occurredAt: row.occurredAt,
      businessDate: row.businessDate,
      reason: row.reason,
      source: { type: row.sourceType, id: row.sourceId },
      ruleId: row.ruleId,
      batchId: row.batchId,
      period: row.period,
      reversesEntryId: row.reversesEntryId,
      reversedByEntryId: reversedBy.get(row.id) ?? null,
    }));
  }

  async policy(): Promise<PointsPolicy> {
    return this.ledger.policy();
  }

  async updatePolicy(actor: Actor, changes: PolicyChanges): Promise<PointsPolicy> {
    const updated = await this.dataSource.transaction(async (em) => {
      const policy = await this.ledger.policy(em);
      if (changes.expiryMonths !== undefined) policy.expiryMonths = changes.expiryMonths;
      if (changes.exitedMaySpend !== undefined) policy.exitedMaySpend = changes.exitedMaySpend;
      if (changes.cardNameDisplay !== undefined) policy.cardNameDisplay = changes.cardNameDisplay;
      if (changes.monthlyVisitLimit !== undefined) {
        policy.monthlyVisitLimit = changes.monthlyVisitLimit;
      }
      if (changes.voidWindowDays !== undefined) policy.voidWindowDays = changes.voidWindowDays;
      policy.updatedBy = actor.userId === 0 ? null : actor.userId;
      policy.updatedAt = new Date();
      await em.save(PointsPolicy, policy);
      await this.audit.record(em, actor, {
        action: 'points.policy',
        entityType: 'points_policy',
        entityId: 1,
        summary: `修改积分规则：有效期 ${policy.expiryMonths === 0 ? '不过期' : `${policy.expiryMonths} 个月`}，已脱贫户${policy.exitedMaySpend ? '可' : '不可'}使用余额，卡面姓名${policy.cardNameDisplay === 'full' ? '完整' : '脱敏'}，每户每月兑换${policy.monthlyVisitLimit === null ? '不限次数' : ` ${policy.monthlyVisitLimit} 次`}，兑换单可在 ${policy.voidWindowDays} 天内作废`,
      });
      return policy;
    });
    this.ledger.forgetPolicy();
    return updated;
  }

  /** Today in the county. */
  today(): string {
    return businessDate(new Date(), this.config.timeZone);
  }
}

/** Only active households earn; suspended and exited ones keep their history. */
export function assertCanEarn(household: Household): void {
  if (household.status !== 'active') throw new HouseholdInactiveError(household);
}

/** Exited households may spend what they hold only when the policy allows it. */
export function assertCanSpend(household: Household, policy: PointsPolicy): void {
  if (household.status === 'active') return;
  if (household.status === 'exited' && policy.exitedMaySpend) return;
  throw new HouseholdInactiveError(household);
}

/** Entries are booked to the acting store, or the household's own store for county staff. */
export function bookingStore(actor: Actor, household: Household): number {
  return isStoreRole(actor.role) && actor.storeId !== null ? actor.storeId : household.homeStoreId;
}
