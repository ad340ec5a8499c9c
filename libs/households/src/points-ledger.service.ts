import {
  assertMonthOpen,
  businessDate,
  idText,
  InsertedId,
  NotFoundError,
  SYSTEM_ACTOR,
  StatementBatch,
  UnitOfWork,
  type Actor,
  type QueuedWrite,
  type UnitOfWorkOptions,
} from '@charity/common';
import { AppConfig } from '@charity/config';
import { Injectable, Logger } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import {
  EntryAlreadyReversedError,
  EntryNotReversibleError,
  InsufficientPointsError,
} from './household-errors';
import { Household } from './household.entity';
import { PointsAllocation } from './points-allocation.entity';
import { PointsEntry, type PointsEntryKind } from './points-entry.entity';
import { PointsGrant } from './points-grant.entity';
import { pointsTotalKind } from './points-month-total.entity';
import { PointsPolicy } from './points-policy.entity';
import { addMonths } from './points-time';

/**
 * Isolation for every transaction that writes points. The household row lock serialises one
 * household's writes; READ COMMITTED makes every later read in the transaction see what the
 * previous holder committed (REPEATABLE READ would show a snapshot taken before the lock if the
 * caller read anything first) and takes no gap locks, so different households never block each
 * other on the ledger's indexes.
 */
export const POINTS_ISOLATION = 'READ COMMITTED' as const;

/** A points transaction whose lock conflict reaches the caller (409: the person tries again). */
export const POINTS_WORK: UnitOfWorkOptions = { isolation: POINTS_ISOLATION, lockRetries: 0 };

const ALLOCATION_COLUMNS = ['entry_id', 'grant_id', 'points'] as const;

/** How long a process trusts its copy of the policy when another process may have changed it. */
const POLICY_CACHE_MS = 5000;

/** One change of a household's points, before it is booked. */
export interface PointsChange {
  kind: Exclude<PointsEntryKind, 'reversal'>;
  /** Signed, never zero. */
  points: number;
  storeId: number;
  reason: string;
  sourceType: string;
  /** An InsertedId only with queue(), for a document written in the same batch. */
  sourceId?: string | number | InsertedId | null;
  ruleId?: number | null;
  batchId?: number | null;
  period?: string | null;
  allotmentMonth?: string | null;
  /** Defaults to now; the demo county and tests book entries in the past. */
  occurredAt?: Date;
  /**
   * For a debit: the household's spendable grants as the caller read them under the household's
   * lock in this transaction (the till, which checks the balance first); saves reading them again.
   */
  grants?: SpendableGrants;
}

/** A household's unexpired grants with points left, in the order a debit draws on them. */
export interface SpendableGrants {
  /** The business date they were read for: unexpired means expiring after it. */
  today: string;
  total: number;
  grants: readonly { id: number; remaining: number; expiresOn: string | null }[];
}

/** What a debit drew from one grant; a redemption keeps it to restore the same grants. */
export interface GrantDraw {
  grantId: number;
  points: number;
  expiresOn: string | null;
}

export interface PostedEntry {
  entry: PointsEntry;
  /** Grants the entry filled (one, for a credit) or drew on (soonest-expiring first). */
  draws: GrantDraw[];
}

export interface ExpiryRun {
  today: string;
  households: number;
  points: number;
}

/** A change of any kind, reversals included, as `insertEntry` books it. */
type EntryDraft = Omit<PointsChange, 'kind'> & {
  kind: PointsEntryKind;
  /** For a reversal: the kind it undoes, which the monthly totals count it with. */
  reversedKind?: PointsEntryKind;
};

/** Every household column, aliased to its property; `exited_on` as the ORM gives a date. */
const HOUSEHOLD_COLUMNS = `id, card_no AS cardNo, head_name AS headName,
  id_number_cipher AS idNumberCipher, id_number_hash AS idNumberHash,
  id_number_masked AS idNumberMasked, id_number_last4 AS idNumberLast4, category,
  member_count AS memberCount, region_id AS regionId, home_store_id AS homeStoreId,
  phone_cipher AS phoneCipher, phone_hash AS phoneHash, phone_masked AS phoneMasked,
  phone_last4 AS phoneLast4, address, status, DATE_FORMAT(exited_on, '%Y-%m-%d') AS exitedOn,
  status_reason AS statusReason, balance, created_by AS createdBy, created_at AS createdAt,
  updated_at AS updatedAt`;

type HouseholdRow = Omit<Household, 'region' | 'homeStore'>;

interface GrantRow {
  id: number;
  remaining: number;
  expiresOn: string | null;
}

/**
 * The points ledger. Every change is an appended `points_entries` row, distributed over the
 * household's grants through `points_allocations`; the household's `balance` and each grant's
 * `remaining` are caches of those rows, moved by guarded updates in the same transaction.
 *
 * Every write starts by locking the household row, so one household's changes are serial while
 * different households proceed in parallel; callers pass the locked row from `lockHousehold`, in a
 * transaction opened with POINTS_ISOLATION.
 */
@Injectable()
export class PointsLedger {
  private readonly logger = new Logger(PointsLedger.name);
  private cachedPolicy: { policy: PointsPolicy; until: number } | null = null;

  constructor(
    private readonly dataSource: DataSource,
    private readonly config: AppConfig,
  ) {}

  today(): string {
    return businessDate(new Date(), this.config.timeZone);
  }

  async lockHousehold(em: EntityManager, householdId: number): Promise<Household> {
    const household = await em.findOne(Household, {
      where: { id: householdId },
      lock: { mode: 'pessimistic_write' },
    });
    if (!household) throw new NotFoundError('household', householdId);
    return household;
  }

  /**
   * Locks the household with this card number, for the till: the same row lock as
   * `lockHousehold`, read in plain SQL because every checkout takes it and the ORM's find cost
   * more CPU than the query. Queued with the till's other first reads; once the batch has run,
   * the function gives the household, or null when no household has the card.
   */
  queueLockByCard(batch: StatementBatch, cardNo: string): () => Household | null {
    const read = batch.select<HouseholdRow>(
      `SELECT ${HOUSEHOLD_COLUMNS} FROM households WHERE card_no = ? LIMIT 1 FOR UPDATE`,
      [cardNo],
    );
    return () => {
      const [row] = batch.rowsOf(read);
      return row ? Object.assign(new Household(), row) : null;
    };
  }

  /**
   * The policy for read-only use on hot paths (every checkout reads it): cached for a few
   * seconds, and forgotten at once when this process changes it. Read through the caller's
   * EntityManager on a miss: a transaction holding a pooled connection must not wait for a
   * second one, or a burst of checkouts could take every connection and wait forever.
   */
  async currentPolicy(em: EntityManager): Promise<PointsPolicy> {
    const now = Date.now();
    if (!this.cachedPolicy || this.cachedPolicy.until < now) {
      this.cachedPolicy = { policy: await this.policy(em), until: now + POLICY_CACHE_MS };
    }
    return this.cachedPolicy.policy;
  }

  forgetPolicy(): void {
    this.cachedPolicy = null;
  }

  /** The policy as stored now, for writes and decisions inside a transaction. */
  async policy(em: EntityManager = this.dataSource.manager): Promise<PointsPolicy> {
    const policy = await em.findOneBy(PointsPolicy, { id: 1 });
    return (
      policy ??
      em.create(PointsPolicy, {
        id: 1,
        expiryMonths: 0,
        exitedMaySpend: false,
        cardNameDisplay: 'masked',
        monthlyVisitLimit: null,
        voidWindowDays: 0,
        updatedBy: null,
        updatedAt: null,
      })
    );
  }

  /**
   * Books a change for a household locked by the caller. A credit opens a grant expiring as the
   * policy says; a debit draws on unexpired grants, soonest expiry first, and fails with
   * INSUFFICIENT_POINTS rather than let anything go below zero.
   */
  async post(
    em: EntityManager,
    actor: Actor,
    household: Household,
    change: PointsChange,
  ): Promise<PostedEntry> {
    const batch = new StatementBatch();
    const posted = await this.queue(em, batch, actor, household, change);
    await batch.run(em);
    return posted;
  }

  /**
   * post() for a caller that sends the writes itself, with its own, in `batch` (the till): reads
   * what the change needs now and queues its writes. The entry's id, and a credit's grant id,
   * are filled in once the batch has run.
   */
  async queue(
    em: EntityManager,
    batch: StatementBatch,
    actor: Actor,
    household: Household,
    change: PointsChange,
  ): Promise<PostedEntry> {
    if (!Number.isSafeInteger(change.points) || change.points === 0) {
      throw new Error(`points change must be a non-zero integer, got ${change.points}`);
    }
    const occurredAt = change.occurredAt ?? new Date();
    const date = businessDate(occurredAt, this.config.timeZone);
    // a back-dated entry must not land in a closed month
    if (change.occurredAt) await assertMonthOpen(em, date, this.today());
    const credit = change.points > 0;
    let expiresOn: string | null = null;
    let draws: GrantDraw[] = [];
    if (credit) {
      const policy = await this.currentPolicy(em);
      expiresOn = policy.expiryMonths > 0 ? addMonths(date, policy.expiryMonths) : null;
    } else {
      const today = this.today();
      draws =
        change.grants?.today === today
          ? drawFrom(change.grants.grants, household, -change.points)
          : await this.planDraw(em, household, -change.points, today, null);
    }
    const { entry, write } = this.queueEntry(
      batch,
      actor,
      household,
      change,
      occurredAt,
      date,
      null,
    );
    if (credit) {
      const draw: GrantDraw = { grantId: 0, points: change.points, expiresOn };
      const grant = batch.insertRows(
        'points_grants',
        ['household_id', 'entry_id', 'points', 'remaining', 'granted_on', 'expires_on'],
        [[household.id, batch.idOf(write), change.points, change.points, date, expiresOn]],
        (result) => {
          draw.grantId = result.insertId;
        },
      );
      batch.insertRows('points_allocations', ALLOCATION_COLUMNS, [
        [batch.idOf(write), batch.idOf(grant), change.points],
      ]);
      this.queueBalance(batch, household, change.points);
      return { entry, draws: [draw] };
    }
    this.queueDraws(batch, write, -1, draws);
    this.queueBalance(batch, household, change.points);
    return { entry, draws };
  }

  /**
   * 冲正: a new entry undoing `entryId`. A debit's points go back to the very grants it drew on,
   * with their expiry; a credit is taken back from its own grant first, then from the soonest
   * expiring others. Expiries and reversals themselves cannot be reversed.
   */
  async reverse(
    em: EntityManager,
    actor: Actor,
    household: Household,
    entryId: string,
    input: { reason: string; storeId: number; sourceType: string; sourceId?: string | number },
  ): Promise<PostedEntry> {
    const original = await em.findOneBy(PointsEntry, { id: entryId, householdId: household.id });
    if (!original) throw new NotFoundError('pointsEntry', entryId);
    if (original.kind === 'reversal' || original.kind === 'expiry') {
      throw new EntryNotReversibleError(
        entryId,
        original.kind === 'reversal' ? '冲正记录不能再冲正' : '过期记录不能冲正',
      );
    }
    const earlier = await em.findOneBy(PointsEntry, { reversesEntryId: entryId });
    if (earlier) throw new EntryAlreadyReversedError(entryId, earlier.id);

    const occurredAt = new Date();
    const date = businessDate(occurredAt, this.config.timeZone);
    const change: EntryDraft = {
      kind: 'reversal',
      reversedKind: original.kind,
      points: -original.points,
      storeId: input.storeId,
      reason: input.reason,
      sourceType: input.sourceType,
      sourceId: input.sourceId ?? original.id,
      ruleId: original.ruleId,
      batchId: original.batchId,
      period: original.period,
    };
    let draws: GrantDraw[];
    if (original.points < 0) {
      const drawn = await em.find(PointsAllocation, { where: { entryId: original.id } });
      const grants = await this.grantsById(
        em,
        drawn.map((a) => a.grantId),
      );
      draws = drawn.map((a) => ({
        grantId: a.grantId,
        points: -a.points,
        expiresOn: grants.get(a.grantId)?.expiresOn ?? null,
      }));
    } else {
      const own = await em.findOneByOrFail(PointsGrant, { entryId: original.id });
      draws = (await this.planDraw(em, household, original.points, this.today(), own.id)).map(
        (draw) => ({ ...draw, points: -draw.points }),
      );
    }
    const batch = new StatementBatch();
    const { entry, write } = this.queueEntry(
      batch,
      actor,
      household,
      change,
      occurredAt,
      date,
      original.id,
    );
    this.queueDraws(batch, write, original.points < 0 ? 1 : -1, draws);
    this.queueBalance(batch, household, change.points);
    await batch.run(em);
    return { entry, draws };
  }

  /**
   * Posts an `expiry` entry for each household holding grants whose date has come (expiresOn on
   * or before `today`), removing exactly what is left unspent. One transaction per household, so
   * a run can stop anywhere and the next run finishes the rest.
   */
  async expireDue(today: string): Promise<ExpiryRun> {
    const due = await this.dataSource.query<{ householdId: number }[]>(
      `SELECT DISTINCT household_id AS householdId FROM points_grants
        WHERE expires_on IS NOT NULL AND expires_on <= ? AND remaining > 0
        ORDER BY household_id`,
      [today],
    );
    let households = 0;
    let points = 0;
    for (const { householdId } of due) {
      const expired = await UnitOfWork.run(this.dataSource, POINTS_WORK, async (uow) => {
        const em = uow.manager;
        const household = await this.lockHousehold(em, Number(householdId));
        const grants = await em
          .getRepository(PointsGrant)
          .createQueryBuilder('g')
          .where('g.householdId = :id', { id: household.id })
          .andWhere('g.expiresOn IS NOT NULL AND g.expiresOn <= :today AND g.remaining > 0', {
            today,
          })
          .orderBy('g.expiresOn', 'ASC')
          .addOrderBy('g.id', 'ASC')
          .getMany();
        const total = grants.reduce((sum, g) => sum + g.remaining, 0);
        if (total === 0) return 0;
        const batch = new StatementBatch();
        const { write } = this.queueEntry(
          batch,
          SYSTEM_ACTOR,
          household,
          {
            kind: 'expiry',
            points: -total,
            storeId: household.homeStoreId,
            reason: `积分过期（${grants.length} 笔发放/评定，到期日 ${grants[0]?.expiresOn} 起）`,
            sourceType: 'expiry',
            sourceId: today,
          },
          new Date(),
          this.today(),
          null,
        );
        this.queueDraws(
          batch,
          write,
          -1,
          grants.map((g) => ({ grantId: g.id, points: g.remaining, expiresOn: g.expiresOn })),
        );
        this.queueBalance(batch, household, -total);
        await batch.run(em);
        return total;
      });
      if (expired > 0) {
        households += 1;
        points += expired;
      }
    }
    this.logger.log(`points expiry ${today}: ${points} points from ${households} households`);
    return { today, households, points };
  }

  /**
   * The grants a debit would draw on now, soonest expiry first, and their total (what spendable()
   * answers). Read under the household's lock, they can be handed to post() in the same transaction.
   */
  async spendableGrants(
    em: EntityManager,
    householdId: number,
    today = this.today(),
  ): Promise<SpendableGrants> {
    const batch = new StatementBatch();
    const grants = this.queueSpendableGrants(batch, { householdId }, today);
    await batch.run(em);
    return grants();
  }

  /**
   * spendableGrants() queued in `batch`, for the household with this id or card number (the till
   * reads them in the same round trip as it locks the household by its card).
   */
  queueSpendableGrants(
    batch: StatementBatch,
    household: { householdId: number } | { cardNo: string },
    today = this.today(),
  ): () => SpendableGrants {
    const read = batch.select<GrantRow>(
      `SELECT id, remaining, DATE_FORMAT(expires_on, '%Y-%m-%d') AS expiresOn FROM points_grants
        WHERE household_id = ${'cardNo' in household ? '(SELECT id FROM households WHERE card_no = ?)' : '?'}
          AND remaining > 0 AND (expires_on IS NULL OR expires_on > ?)
        ORDER BY expires_on IS NULL, expires_on, id`,
      ['cardNo' in household ? household.cardNo : household.householdId, today],
    );
    return () => {
      const grants = batch.rowsOf(read).map((row) => ({
        id: Number(row.id),
        remaining: Number(row.remaining),
        expiresOn: row.expiresOn,
      }));
      return { today, total: grants.reduce((sum, grant) => sum + grant.remaining, 0), grants };
    };
  }

  /** Spendable points: unexpired grants' remainders (the balance minus expired, not yet posted). */
  async spendable(em: EntityManager, householdId: number, today = this.today()): Promise<number> {
    const [row] = await em.query<{ total: string | null }[]>(
      `SELECT SUM(remaining) AS total FROM points_grants
        WHERE household_id = ? AND remaining > 0 AND (expires_on IS NULL OR expires_on > ?)`,
      [householdId, today],
    );
    return Number(row?.total ?? 0);
  }

  /**
   * Which grants `points` would come from: `first` (a credit being taken back) before the rest,
   * then soonest expiry first, never-expiring last. Expired grants are not spendable.
   */
  private async planDraw(
    em: EntityManager,
    household: Household,
    points: number,
    today: string,
    first: number | null,
  ): Promise<GrantDraw[]> {
    const rows = await em.query<GrantRow[]>(
      `SELECT id, remaining, DATE_FORMAT(expires_on, '%Y-%m-%d') AS expiresOn FROM points_grants
        WHERE household_id = ? AND remaining > 0 AND (expires_on IS NULL OR expires_on > ?)
        ORDER BY id = ? DESC, expires_on IS NULL, expires_on, id`,
      [household.id, today, first ?? 0],
    );
    return drawFrom(rows, household, points);
  }

  /**
   * Appends the allocations and moves every grant's cache in one guarded UPDATE (never below zero,
   * never above what was granted), so a draw costs the same round trips however many grants it
   * spans; draws carry the amount taken (`sign` says which way), each grant at most once.
   */
  private queueDraws(
    batch: StatementBatch,
    entry: QueuedWrite,
    sign: 1 | -1,
    draws: readonly GrantDraw[],
  ): void {
    if (draws.length === 0) return;
    batch.insertRows(
      'points_allocations',
      ALLOCATION_COLUMNS,
      draws.map((draw) => [batch.idOf(entry), draw.grantId, sign * Math.abs(draw.points)]),
    );
    const ids = draws.map((draw) => draw.grantId);
    const inList = ids.map(() => '?').join(', ');
    const amountOf = `CASE id ${draws.map(() => 'WHEN ? THEN ?').join(' ')} END`;
    const amounts = draws.flatMap((draw) => [draw.grantId, Math.abs(draw.points)]);
    batch.add(
      sign < 0
        ? `UPDATE points_grants SET remaining = remaining - ${amountOf}
            WHERE id IN (${inList}) AND remaining >= ${amountOf}`
        : `UPDATE points_grants SET remaining = remaining + ${amountOf}
            WHERE id IN (${inList}) AND remaining + ${amountOf} <= points`,
      [...amounts, ...ids, ...amounts],
      (result) => {
        // the household's lock keeps its grants still, so this is a broken cache, not a race
        if (result.affectedRows !== draws.length) {
          throw new Error(
            `grants ${ids.join(', ')} cannot all move by ${sign < 0 ? '-' : '+'}` +
              `${draws.map((draw) => Math.abs(draw.points)).join('/')}: ${result.affectedRows} could`,
          );
        }
      },
    );
  }

  private queueBalance(batch: StatementBatch, household: Household, points: number): void {
    const before = household.balance;
    batch.add(
      points < 0
        ? 'UPDATE households SET balance = balance - ? WHERE id = ? AND balance >= ?'
        : 'UPDATE households SET balance = balance + ? WHERE id = ? AND ? > 0',
      [Math.abs(points), household.id, Math.abs(points)],
      (result) => {
        if (result.affectedRows !== 1) {
          throw new InsufficientPointsError(household.id, before, -points);
        }
      },
    );
    household.balance += points;
  }

  /** The entry and its month's total; the entry's id is known once the batch has run. */
  private queueEntry(
    batch: StatementBatch,
    actor: Actor,
    household: Household,
    change: EntryDraft,
    occurredAt: Date,
    date: string,
    reversesEntryId: string | null,
  ): { entry: PointsEntry; write: QueuedWrite } {
    const sourceId = change.sourceId == null ? null : idText(change.sourceId);
    const entry = Object.assign(new PointsEntry(), {
      id: '',
      householdId: household.id,
      kind: change.kind,
      points: change.points,
      balanceAfter: household.balance + change.points,
      storeId: change.storeId,
      actorId: actor.userId === 0 ? null : actor.userId,
      occurredAt,
      businessDate: date,
      reason: change.reason.slice(0, 200),
      sourceType: change.sourceType,
      // a document written in the same batch has its id once the batch has run
      sourceId: typeof sourceId === 'string' ? sourceId : null,
      ruleId: change.ruleId ?? null,
      batchId: change.batchId ?? null,
      period: change.period ?? null,
      allotmentMonth: change.allotmentMonth ?? null,
      reversesEntryId,
    });
    const write = batch.insertRows(
      'points_entries',
      [
        'household_id',
        'kind',
        'points',
        'balance_after',
        'store_id',
        'actor_id',
        'occurred_at',
        'business_date',
        'reason',
        'source_type',
        'source_id',
        'rule_id',
        'batch_id',
        'period',
        'allotment_month',
        'reverses_entry_id',
      ],
      [
        [
          entry.householdId,
          entry.kind,
          entry.points,
          entry.balanceAfter,
          entry.storeId,
          entry.actorId,
          entry.occurredAt,
          entry.businessDate,
          entry.reason,
          entry.sourceType,
          sourceId,
          entry.ruleId,
          entry.batchId,
          entry.period,
          entry.allotmentMonth,
          entry.reversesEntryId,
        ],
      ],
      (result) => {
        entry.id = String(result.insertId);
        if (sourceId instanceof InsertedId) entry.sourceId = String(batch.valueOf(sourceId));
      },
    );
    batch.add(
      `INSERT INTO points_month_totals (business_month, store_id, kind, points) VALUES (?, ?, ?, ?)
       ON DUPLICATE KEY UPDATE points = points + ?`,
      [
        date.slice(0, 7),
        entry.storeId,
        pointsTotalKind(entry.kind, change.reversedKind),
        entry.points,
        entry.points,
      ],
    );
    return { entry, write };
  }

  private async grantsById(em: EntityManager, ids: number[]): Promise<Map<number, PointsGrant>> {
    if (ids.length === 0) return new Map();
    const grants = await em
      .getRepository(PointsGrant)
      .createQueryBuilder('g')
      .where('g.id IN (:...ids)', { ids })
      .getMany();
    return new Map(grants.map((g) => [g.id, g]));
  }
}

/** Takes `points` from the grants in their order, or fails with what they hold together. */
function drawFrom(grants: readonly GrantRow[], household: Household, points: number): GrantDraw[] {
  const draws: GrantDraw[] = [];
  let left = points;
  for (const grant of grants) {
    if (left === 0) break;
    const take = Math.min(left, Number(grant.remaining));
    draws.push({ grantId: Number(grant.id), points: take, expiresOn: grant.expiresOn });
    left -= take;
  }
  if (left > 0) throw new InsufficientPointsError(household.id, points - left, points);
  return draws;
}
