import { Logger } from '@nestjs/common';
import type { DataSource, EntityManager } from 'typeorm';
import { QueryResult } from 'typeorm';
import type { IsolationLevel } from 'typeorm/driver/types/IsolationLevel';
import type { MysqlDriver } from 'typeorm/driver/mysql/MysqlDriver';
import { MysqlQueryRunner } from 'typeorm/driver/mysql/MysqlQueryRunner';
import { isLockConflict } from './database-errors';
import { acceptsSeveralStatements, StatementBatch } from './statement-batch';

export interface UnitOfWorkOptions {
  isolation: IsolationLevel;
  /**
   * How many times a run the database rolled back for a deadlock or a lock wait timeout is tried
   * again from the start (0: the conflict reaches the caller, who answers 409).
   */
  lockRetries: number;
  /**
   * Another error after which a run is tried again, within the same `lockRetries` (the monthly
   * allotment's chunk meeting a concurrent run at a unique index).
   */
  alsoRetry?: (error: unknown) => boolean;
  /** What the warning logged before a run is tried again calls it (`checkout`). */
  name?: string;
}

/** What one run of a unit of work cost: every statement or batch sent is one round trip. */
export interface UnitOfWorkStats {
  roundTrips: number;
  committed: boolean;
}

type Observer = (stats: UnitOfWorkStats) => void;
const observers = new Set<Observer>();
const logger = new Logger('UnitOfWork');

/**
 * One transaction, from START to COMMIT or ROLLBACK, and the statements its services queue for
 * it. `run` owns the transaction's isolation level and the retries after a lock conflict; the
 * services read and write through `manager` (TypeORM's, bound to the transaction) or queue
 * statements in `batch`, which goes to the database with the next `flush` or `read`.
 *
 * Transactions begin with TypeORM's own startTransaction, so its bookkeeping (savepoints for a
 * nested transaction, `save`'s own transaction) stays its own. On a connection that accepts
 * several statements at once (see `BATCHED_DATA_SOURCE`) opening one costs no round trip: the
 * session's isolation level is set once per connection, and that and START wait and travel with
 * the transaction's first statement.
 */
export class UnitOfWork {
  private current = new StatementBatch();

  private constructor(private readonly runner: UnitOfWorkRunner) {}

  /** TypeORM's entity manager, bound to this transaction. */
  get manager(): EntityManager {
    return this.runner.manager;
  }

  /** The statements queued for the next flush. */
  get batch(): StatementBatch {
    return this.current;
  }

  /** How many times this run has reached the database so far. */
  get roundTrips(): number {
    return this.runner.roundTrips;
  }

  /** Sends the queued statements (one round trip on a batched connection) and runs their guards. */
  async flush(): Promise<void> {
    const batch = this.current;
    this.current = new StatementBatch();
    await batch.run(this.manager);
  }

  /**
   * Queues `reads` with whatever is already queued, flushes, and returns what the function they
   * handed back makes of the rows (a value, or a guard that throws).
   */
  async read<T>(reads: (batch: StatementBatch) => () => T): Promise<T> {
    const answer = reads(this.current);
    await this.flush();
    return answer();
  }

  /**
   * `work` in one transaction: committed when it returns, rolled back when it throws, and run
   * again from the start (in a new transaction) after a lock conflict, `lockRetries` times at most.
   * `work` may therefore run more than once: it sends nothing but database statements.
   */
  static async run<T>(
    dataSource: DataSource,
    { isolation, lockRetries, alsoRetry, name = 'unit of work' }: UnitOfWorkOptions,
    work: (uow: UnitOfWork) => Promise<T>,
  ): Promise<T> {
    for (let attempt = 0; ; attempt += 1) {
      try {
        return await UnitOfWork.once(dataSource, isolation, work);
      } catch (error) {
        const again = isLockConflict(error) || alsoRetry?.(error) === true;
        if (!again || attempt >= lockRetries) throw error;
        logger.warn(`${name} rolled back (${String(error)}); running it again`);
      }
    }
  }

  /**
   * Calls `observer` with every run's stats until the returned function is called: how tests see
   * the round trips a use case costs.
   */
  static observe(observer: Observer): () => void {
    observers.add(observer);
    return () => observers.delete(observer);
  }

  private static async once<T>(
    dataSource: DataSource,
    isolation: IsolationLevel,
    work: (uow: UnitOfWork) => Promise<T>,
  ): Promise<T> {
    const runner = new UnitOfWorkRunner(dataSource);
    const stats: UnitOfWorkStats = { roundTrips: 0, committed: false };
    try {
      await runner.startTransaction(await runner.levelToSet(isolation));
      try {
        const result = await work(new UnitOfWork(runner));
        await runner.commitTransaction();
        stats.committed = true;
        return result;
      } catch (error) {
        // on a lost or abandoned connection the ROLLBACK fails too; the server rolls back anyway,
        // and the first error is the one that says what happened
        await runner.rollbackTransaction().catch(() => undefined);
        throw error;
      }
    } finally {
      stats.roundTrips = runner.roundTrips;
      await runner.release();
      for (const observer of observers) observer(stats);
    }
  }
}

/** The isolation level each pooled connection (mysql2's) of a batched pool has for its session. */
const sessionLevels = new WeakMap<object, IsolationLevel>();

/**
 * TypeORM's MySQL query runner, counting what it sends; on a connection that accepts several
 * statements at once, the session's isolation level (when it changes) and START TRANSACTION are
 * held back and sent ahead of the transaction's first statement.
 */
class UnitOfWorkRunner extends MysqlQueryRunner {
  roundTrips = 0;
  private readonly held: string[] = [];
  private readonly holds: boolean;

  constructor(dataSource: DataSource) {
    super(dataSource.driver as MysqlDriver, 'master');
    this.manager = dataSource.createEntityManager(this);
    this.holds = acceptsSeveralStatements(this.manager);
  }

  /**
   * The level startTransaction must set for `isolation`. A connection of a batched pool sets its
   * session's level instead, the first time it is used (every transaction on that pool asks for
   * the same), held back for the first statement like START; another connection, every time.
   */
  async levelToSet(isolation: IsolationLevel): Promise<IsolationLevel | undefined> {
    if (!this.holds) return isolation;
    const connection = (await this.connect()) as object;
    if (sessionLevels.get(connection) !== isolation) {
      this.held.push(`SET SESSION TRANSACTION ISOLATION LEVEL ${isolation}`);
      sessionLevels.set(connection, isolation);
    }
    return undefined;
  }

  override async query(
    sql: string,
    parameters?: unknown[],
    useStructuredResult = false,
  ): ReturnType<MysqlQueryRunner['query']> {
    // what startTransaction sends at depth 0 (a nested one sends SAVEPOINT), which may wait for
    // the transaction's first statement
    if (this.holds && sql === 'START TRANSACTION') {
      this.held.push(sql);
      return useStructuredResult ? new QueryResult() : undefined;
    }
    this.roundTrips += 1;
    if (this.held.length === 0) {
      return super.query(sql, parameters, useStructuredResult);
    }
    const opening = this.held.splice(0);
    const raw = (await super.query([...opening, sql].join(';\n'), parameters)) as unknown[];
    const rest = raw.slice(opening.length);
    // one answer for one statement, the list of answers for a batch
    const answer: unknown = rest.length === 1 ? rest[0] : rest;
    if (!useStructuredResult) return answer;
    const result = new QueryResult();
    result.raw = answer;
    if (Array.isArray(answer)) result.records = answer;
    const header = answer as { affectedRows?: number } | null;
    if (typeof header?.affectedRows === 'number') result.affected = header.affectedRows;
    return result;
  }
}
