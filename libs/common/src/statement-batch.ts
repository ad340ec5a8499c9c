import type { EntityManager } from 'typeorm';

/** The name of the checkout's pool, whose connections accept several statements at once. */
export const BATCHED_DATA_SOURCE = 'batched';

/** What the database answered for one write (mysql2's ResultSetHeader). */
export interface WriteResult {
  insertId: number;
  affectedRows: number;
}

/** A write queued in a batch; its result is known once the batch has run. */
export interface QueuedWrite {
  readonly index: number;
}

/** A read queued in a batch; its rows are known once the batch has run. */
export interface QueuedRead<T> {
  readonly index: number;
  /** Only carries the row type. */
  readonly rows?: T;
}

/**
 * A parameter known only once an earlier write of the same batch has run: the id of the one row
 * that write inserted.
 */
export class InsertedId {
  constructor(readonly write: QueuedWrite) {}
}

/** An id for a text column (a document's id in a ledger row), or one a batch will know. */
export function idText(id: string | number | InsertedId): string | InsertedId {
  return id instanceof InsertedId ? id : String(id);
}

/**
 * Sees a write's result once the batch has run: checks its guard (throwing fails the batch) or
 * keeps an id it made.
 */
export type WriteCheck = (result: WriteResult) => void;

/**
 * A check that rides in a caller's batch instead of costing a round trip of its own: it queues
 * its reads, and the function it returns throws if, once the batch has run, they fail it.
 */
export type BatchedCheck = (batch: StatementBatch) => () => void;

interface Statement {
  sql: string;
  params: readonly unknown[];
  check?: WriteCheck;
  /** How many rows a multi-row INSERT writes (insertRows): only a single row's id is known. */
  rows?: number;
}

/**
 * Statements that several services queue for one transaction and that are sent together when the
 * caller runs the batch: one round trip on a connection that accepts several statements at once
 * (the checkout's, see `BATCHED_DATA_SOURCE`), one statement after another on any other. Either
 * way they run in the order they were queued, a later write can use the id of a row an earlier
 * single-row INSERT wrote (`idOf`), and every guard (`check`) sees its own write's result; a check that throws fails
 * `run`, and the caller's transaction rolls everything back.
 *
 * A batch may mix reads (`select`) and writes, but no statement can use another's answer, only its
 * effects (a read after a locking read runs once the lock is held; a later write may use an
 * earlier insert's id): whatever a statement needs to know from a read goes in an earlier batch.
 */
export class StatementBatch {
  private readonly statements: Statement[] = [];
  private readonly results: unknown[] = [];

  add(sql: string, params: readonly unknown[] = [], check?: WriteCheck): QueuedWrite {
    return this.queue({ sql, params, check });
  }

  /**
   * One INSERT of all `rows`, in plain SQL: on the checkout's hot path the ORM's insert costs more
   * CPU than the database's work.
   */
  insertRows(
    table: string,
    columns: readonly string[],
    rows: readonly (readonly unknown[])[],
    check?: WriteCheck,
  ): QueuedWrite {
    const row = `(${columns.map(() => '?').join(', ')})`;
    return this.queue({
      sql: `INSERT INTO ${table} (${columns.join(', ')}) VALUES ${rows.map(() => row).join(', ')}`,
      params: rows.flat(),
      check,
      rows: rows.length,
    });
  }

  select<T>(sql: string, params: readonly unknown[] = []): QueuedRead<T> {
    return this.add(sql, params);
  }

  /** The rows `read` found, once the batch has run. */
  rowsOf<T>(read: QueuedRead<T>): T[] {
    if (this.results.length <= read.index) throw new Error(`read ${read.index} has not run`);
    const rows = this.results[read.index];
    if (!Array.isArray(rows)) throw new Error(`statement ${read.index} is not a read`);
    return rows as T[];
  }

  /**
   * A parameter standing for the id of the row `write` inserts, until the batch runs. Only for a
   * single-row INSERT: the database answers a multi-row INSERT with its first row's id, and the
   * others are not first + 1, first + 2 … where ids are handed out in steps (a cluster's
   * auto_increment_increment), so rows that others refer to are inserted one by one.
   */
  idOf(write: QueuedWrite): InsertedId {
    const rows = this.statements[write.index]?.rows ?? 1;
    if (rows !== 1) {
      throw new Error(`write ${write.index} inserts ${rows} rows: only a single row's id is known`);
    }
    return new InsertedId(write);
  }

  /** What `id` stands for, once the batch has run. */
  valueOf(id: InsertedId): number {
    return this.resultOf(id.write).insertId;
  }

  /** `write`'s result, once the batch has run. */
  resultOf(write: QueuedWrite): WriteResult {
    if (this.results.length <= write.index) throw new Error(`write ${write.index} has not run`);
    return resultFrom(this.results[write.index]);
  }

  private queue(statement: Statement): QueuedWrite {
    this.statements.push(statement);
    return { index: this.statements.length - 1 };
  }

  /** Sends the statements (see UnitOfWork, which runs a transaction's batches), then runs the guards. */
  async run(em: EntityManager): Promise<void> {
    if (this.results.length > 0) throw new Error('a statement batch runs once');
    if (this.statements.length > 1 && acceptsSeveralStatements(em)) await this.runAtOnce(em);
    else await this.runOneByOne(em);
    for (const [index, statement] of this.statements.entries()) {
      statement.check?.(this.resultOf({ index }));
    }
  }

  private async runOneByOne(em: EntityManager): Promise<void> {
    for (const statement of this.statements) {
      const params = statement.params.map((param) =>
        param instanceof InsertedId ? this.valueOf(param) : param,
      );
      this.results.push(await em.query(statement.sql, params));
    }
  }

  /**
   * One round trip: each insertId a later write uses is kept in a session variable
   * (`SET @write_batch_<index> = LAST_INSERT_ID()` right after its INSERT).
   */
  private async runAtOnce(em: EntityManager): Promise<void> {
    const used = new Set<number>();
    for (const statement of this.statements) {
      for (const param of statement.params) {
        if (param instanceof InsertedId) used.add(param.write.index);
      }
    }
    const parts: string[] = [];
    const values: unknown[] = [];
    /** Where each statement's result sits in the answer, which has one per part. */
    const positions: number[] = [];
    for (const [index, statement] of this.statements.entries()) {
      const pieces = statement.sql.split('?');
      if (pieces.length !== statement.params.length + 1) {
        throw new Error(
          `statement ${index} has ${pieces.length - 1} placeholders for ${statement.params.length} values`,
        );
      }
      let sql = pieces[0] ?? '';
      statement.params.forEach((param, at) => {
        if (param instanceof InsertedId) {
          sql += `@write_batch_${param.write.index}`;
        } else {
          sql += '?';
          values.push(param);
        }
        sql += pieces[at + 1] ?? '';
      });
      positions.push(parts.length);
      parts.push(sql);
      if (used.has(index)) parts.push(`SET @write_batch_${index} = LAST_INSERT_ID()`);
    }
    const answer: unknown = await em.query(parts.join(';\n'), values);
    if (!Array.isArray(answer) || answer.length !== parts.length) {
      throw new Error(
        `a batch of ${parts.length} statements was answered with ${describe(answer)}`,
      );
    }
    for (const position of positions) this.results.push(answer[position]);
  }
}

/** Whether the connection behind `em` was opened with mysql2's `multipleStatements`. */
export function acceptsSeveralStatements(em: EntityManager): boolean {
  return (em.connection.options as { multipleStatements?: boolean }).multipleStatements === true;
}

function resultFrom(raw: unknown): WriteResult {
  const header = raw as { insertId?: number | string; affectedRows?: number } | null;
  return {
    insertId: Number(header?.insertId ?? 0),
    affectedRows: Number(header?.affectedRows ?? 0),
  };
}

function describe(answer: unknown): string {
  return Array.isArray(answer) ? `${answer.length} results` : typeof answer;
}
