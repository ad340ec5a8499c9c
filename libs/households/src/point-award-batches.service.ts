import { AuditService } from '@charity/audit';
import {
  assertStoreAccess,
  DomainError,
  ForbiddenError,
  isStoreRole,
  maskIdNumber,
  maskName,
  NotFoundError,
  pageOf,
  skipOf,
  storeScopeOf,
  SYSTEM_ACTOR,
  UnitOfWork,
  ValidationFailedError,
  type Actor,
  type Page,
  type PageQuery,
} from '@charity/common';
import { Region } from '@charity/organisation';
import { Injectable, Logger } from '@nestjs/common';
import { DataSource, In, LessThanOrEqual, type EntityManager } from 'typeorm';
import {
  JSON_AWARD_COLUMNS,
  MAX_AWARD_ROWS,
  parseAwardSheet,
  SHEET_AWARD_COLUMNS,
  type AwardColumns,
  type AwardRowInput,
} from './award-sheet';
import { isValidCardNumber, normalizeCardNumber } from './card-number';
import {
  BatchNotPendingError,
  BatchRejectedError,
  HouseholdInactiveError,
  RuleInactiveError,
  type RowProblem,
} from './household-errors';
import { Household } from './household.entity';
import { HouseholdsService } from './households.service';
import { normalizeIdNumber } from './id-number';
import { PointAwardBatchLine } from './point-award-batch-line.entity';
import { PointAwardBatch, type BatchStatus } from './point-award-batch.entity';
import { PointRule } from './point-rule.entity';
import { normalizeRuleCode, signed } from './point-rules.service';
import { POINTS_WORK, PointsLedger } from './points-ledger.service';
import { PointsService } from './points.service';
import { addDays } from './points-time';
import type { SheetFile } from './sheet-file';

export interface BatchPostingRun {
  today: string;
  posted: number;
  failed: number;
}

/** Longest 公示 a batch may ask for. */
export const MAX_NOTICE_DAYS = 30;

export interface NewAwardBatch {
  /** The village, or a township with its villages. */
  regionId: number;
  /** `YYYY-MM`: the month rule caps count in. */
  month: string;
  /** 0 applies at once; otherwise the batch is on 公示 and posts on today + noticeDays. */
  noticeDays?: number;
  note?: string | null;
  rows: AwardRowInput[];
}

export interface AwardBatchFilter {
  /** A region and every region below it. */
  regionId?: number;
  status?: BatchStatus;
  month?: string;
}

export interface AwardBatchView {
  id: number;
  regionId: number;
  regionName: string | null;
  month: string;
  status: BatchStatus;
  noticeDays: number;
  /** 公示截止: the local date the batch posts unless withdrawn. */
  postOn: string;
  lineCount: number;
  pointsTotal: number;
  note: string | null;
  createdBy: number;
  createdAt: Date;
  postedAt: Date | null;
  withdrawnBy: number | null;
  withdrawnAt: Date | null;
  withdrawReason: string | null;
  lastError: string | null;
}

export interface AwardBatchLineView {
  rowNo: number;
  householdId: number;
  cardNo: string;
  headNameMasked: string;
  ruleId: number;
  ruleCode: string;
  ruleName: string;
  points: number;
  note: string | null;
  /** The award entry once posted. */
  entryId: string | null;
}

export interface AwardBatchDetail extends AwardBatchView {
  /** Store roles see their own store's households' lines only. */
  lines: AwardBatchLineView[];
}

/** What the public 公示 board shows of one line: nothing that identifies a person fully. */
export interface NoticeLine {
  rowNo: number;
  cardNoMasked: string;
  headNameMasked: string;
  ruleName: string;
  points: number;
}

export interface PublicNotice {
  batchId: number;
  regionId: number;
  regionName: string;
  month: string;
  noticeDays: number;
  /** 公示截止. */
  postOn: string;
  lineCount: number;
  pointsTotal: number;
  lines: NoticeLine[];
}

export interface NoticeBoard {
  regionId: number;
  regionName: string;
  notices: PublicNotice[];
}

/** A row being checked: what it resolved to and where a problem is reported. */
interface Candidate {
  row: number;
  householdColumn: string;
  ruleColumn: string;
  household: Household | null;
  rule: PointRule | null;
  note: string | null;
}

interface RegionScope {
  region: Region;
  /** The region and, for a township, its villages. */
  ids: number[];
}

type PostOutcome =
  | { result: 'posted'; batch: PointAwardBatch }
  | { result: 'failed'; batch: PointAwardBatch; problems: RowProblem[] }
  | { result: 'skipped'; batch: PointAwardBatch | null };

/** How posting names a line's cells in `lastError`. */
const POSTING_COLUMNS = { household: SHEET_AWARD_COLUMNS.cardNo, rule: SHEET_AWARD_COLUMNS.rule };

const MAX_NOTE = 150;

/**
 * 积分评定 batches for a village's month, with the optional 公示 period. Every row is checked
 * before anything is written and a batch is all-or-nothing. Transactions run READ COMMITTED so
 * that the checks made after the household locks see everything committed before those locks
 * (caps counted against awards and pending batches booked by whoever held them just before).
 */
@Injectable()
export class PointAwardBatchesService {
  private readonly logger = new Logger(PointAwardBatchesService.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly ledger: PointsLedger,
    private readonly points: PointsService,
    private readonly households: HouseholdsService,
    private readonly audit: AuditService,
  ) {}

  /**
   * Checks every row, then either applies them all at once (noticeDays 0) or stores the batch on
   * 公示. Any problem refuses the whole batch with BATCH_REJECTED naming every bad row.
   */
  async submit(
    actor: Actor,
    input: NewAwardBatch,
    columns: AwardColumns = JSON_AWARD_COLUMNS,
  ): Promise<AwardBatchDetail> {
    const noticeDays = input.noticeDays ?? 0;
    if (!Number.isInteger(noticeDays) || noticeDays < 0 || noticeDays > MAX_NOTICE_DAYS) {
      throw new ValidationFailedError(`公示天数应为 0 到 ${MAX_NOTICE_DAYS} 天`, {
        fields: [{ field: 'noticeDays', constraints: ['max'], messages: ['noticeDays 0..30'] }],
      });
    }
    if (input.rows.length === 0) {
      throw new BatchRejectedError(
        [{ row: 1, column: columns.cardNo, message: '评定表没有数据行' }],
        0,
      );
    }
    if (input.rows.length > MAX_AWARD_ROWS) {
      throw new BatchRejectedError(
        [
          {
            row: input.rows[MAX_AWARD_ROWS]?.row ?? MAX_AWARD_ROWS + 1,
            column: columns.cardNo,
            message: `评定表最多 ${MAX_AWARD_ROWS} 行，请分批提交`,
          },
        ],
        input.rows.length,
      );
    }
    const batchId = await UnitOfWork.run(this.dataSource, POINTS_WORK, async (uow) => {
      const em = uow.manager;
      const scope = await this.regionScope(em, input.regionId);
      const resolved = await this.resolveRows(em, input.rows, columns);
      await this.lockAll(em, resolved.candidates);
      const problems = [
        ...resolved.problems,
        ...(await this.check(em, actor, scope, input.month, resolved.candidates, true)),
      ].sort((a, b) => a.row - b.row);
      if (problems.length > 0) throw new BatchRejectedError(problems, input.rows.length);

      const now = new Date();
      const postNow = noticeDays === 0;
      const lines = resolved.candidates.map((c) => ({
        ...c,
        household: c.household!,
        rule: c.rule!,
      }));
      const batch = em.create(PointAwardBatch, {
        regionId: scope.region.id,
        month: input.month,
        status: postNow ? 'posted' : 'pending',
        noticeDays,
        postOn: addDays(this.ledger.today(), noticeDays),
        lineCount: lines.length,
        pointsTotal: lines.reduce((sum, line) => sum + line.rule.points, 0),
        note: input.note ?? null,
        createdBy: actor.userId,
        createdAt: now,
        postedAt: postNow ? now : null,
        withdrawnBy: null,
        withdrawnAt: null,
        withdrawReason: null,
        lastError: null,
      });
      await em.insert(PointAwardBatch, batch);
      const rows: Partial<PointAwardBatchLine>[] = [];
      for (const line of lines) {
        const entryId = postNow
          ? (
              await this.points.awardIn(em, actor, line.household, line.rule, {
                period: batch.month,
                note: line.note,
                sourceType: 'batch',
                sourceId: batch.id,
                batchId: batch.id,
              })
            ).entry.id
          : null;
        rows.push({
          batchId: batch.id,
          rowNo: line.row,
          householdId: line.household.id,
          ruleId: line.rule.id,
          points: line.rule.points,
          note: line.note,
          entryId,
        });
      }
      await em.insert(PointAwardBatchLine, rows);
      await this.audit.record(em, actor, {
        action: postNow ? 'point_award_batch.post' : 'point_award_batch.create',
        entityType: 'point_award_batch',
        entityId: batch.id,
        summary: `${scope.region.name} ${batch.month} 积分评定批次 #${batch.id}：${batch.lineCount} 户次，合计 ${signed(batch.pointsTotal)} 分，${postNow ? '即时生效' : `公示 ${noticeDays} 天至 ${batch.postOn}`}`,
      });
      return batch.id;
    });
    return this.get(actor, batchId);
  }

  /** The uploaded-sheet variant: the sheet's own row numbers and column names in every problem. */
  async submitSheet(
    actor: Actor,
    input: Omit<NewAwardBatch, 'rows'>,
    file: SheetFile,
  ): Promise<AwardBatchDetail> {
    const sheet = await parseAwardSheet(file);
    if (sheet.problems.length > 0) {
      throw new BatchRejectedError(sheet.problems, sheet.rows.length);
    }
    return this.submit(actor, { ...input, rows: sheet.rows }, SHEET_AWARD_COLUMNS);
  }

  /**
   * Posts every pending batch whose notice period has ended by `today`, each in its own
   * transaction. A batch that no longer passes its checks stays pending with `lastError`.
   */
  async postDue(today: string): Promise<BatchPostingRun> {
    const due = await this.dataSource.getRepository(PointAwardBatch).find({
      where: { status: 'pending', postOn: LessThanOrEqual(today) },
      select: { id: true },
      order: { postOn: 'ASC', id: 'ASC' },
    });
    let posted = 0;
    let failed = 0;
    for (const { id } of due) {
      try {
        const outcome = await this.postBatch(SYSTEM_ACTOR, id, today);
        if (outcome.result === 'posted') posted += 1;
        if (outcome.result === 'failed') failed += 1;
      } catch (error) {
        failed += 1;
        this.logger.error({ err: error, batchId: id }, 'point award batch posting failed');
        await this.recordFailure(id, error);
      }
    }
    this.logger.log(`point award batches ${today}: ${posted} posted, ${failed} failed`);
    return { today, posted, failed };
  }

  /** 提前生效: a county admin ends the 公示 now. */
  async postNow(actor: Actor, id: number): Promise<AwardBatchDetail> {
    const outcome = await this.postBatch(actor, id, null);
    if (outcome.result === 'skipped') {
      if (!outcome.batch) throw new NotFoundError('batch', id);
      throw new BatchNotPendingError(outcome.batch);
    }
    if (outcome.result === 'failed') {
      throw new BatchRejectedError(outcome.problems, outcome.batch.lineCount);
    }
    return this.get(actor, id);
  }

  /** 撤回 during 公示: the batch never posts. */
  async withdraw(actor: Actor, id: number, reason: string): Promise<AwardBatchDetail> {
    await UnitOfWork.run(this.dataSource, POINTS_WORK, async (uow) => {
      const em = uow.manager;
      const batch = await em.findOne(PointAwardBatch, {
        where: { id },
        lock: { mode: 'pessimistic_write' },
      });
      if (!batch) throw new NotFoundError('batch', id);
      if (isStoreRole(actor.role)) {
        // a store may withdraw only a batch of its own households
        const stores = await em.query<{ storeId: number }[]>(
          `SELECT DISTINCT h.home_store_id AS storeId FROM point_award_batch_lines l
             JOIN households h ON h.id = l.household_id WHERE l.batch_id = ?`,
          [id],
        );
        for (const { storeId } of stores) assertStoreAccess(actor, Number(storeId));
      }
      if (batch.status !== 'pending') throw new BatchNotPendingError(batch);
      await em.update(PointAwardBatch, id, {
        status: 'withdrawn',
        withdrawnBy: actor.userId,
        withdrawnAt: new Date(),
        withdrawReason: reason,
      });
      await this.audit.record(em, actor, {
        action: 'point_award_batch.withdraw',
        entityType: 'point_award_batch',
        entityId: id,
        summary: `撤回积分评定批次 #${id}（${batch.month}，${batch.lineCount} 户次）：${reason}`,
      });
    });
    return this.get(actor, id);
  }

  async list(
    actor: Actor,
    filter: AwardBatchFilter,
    page: PageQuery,
  ): Promise<Page<AwardBatchView>> {
    const qb = this.dataSource.getRepository(PointAwardBatch).createQueryBuilder('b');
    if (filter.regionId !== undefined) {
      qb.andWhere(`b.regionId IN (${SUBTREE_SQL})`, { regionId: filter.regionId });
    }
    if (filter.status !== undefined) qb.andWhere('b.status = :status', filter);
    if (filter.month !== undefined) qb.andWhere('b.month = :month', filter);
    const scope = storeScopeOf(actor);
    if (scope !== null) {
      qb.andWhere(
        `EXISTS (SELECT 1 FROM point_award_batch_lines l JOIN households h ON h.id = l.household_id
                  WHERE l.batch_id = b.id AND h.home_store_id = :scope)`,
        { scope },
      );
    }
    const [items, total] = await qb
      .orderBy('b.id', 'DESC')
      .skip(skipOf(page))
      .take(page.pageSize)
      .getManyAndCount();
    const names = await this.regionNames(
      this.dataSource.manager,
      items.map((b) => b.regionId),
    );
    return pageOf(
      items.map((batch) => this.toView(batch, names.get(batch.regionId) ?? null)),
      total,
      page,
    );
  }

  async get(actor: Actor, id: number): Promise<AwardBatchDetail> {
    const em = this.dataSource.manager;
    const batch = await em.findOneBy(PointAwardBatch, { id });
    if (!batch) throw new NotFoundError('batch', id);
    const lines = await this.lineViews(em, [batch.id], storeScopeOf(actor));
    if (storeScopeOf(actor) !== null && lines.length === 0) {
      throw new ForbiddenError('无权访问其他门店的数据', { batchId: id });
    }
    const names = await this.regionNames(em, [batch.regionId]);
    return { ...this.toView(batch, names.get(batch.regionId) ?? null), lines };
  }

  /**
   * The public 公示 board: pending batches of a region and every region below it, with masked
   * names and card numbers only.
   */
  async noticeBoard(regionId: number): Promise<NoticeBoard> {
    const em = this.dataSource.manager;
    const region = await em.findOneBy(Region, { id: regionId });
    if (!region) throw new NotFoundError('region', regionId);
    const batches = await em
      .getRepository(PointAwardBatch)
      .createQueryBuilder('b')
      .where(`b.regionId IN (${SUBTREE_SQL})`, { regionId })
      .andWhere("b.status = 'pending'")
      .orderBy('b.postOn', 'ASC')
      .addOrderBy('b.id', 'ASC')
      .getMany();
    const names = await this.regionNames(
      em,
      batches.map((b) => b.regionId),
    );
    const lines = await this.lineViews(
      em,
      batches.map((b) => b.id),
      null,
    );
    const linesOf = new Map<number, NoticeLine[]>();
    for (const line of lines) {
      const list = linesOf.get(line.batchId) ?? [];
      list.push({
        rowNo: line.rowNo,
        cardNoMasked: maskCardNumber(line.cardNo),
        headNameMasked: line.headNameMasked,
        ruleName: line.ruleName,
        points: line.points,
      });
      linesOf.set(line.batchId, list);
    }
    return {
      regionId: region.id,
      regionName: region.name,
      notices: batches.map((batch) => ({
        batchId: batch.id,
        regionId: batch.regionId,
        regionName: names.get(batch.regionId) ?? '',
        month: batch.month,
        noticeDays: batch.noticeDays,
        postOn: batch.postOn,
        lineCount: batch.lineCount,
        pointsTotal: batch.pointsTotal,
        lines: linesOf.get(batch.id) ?? [],
      })),
    };
  }

  /**
   * Posts one pending batch under a lock on its row, so two runs cannot both post it: the second
   * waits, then finds it no longer pending. `dueBy` null posts regardless of the notice period.
   */
  private async postBatch(actor: Actor, id: number, dueBy: string | null): Promise<PostOutcome> {
    return UnitOfWork.run(this.dataSource, POINTS_WORK, async (uow): Promise<PostOutcome> => {
      const em = uow.manager;
      const batch = await em.findOne(PointAwardBatch, {
        where: { id },
        lock: { mode: 'pessimistic_write' },
      });
      if (!batch || batch.status !== 'pending' || (dueBy !== null && batch.postOn > dueBy)) {
        return { result: 'skipped', batch };
      }
      const lines = await em.find(PointAwardBatchLine, {
        where: { batchId: id },
        order: { rowNo: 'ASC' },
      });
      const rules = await em.findBy(PointRule, {
        id: In([...new Set(lines.map((l) => l.ruleId))]),
      });
      const ruleById = new Map(rules.map((rule) => [rule.id, rule]));
      const candidates: Candidate[] = lines.map((line) => ({
        row: line.rowNo,
        householdColumn: POSTING_COLUMNS.household,
        ruleColumn: POSTING_COLUMNS.rule,
        household: { id: line.householdId } as Household,
        rule: ruleById.get(line.ruleId) ?? null,
        note: line.note,
      }));
      await this.lockAll(em, candidates);
      const scope = await this.regionScope(em, batch.regionId);
      const problems = await this.check(em, actor, scope, batch.month, candidates, false);
      for (const c of candidates) {
        if (!c.household)
          problems.push({ row: c.row, column: c.householdColumn, message: '该户已不存在' });
        if (!c.rule)
          problems.push({ row: c.row, column: c.ruleColumn, message: '评定规则已不存在' });
      }
      if (problems.length > 0) {
        problems.sort((a, b) => a.row - b.row);
        batch.lastError = describeProblems(problems);
        await em.update(PointAwardBatch, id, { lastError: batch.lastError });
        return { result: 'failed', batch, problems };
      }
      for (const [index, line] of lines.entries()) {
        const candidate = candidates[index];
        const posted = await this.points.awardIn(em, actor, candidate.household!, candidate.rule!, {
          period: batch.month,
          note: line.note,
          sourceType: 'batch',
          sourceId: batch.id,
          batchId: batch.id,
        });
        await em.update(PointAwardBatchLine, line.id, { entryId: posted.entry.id });
      }
      batch.status = 'posted';
      batch.postedAt = new Date();
      batch.lastError = null;
      await em.update(PointAwardBatch, id, {
        status: batch.status,
        postedAt: batch.postedAt,
        lastError: null,
      });
      await this.audit.record(em, actor, {
        action: 'point_award_batch.post',
        entityType: 'point_award_batch',
        entityId: id,
        summary: `积分评定批次 #${id}（${scope.region.name} ${batch.month}）${dueBy === null ? '提前' : '公示期满'}生效：${batch.lineCount} 户次，合计 ${signed(batch.pointsTotal)} 分`,
      });
      return { result: 'posted', batch };
    });
  }

  /** Keeps why an automatic posting broke off on the batch, for staff to act on. */
  private async recordFailure(id: number, error: unknown): Promise<void> {
    const message =
      error instanceof DomainError ? error.message : '系统错误，请联系管理员查看日志后重试';
    try {
      await this.dataSource
        .getRepository(PointAwardBatch)
        .update({ id, status: 'pending' }, { lastError: `生效失败：${message}`.slice(0, 500) });
    } catch (recordError) {
      this.logger.error({ err: recordError, batchId: id }, 'could not record batch failure');
    }
  }

  /** Finds each row's household and rule; what cannot be found is a problem on its cell. */
  private async resolveRows(
    em: EntityManager,
    rows: AwardRowInput[],
    columns: AwardColumns,
  ): Promise<{ candidates: Candidate[]; problems: RowProblem[] }> {
    const cards = new Set<string>();
    const ids = new Set<number>();
    const hashes = new Map<string, string>();
    for (const row of rows) {
      if (row.cardNo) cards.add(normalizeCardNumber(row.cardNo));
      if (row.householdId != null) ids.add(row.householdId);
      const idNumber = row.idNumber ? normalizeIdNumber(row.idNumber) : '';
      if (ID_NUMBER_SHAPE.test(idNumber)) {
        hashes.set(idNumber, this.households.idNumberHash(idNumber));
      }
    }
    const where = [
      ...(cards.size > 0 ? [{ cardNo: In([...cards]) }] : []),
      ...(ids.size > 0 ? [{ id: In([...ids]) }] : []),
      ...(hashes.size > 0 ? [{ idNumberHash: In([...hashes.values()]) }] : []),
    ];
    const found = where.length > 0 ? await em.find(Household, { where }) : [];
    const byCard = new Map(found.map((h) => [h.cardNo, h]));
    const byId = new Map(found.map((h) => [h.id, h]));
    const byHash = new Map(found.map((h) => [h.idNumberHash, h]));
    const rules = await em.find(PointRule);
    const ruleByCode = new Map(rules.map((rule) => [rule.code, rule]));
    const ruleByName = new Map(rules.map((rule) => [rule.name, rule]));

    const candidates: Candidate[] = [];
    const problems: RowProblem[] = [];
    for (const row of rows) {
      const problem = (column: string, message: string): void => {
        problems.push({ row: row.row, column, message });
      };
      const matches: { column: string; household: Household }[] = [];
      let named = false;
      if (row.cardNo) {
        named = true;
        const card = normalizeCardNumber(row.cardNo);
        const household = byCard.get(card);
        if (household) matches.push({ column: columns.cardNo, household });
        else if (!isValidCardNumber(card)) problem(columns.cardNo, `卡号 ${card} 格式不正确`);
        else problem(columns.cardNo, `卡号 ${card} 不存在`);
      }
      if (row.householdId != null) {
        named = true;
        const household = byId.get(row.householdId);
        if (household) matches.push({ column: columns.householdId, household });
        else problem(columns.householdId, `困难户 ${row.householdId} 不存在`);
      }
      if (row.idNumber) {
        named = true;
        const idNumber = normalizeIdNumber(row.idNumber);
        const hash = hashes.get(idNumber);
        const household = hash === undefined ? undefined : byHash.get(hash);
        if (household) matches.push({ column: columns.idNumber, household });
        else if (hash === undefined) problem(columns.idNumber, '身份证号格式不正确');
        else problem(columns.idNumber, `身份证号 ${maskIdNumber(idNumber)} 未登记`);
      }
      if (!named) problem(columns.cardNo, '缺少卡号');
      const [first, ...others] = matches;
      const other = others.find((m) => m.household.id !== first?.household.id);
      if (other) problem(other.column, `与本行${first?.column ?? ''}不是同一户`);

      let rule: PointRule | null = null;
      const ruleText = row.rule?.trim() ?? '';
      if (ruleText === '') {
        problem(columns.rule, '缺少评定规则');
      } else {
        rule = ruleByCode.get(normalizeRuleCode(ruleText)) ?? ruleByName.get(ruleText) ?? null;
        if (!rule) problem(columns.rule, `评定规则“${ruleText}”不存在`);
      }
      const note = row.note?.trim() || null;
      if (note !== null && Array.from(note).length > MAX_NOTE) {
        problem(columns.note, `备注不能超过 ${MAX_NOTE} 字`);
      }
      candidates.push({
        row: row.row,
        householdColumn: first?.column ?? columns.cardNo,
        ruleColumn: columns.rule,
        household: other ? null : (first?.household ?? null),
        rule,
        note,
      });
    }
    return { candidates, problems };
  }

  /**
   * Locks the candidates' households in ascending id order (the order every multi-household
   * write uses, so two batches cannot deadlock) and puts the locked rows in their place.
   */
  private async lockAll(em: EntityManager, candidates: Candidate[]): Promise<void> {
    const ids = [...new Set(candidates.flatMap((c) => (c.household ? [c.household.id] : [])))].sort(
      (a, b) => a - b,
    );
    const locked = new Map<number, Household>();
    for (const id of ids) {
      const household = await em.findOne(Household, {
        where: { id },
        lock: { mode: 'pessimistic_write' },
      });
      if (household) locked.set(id, household);
    }
    for (const candidate of candidates) {
      if (candidate.household) candidate.household = locked.get(candidate.household.id) ?? null;
    }
  }

  /**
   * Everything that would stop a row from posting, given its household (locked) and rule: place,
   * status, store, the rule's state, its monthly cap (a rule without one: once per household in
   * a batch) and the balance for a deduction. Caps count awards already booked for the month,
   * earlier rows of this batch and, when `countPending`, lines of other batches still on 公示, so
   * batches cannot together exceed a cap.
   */
  private async check(
    em: EntityManager,
    actor: Actor,
    scope: RegionScope,
    month: string,
    candidates: Candidate[],
    countPending: boolean,
  ): Promise<RowProblem[]> {
    const complete = candidates.filter((c) => c.household && c.rule);
    const householdIds = [...new Set(complete.map((c) => c.household!.id))];
    const booked = await this.awardCounts(em, householdIds, month);
    const pending = countPending
      ? await this.points.awardsOnNotice(em, householdIds, month)
      : new Map<string, number>();
    const outside = candidates.flatMap((c) =>
      c.household && !scope.ids.includes(c.household.regionId) ? [c.household.regionId] : [],
    );
    const regionNames = await this.regionNames(em, outside);
    // running spendable points of households the batch deducts from, row by row
    const balances = new Map<number, number>();
    for (const c of complete) {
      const id = c.household!.id;
      if (c.rule!.points < 0 && !balances.has(id)) {
        balances.set(id, await this.ledger.spendable(em, id));
      }
    }
    const earlier = new Map<string, number[]>();

    const problems: RowProblem[] = [];
    for (const candidate of candidates) {
      const { household, rule } = candidate;
      const before = problems.length;
      const problem = (column: string, message: string): void => {
        problems.push({ row: candidate.row, column, message });
      };
      if (household) {
        if (!scope.ids.includes(household.regionId)) {
          problem(
            candidate.householdColumn,
            `该户（卡号 ${household.cardNo}）属于${regionNames.get(household.regionId) ?? '其他地区'}，不在${scope.region.name}`,
          );
        }
        if (household.status !== 'active') {
          problem(candidate.householdColumn, new HouseholdInactiveError(household).message);
        }
        if (isStoreRole(actor.role) && actor.storeId !== household.homeStoreId) {
          problem(candidate.householdColumn, '该户属于其他门店，只能为本门店的困难户评定');
        }
      }
      if (rule && !rule.active) problem(candidate.ruleColumn, new RuleInactiveError(rule).message);
      if (!household || !rule || problems.length > before) continue;

      const key = `${household.id}:${rule.id}`;
      const rows = earlier.get(key) ?? [];
      if (rule.monthlyCap === null && rows.length > 0) {
        // without a cap nothing else would stop one household filling the sheet with the rule
        problem(
          candidate.householdColumn,
          `该户已在本表第 ${rows.join('、')} 行评定“${rule.name}”：该规则不限每月次数，同一张评定表每户只记一次`,
        );
        continue;
      }
      if (rule.monthlyCap !== null) {
        const already = booked.get(key) ?? 0;
        const onNotice = pending.get(key) ?? 0;
        const used = already + onNotice + rows.length;
        if (used >= rule.monthlyCap) {
          const parts = [
            ...(already > 0 ? [`已记入 ${already} 次`] : []),
            ...(onNotice > 0 ? [`公示中 ${onNotice} 次`] : []),
            ...(rows.length > 0 ? [`本表第 ${rows.join('、')} 行`] : []),
          ];
          problem(
            candidate.ruleColumn,
            `“${rule.name}”每户每月最多 ${rule.monthlyCap} 次，该户 ${month} 已有 ${used} 次（${parts.join('，')}）`,
          );
          continue;
        }
      }
      if (balances.has(household.id)) {
        const balance = balances.get(household.id) ?? 0;
        if (balance + rule.points < 0) {
          problem(candidate.ruleColumn, `积分不足：可用 ${balance} 分，本行扣 ${-rule.points} 分`);
          continue;
        }
        balances.set(household.id, balance + rule.points);
      }
      earlier.set(key, [...rows, candidate.row]);
    }
    return problems;
  }

  /** Awards booked per `householdId:ruleId` for the month, reversed ones not counted. */
  private async awardCounts(
    em: EntityManager,
    householdIds: number[],
    month: string,
  ): Promise<Map<string, number>> {
    if (householdIds.length === 0) return new Map();
    const rows = await em.query<{ householdId: number; ruleId: number; used: string }[]>(
      `SELECT e.household_id AS householdId, e.rule_id AS ruleId, COUNT(*) AS used
         FROM points_entries e
        WHERE e.household_id IN (?) AND e.period = ? AND e.kind = 'award' AND e.rule_id IS NOT NULL
          AND NOT EXISTS (SELECT 1 FROM points_entries r WHERE r.reverses_entry_id = e.id)
        GROUP BY e.household_id, e.rule_id`,
      [householdIds, month],
    );
    return new Map(rows.map((r) => [`${r.householdId}:${r.ruleId}`, Number(r.used)]));
  }

  /** A village alone, or a township with its villages; never the whole county. */
  private async regionScope(em: EntityManager, regionId: number): Promise<RegionScope> {
    const region = await em.findOneBy(Region, { id: regionId });
    if (!region) throw new NotFoundError('region', regionId);
    if (region.level === 'county') {
      throw new ValidationFailedError('积分评定应按村（社区）或乡镇提交，不能按全县提交', {
        fields: [
          {
            field: 'regionId',
            constraints: ['level'],
            messages: ['regionId must be a village or township'],
          },
        ],
      });
    }
    const villages =
      region.level === 'township'
        ? await em.find(Region, { where: { parentId: region.id }, select: { id: true } })
        : [];
    return { region, ids: [region.id, ...villages.map((v) => v.id)] };
  }

  private async regionNames(em: EntityManager, ids: number[]): Promise<Map<number, string>> {
    const unique = [...new Set(ids)];
    if (unique.length === 0) return new Map();
    const regions = await em.find(Region, {
      where: { id: In(unique) },
      select: { id: true, name: true },
    });
    return new Map(regions.map((r) => [r.id, r.name]));
  }

  /** Lines with card, masked name and rule; `storeId` keeps only that store's households. */
  private async lineViews(
    em: EntityManager,
    batchIds: number[],
    storeId: number | null,
  ): Promise<(AwardBatchLineView & { batchId: number })[]> {
    if (batchIds.length === 0) return [];
    const rows = await em.query<
      {
        batchId: number;
        rowNo: number;
        householdId: number;
        cardNo: string;
        headName: string;
        ruleId: number;
        ruleCode: string;
        ruleName: string;
        points: number;
        note: string | null;
        entryId: string | number | null;
      }[]
    >(
      `SELECT l.batch_id AS batchId, l.row_no AS rowNo, l.household_id AS householdId,
              h.card_no AS cardNo, h.head_name AS headName, l.rule_id AS ruleId,
              r.code AS ruleCode, r.name AS ruleName, l.points, l.note, l.entry_id AS entryId
         FROM point_award_batch_lines l
         JOIN households h ON h.id = l.household_id
         JOIN point_rules r ON r.id = l.rule_id
        WHERE l.batch_id IN (?) ${storeId === null ? '' : 'AND h.home_store_id = ?'}
        ORDER BY l.batch_id, l.row_no`,
      storeId === null ? [batchIds] : [batchIds, storeId],
    );
    return rows.map((row) => ({
      batchId: Number(row.batchId),
      rowNo: Number(row.rowNo),
      householdId: Number(row.householdId),
      cardNo: row.cardNo,
      headNameMasked: maskName(row.headName),
      ruleId: Number(row.ruleId),
      ruleCode: row.ruleCode,
      ruleName: row.ruleName,
      points: Number(row.points),
      note: row.note,
      entryId: row.entryId === null ? null : String(row.entryId),
    }));
  }

  private toView(batch: PointAwardBatch, regionName: string | null): AwardBatchView {
    return {
      id: batch.id,
      regionId: batch.regionId,
      regionName,
      month: batch.month,
      status: batch.status,
      noticeDays: batch.noticeDays,
      postOn: batch.postOn,
      lineCount: batch.lineCount,
      pointsTotal: batch.pointsTotal,
      note: batch.note,
      createdBy: batch.createdBy,
      createdAt: batch.createdAt,
      postedAt: batch.postedAt,
      withdrawnBy: batch.withdrawnBy,
      withdrawnAt: batch.withdrawnAt,
      withdrawReason: batch.withdrawReason,
      lastError: batch.lastError,
    };
  }
}

/** A region and every region below it (a county's townships and their villages). */
const SUBTREE_SQL = `SELECT sub.id FROM regions sub LEFT JOIN regions up ON up.id = sub.parent_id
   WHERE sub.id = :regionId OR sub.parent_id = :regionId OR up.parent_id = :regionId`;

const ID_NUMBER_SHAPE = /^\d{17}[\dX]$/;

/** `H4819302756` → `H******2756`: enough for a household to find its own line, no more. */
export function maskCardNumber(cardNo: string): string {
  if (cardNo.length <= 5) return '*'.repeat(cardNo.length);
  return cardNo.slice(0, 1) + '*'.repeat(cardNo.length - 5) + cardNo.slice(-4);
}

/** `第 3 行 卡号：…；第 5 行 规则：…`, cut to fit `lastError`. */
function describeProblems(problems: RowProblem[]): string {
  const text = `${problems.length} 处问题，未生效：${problems
    .map((p) => `第 ${p.row} 行 ${p.column}：${p.message}`)
    .join('；')}`;
  return text.length > 500 ? `${text.slice(0, 499)}…` : text;
}
