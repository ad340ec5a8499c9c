import { AuditService } from '@charity/audit';
import {
  businessMonth,
  isDuplicateKeyError,
  isStoreRole,
  SYSTEM_ACTOR,
  UnitOfWork,
  ValidationFailedError,
  type Actor,
} from '@charity/common';
import { AppConfig } from '@charity/config';
import {
  jobState,
  POINTS_JOBS,
  pointsAllotmentJobId,
  QUEUES,
  queueCall,
  type PointsAllotmentJob,
} from '@charity/queue';
import { InjectQueue } from '@nestjs/bull';
import { Injectable, Logger } from '@nestjs/common';
import type { Queue } from 'bull';
import { DataSource, type EntityManager } from 'typeorm';
import { AllotmentSchedule } from './allotment-schedule.entity';
import {
  CATEGORY_LABELS,
  HOUSEHOLD_CATEGORIES,
  Household,
  type HouseholdCategory,
} from './household.entity';
import { POINTS_ISOLATION, PointsLedger } from './points-ledger.service';

export interface AllotmentRun {
  month: string;
  /** Households paid by this run. */
  households: number;
  points: number;
  /** Households already paid for the month, by an earlier or a concurrent run. */
  skipped: number;
}

/** Where a run stands after a chunk commits. */
export interface AllotmentProgress extends AllotmentRun {
  /** Households up to this id have been dealt with. */
  lastHouseholdId: number;
}

export interface AllotmentRunOptions {
  /** Households per transaction. */
  chunkSize?: number;
  /**
   * Called after each chunk commits (the worker reports it as job progress). Whatever was
   * committed stays if it throws: the run stops there as a crashed worker would.
   */
  onChunk?: (progress: AllotmentProgress) => void | Promise<void>;
}

export interface AllotmentScheduleInput {
  basePoints: number;
  perExtraMember: number;
  active: boolean;
}

export interface AllotmentRequest {
  jobId: string;
  month: string;
  /** The queued job's state: `waiting`, `active`, `delayed`, `completed` … */
  state: string;
}

export interface AllotmentSummary {
  month: string;
  /** The store the figures are limited to (a store user's own), or null for the county. */
  storeId: number | null;
  households: number;
  points: number;
  /** Allotments of the month taken back since by a reversal (included above). */
  reversed: { households: number; points: number };
  byStore: { storeId: number; storeName: string | null; households: number; points: number }[];
  firstPaidAt: Date | null;
  lastPaidAt: Date | null;
  /** The month's queued run (the county admin's button), or null if none is kept. */
  run: AllotmentRunStatus | null;
}

/** Where the month's queued run stands, from its Bull job. */
export interface AllotmentRunStatus {
  jobId: string;
  /** `waiting`, `active`, `delayed` (retrying), `completed` or `failed`. */
  state: string;
  /** Households dealt with so far, reported after each chunk; null before the first. */
  progress: AllotmentProgress | null;
  /** What the run paid, once completed. */
  result: AllotmentRun | null;
  /** Why the last attempt failed (a `delayed` run is retried, a `failed` one gave up). */
  failedReason: string | null;
  /** Attempts that failed so far (Bull's attemptsMade). */
  failedAttempts: number;
}

/**
 * Households per transaction: a chunk holds its rows locked for ~0.4 s (about 2 ms a household),
 * so a checkout for one of them waits at most that long, and a crash loses at most one chunk.
 */
export const ALLOTMENT_CHUNK_SIZE = 200;
/** A chunk rolled back by the unique index or a deadlock is redone this many times at most. */
const CHUNK_RETRIES = 4;
const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;

/** Monthly points for a household of `memberCount` under `schedule`. */
export function allotmentPoints(
  schedule: Pick<AllotmentSchedule, 'basePoints' | 'perExtraMember'>,
  memberCount: number,
): number {
  return schedule.basePoints + schedule.perExtraMember * Math.max(memberCount - 1, 0);
}

/** `2026年11月五保户积分发放`. */
export function allotmentReason(month: string, category: HouseholdCategory): string {
  return `${monthLabel(month)}${CATEGORY_LABELS[category]}户积分发放`;
}

function monthLabel(month: string): string {
  return `${month.slice(0, 4)}年${Number(month.slice(5, 7))}月`;
}

/**
 * 发放: the monthly points by category and household size.
 *
 * A run pays each household at most once per month however often it runs, concurrently or
 * after a crash: households go in id-ordered chunks, one transaction each, locked in ascending
 * id order so a concurrent run queues behind the chunk instead of deadlocking, and households
 * already holding the month's allotment are skipped. The unique (household, month) index on
 * `points_entries` is the backstop: a payment the chunk could not see rolls the chunk back, and
 * the chunk is redone.
 */
@Injectable()
export class AllotmentsService {
  private readonly logger = new Logger(AllotmentsService.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly config: AppConfig,
    private readonly ledger: PointsLedger,
    private readonly audit: AuditService,
    @InjectQueue(QUEUES.points) private readonly queue: Queue<PointsAllotmentJob>,
  ) {}

  async schedules(): Promise<AllotmentSchedule[]> {
    const rows = await this.dataSource.getRepository(AllotmentSchedule).find();
    const order = (s: AllotmentSchedule) => HOUSEHOLD_CATEGORIES.indexOf(s.category);
    return rows.sort((a, b) => order(a) - order(b));
  }

  /** Sets a category's schedule, creating it the first time. */
  async updateSchedule(
    actor: Actor,
    category: HouseholdCategory,
    input: AllotmentScheduleInput,
  ): Promise<AllotmentSchedule> {
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await this.dataSource.transaction((em) =>
          this.writeSchedule(em, actor, category, input),
        );
      } catch (error) {
        // two first-time writes of one category raced: the second finds the row on its retry
        if (!isDuplicateKeyError(error) || attempt >= 2) throw error;
      }
    }
  }

  /**
   * Queues a run for `month` (the county admin's button). The job id is the month's, so a double
   * click queues one run; a finished run's job is cleared first, so asking again later pays the
   * households registered since.
   */
  async request(actor: Actor, month: string): Promise<AllotmentRequest> {
    this.assertMonth(month);
    const jobId = pointsAllotmentJobId(month);
    // 503 when Redis does not answer; a run that still reaches it pays each household once
    const queued = await queueCall(this.queueRun(month, jobId), this.config.queueTimeoutMs);
    await this.audit.record(this.dataSource.manager, actor, {
      action: 'points.allotment.request',
      entityType: 'allotment',
      entityId: month,
      summary: `申请发放${monthLabel(month)}积分（任务 ${jobId}）`,
    });
    return { jobId: queued.jobId, month, state: queued.state };
  }

  private async queueRun(
    month: string,
    jobId: string,
  ): Promise<Pick<AllotmentRequest, 'jobId' | 'state'>> {
    const finished = await this.queue.getJob(jobId);
    if (finished && ((await finished.isCompleted()) || (await finished.isFailed()))) {
      // a concurrent request may have cleared it first; the add below then joins its run
      await finished.remove().catch(() => undefined);
    }
    const job = await this.queue.add(POINTS_JOBS.allotment, { month }, { jobId });
    return { jobId: String(job.id), state: await jobState(job) };
  }

  /** Pays `month`'s allotment to every active household with an active schedule, once each. */
  async run(month: string, options: AllotmentRunOptions = {}): Promise<AllotmentRun> {
    this.assertMonth(month);
    const chunkSize = options.chunkSize ?? ALLOTMENT_CHUNK_SIZE;
    const schedules = new Map(
      (await this.dataSource.getRepository(AllotmentSchedule).findBy({ active: true })).map(
        (s) => [s.category, s] as const,
      ),
    );
    const total: AllotmentRun = { month, households: 0, points: 0, skipped: 0 };
    let after = 0;
    while (schedules.size > 0) {
      const rows = await this.dataSource.query<{ id: number }[]>(
        `SELECT id FROM households
          WHERE id > ? AND status = 'active' AND category IN (?)
          ORDER BY id LIMIT ?`,
        [after, [...schedules.keys()], chunkSize],
      );
      if (rows.length === 0) break;
      const ids = rows.map((row) => Number(row.id));
      const chunk = await this.payChunk(month, ids, schedules);
      total.households += chunk.households;
      total.points += chunk.points;
      total.skipped += chunk.skipped;
      after = ids[ids.length - 1] ?? after;
      await options.onChunk?.({ ...total, lastHouseholdId: after });
    }
    this.logger.log(
      `allotment ${month}: paid ${total.points} points to ${total.households} households, ${total.skipped} already paid`,
    );
    return total;
  }

  /** What was paid for `month`, from the ledger; store users see their own store's share. */
  async summary(actor: Actor, month: string): Promise<AllotmentSummary> {
    const storeId = isStoreRole(actor.role) ? actor.storeId : null;
    // the run first, the ledger after it: a run that completes between the two reads would
    // otherwise say 已完成 over figures read before its last chunk, and the screen stops asking
    const run = await this.runStatus(month);
    // allotments are paid in or after their month (run refuses future months), so the
    // (kind, business_date) index narrows the scan to them
    const rows = await this.dataSource.query<
      {
        storeId: number;
        storeName: string | null;
        households: string;
        points: string;
        reversedHouseholds: string;
        reversedPoints: string;
        firstPaidAt: Date;
        lastPaidAt: Date;
      }[]
    >(
      `SELECT e.store_id AS storeId, s.name AS storeName, COUNT(*) AS households,
              SUM(e.points) AS points, COUNT(r.id) AS reversedHouseholds,
              COALESCE(SUM(CASE WHEN r.id IS NOT NULL THEN e.points END), 0) AS reversedPoints,
              MIN(e.occurred_at) AS firstPaidAt, MAX(e.occurred_at) AS lastPaidAt
         FROM points_entries e
         LEFT JOIN points_entries r ON r.reverses_entry_id = e.id
         LEFT JOIN stores s ON s.id = e.store_id
        WHERE e.kind = 'allotment' AND e.business_date >= ? AND e.allotment_month = ?
          ${storeId === null ? '' : 'AND e.store_id = ?'}
        GROUP BY e.store_id, s.name
        ORDER BY e.store_id`,
      storeId === null ? [`${month}-01`, month] : [`${month}-01`, month, storeId],
    );
    const sum = (pick: (row: (typeof rows)[number]) => string) =>
      rows.reduce((total, row) => total + Number(pick(row)), 0);
    const times = rows.flatMap((row) => [row.firstPaidAt, row.lastPaidAt].map((t) => t.getTime()));
    return {
      month,
      storeId,
      households: sum((row) => row.households),
      points: sum((row) => row.points),
      reversed: {
        households: sum((row) => row.reversedHouseholds),
        points: sum((row) => row.reversedPoints),
      },
      byStore: rows.map((row) => ({
        storeId: Number(row.storeId),
        storeName: row.storeName,
        households: Number(row.households),
        points: Number(row.points),
      })),
      firstPaidAt: times.length > 0 ? new Date(Math.min(...times)) : null,
      lastPaidAt: times.length > 0 ? new Date(Math.max(...times)) : null,
      run,
    };
  }

  /** The run's job, as Bull holds it; 503 when Redis does not answer. */
  private runStatus(month: string): Promise<AllotmentRunStatus | null> {
    return queueCall(this.readRun(month), this.config.queueTimeoutMs);
  }

  private async readRun(month: string): Promise<AllotmentRunStatus | null> {
    const jobId = pointsAllotmentJobId(month);
    let job = await this.queue.getJob(jobId);
    if (!job) return null;
    const state = await jobState(job);
    // a job read just before it completed has no result yet: read it again
    if (state === 'completed' && job.returnvalue == null)
      job = (await this.queue.getJob(jobId)) ?? job;
    const progress: unknown = job.progress();
    return {
      jobId: String(job.id),
      state,
      progress:
        typeof progress === 'object' && progress !== null ? (progress as AllotmentProgress) : null,
      result: state === 'completed' ? ((job.returnvalue as AllotmentRun | null) ?? null) : null,
      failedReason: job.failedReason ?? null,
      failedAttempts: job.attemptsMade,
    };
  }

  private async payChunk(
    month: string,
    ids: number[],
    schedules: Map<HouseholdCategory, AllotmentSchedule>,
  ): Promise<Omit<AllotmentRun, 'month'>> {
    // a concurrent run of the same month meets this chunk at the unique index
    return UnitOfWork.run(
      this.dataSource,
      {
        isolation: POINTS_ISOLATION,
        lockRetries: CHUNK_RETRIES,
        alsoRetry: isDuplicateKeyError,
        name: `allotment ${month}: chunk from household ${ids[0]}`,
      },
      (uow) => this.payLockedChunk(uow.manager, month, ids, schedules),
    );
  }

  private async payLockedChunk(
    em: EntityManager,
    month: string,
    ids: number[],
    schedules: Map<HouseholdCategory, AllotmentSchedule>,
  ): Promise<Omit<AllotmentRun, 'month'>> {
    // the locking read comes first, so the reads after it see what a run ahead of us committed
    const households = await em
      .getRepository(Household)
      .createQueryBuilder('h')
      .where('h.id IN (:...ids)', { ids })
      .orderBy('h.id', 'ASC')
      .setLock('pessimistic_write')
      .getMany();
    const paid = new Set(
      (
        await em.query<{ householdId: number }[]>(
          `SELECT household_id AS householdId FROM points_entries
            WHERE household_id IN (?) AND allotment_month = ?`,
          [ids, month],
        )
      ).map((row) => Number(row.householdId)),
    );
    const occurredAt = new Date();
    const result = { households: 0, points: 0, skipped: 0 };
    for (const household of households) {
      const schedule = schedules.get(household.category);
      // suspended, exited or recategorised since the chunk was listed
      if (household.status !== 'active' || !schedule) continue;
      if (paid.has(household.id)) {
        result.skipped += 1;
        continue;
      }
      const points = allotmentPoints(schedule, household.memberCount);
      await this.ledger.post(em, SYSTEM_ACTOR, household, {
        kind: 'allotment',
        points,
        storeId: household.homeStoreId,
        reason: allotmentReason(month, household.category),
        sourceType: 'allotment',
        sourceId: schedule.id,
        allotmentMonth: month,
        occurredAt,
      });
      result.households += 1;
      result.points += points;
    }
    if (result.households > 0) {
      await this.audit.record(em, SYSTEM_ACTOR, {
        action: 'points.allotment',
        entityType: 'allotment',
        entityId: month,
        summary: `${monthLabel(month)}积分发放：${result.households} 户 ${result.points} 分（户 ID ${ids[0]}–${ids[ids.length - 1]}）`,
      });
    }
    return result;
  }

  private async writeSchedule(
    em: EntityManager,
    actor: Actor,
    category: HouseholdCategory,
    input: AllotmentScheduleInput,
  ): Promise<AllotmentSchedule> {
    const existing = await em.findOne(AllotmentSchedule, {
      where: { category },
      lock: { mode: 'pessimistic_write' },
    });
    const before = existing ? describeSchedule(existing) : null;
    const schedule = existing ?? em.create(AllotmentSchedule, { category });
    schedule.basePoints = input.basePoints;
    schedule.perExtraMember = input.perExtraMember;
    schedule.active = input.active;
    schedule.updatedBy = actor.userId === 0 ? null : actor.userId;
    schedule.updatedAt = new Date();
    await em.save(AllotmentSchedule, schedule);
    await this.audit.record(em, actor, {
      action: 'allotment.schedule',
      entityType: 'allotment_schedule',
      entityId: schedule.id,
      summary: `${CATEGORY_LABELS[category]}户发放标准：${describeSchedule(schedule)}${before ? `（原为 ${before}）` : '（新设）'}`,
    });
    return schedule;
  }

  /** A `YYYY-MM` month that has begun in the county: allotments are never paid in advance. */
  private assertMonth(month: string): void {
    const problem = !MONTH.test(month)
      ? { message: `月份 ${month} 格式不正确，应为 YYYY-MM`, constraint: 'matches' }
      : month > businessMonth(new Date(), this.config.timeZone)
        ? { message: `${monthLabel(month)}尚未开始，不能提前发放积分`, constraint: 'maxMonth' }
        : null;
    if (problem) {
      throw new ValidationFailedError(problem.message, {
        fields: [
          { field: 'month', constraints: [problem.constraint], messages: [problem.message] },
        ],
      });
    }
  }
}

function describeSchedule(schedule: AllotmentSchedule): string {
  return `每户每月 ${schedule.basePoints} 分，每多一人加 ${schedule.perExtraMember} 分，${schedule.active ? '启用' : '停用'}`;
}
