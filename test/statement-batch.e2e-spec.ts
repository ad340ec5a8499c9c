import {
  StatementBatch,
  UnitOfWork,
  type UnitOfWorkOptions,
  type UnitOfWorkStats,
} from '@charity/common';
import { loadConfig } from '@charity/config';
import { batchedDataSourceOptions, dataSourceOptions } from '@charity/database';
import { DataSource, type EntityManager } from 'typeorm';

// StatementBatch against the real server: on the checkout's pool (multipleStatements) a batch is one
// round trip, on the main pool one statement after another, and both write the same rows.
const PARENTS = 'write_batch_parents';
const CHILDREN = 'write_batch_children';

describe('StatementBatch', () => {
  const config = loadConfig(process.env);
  let main: DataSource;
  let batched: DataSource;

  beforeAll(async () => {
    main = await new DataSource(dataSourceOptions(config, 'mysql')).initialize();
    batched = await new DataSource(batchedDataSourceOptions(config)).initialize();
    await main.query(`DROP TABLE IF EXISTS ${CHILDREN}, ${PARENTS}`);
    await main.query(
      `CREATE TABLE ${PARENTS} (id INT UNSIGNED AUTO_INCREMENT PRIMARY KEY,
         name VARCHAR(20) NOT NULL UNIQUE, stock INT UNSIGNED NOT NULL DEFAULT 0)`,
    );
    await main.query(
      `CREATE TABLE ${CHILDREN} (id INT UNSIGNED AUTO_INCREMENT PRIMARY KEY,
         parent_id INT UNSIGNED NOT NULL, note VARCHAR(40) NOT NULL)`,
    );
  });

  afterAll(async () => {
    await main.query(`DROP TABLE IF EXISTS ${CHILDREN}, ${PARENTS}`);
    await Promise.all([main.destroy(), batched.destroy()]);
  });

  beforeEach(async () => {
    await main.query(`DELETE FROM ${CHILDREN}`);
    await main.query(`DELETE FROM ${PARENTS}`);
  });

  /** Two parents one by one, a child of each found by its parent's id, a guarded update. */
  function family(
    tag: string,
    take: number,
    batch = new StatementBatch(),
  ): { batch: StatementBatch; moved: () => number } {
    const first = batch.insertRows(PARENTS, ['name', 'stock'], [[`${tag}-a`, 5]]);
    const second = batch.insertRows(PARENTS, ['name', 'stock'], [[`${tag}-b`, 5]]);
    batch.insertRows(
      CHILDREN,
      ['parent_id', 'note'],
      [
        [batch.idOf(first), `${tag} first`],
        [batch.idOf(second), `${tag} second`],
      ],
    );
    const update = batch.add(
      `UPDATE ${PARENTS} SET stock = stock - ? WHERE name = ? AND stock >= ?`,
      [take, `${tag}-a`, take],
      (result) => {
        if (result.affectedRows !== 1) throw new Error(`${tag}-a holds less than ${take}`);
      },
    );
    return { batch, moved: () => batch.resultOf(update).affectedRows };
  }

  async function rows(): Promise<{ parent: string; note: string; stock: number }[]> {
    return main.query(
      `SELECT p.name AS parent, c.note, p.stock FROM ${CHILDREN} c
         JOIN ${PARENTS} p ON p.id = c.parent_id ORDER BY c.id`,
    );
  }

  const readCommitted: UnitOfWorkOptions = { isolation: 'READ COMMITTED', lockRetries: 0 };

  /** `work` in a unit of work on `dataSource`, and what the run cost (or its error). */
  async function measured(
    dataSource: DataSource,
    work: (uow: UnitOfWork) => Promise<void>,
    options = readCommitted,
  ): Promise<UnitOfWorkStats> {
    const runs: UnitOfWorkStats[] = [];
    const stop = UnitOfWork.observe((stats) => runs.push(stats));
    try {
      await UnitOfWork.run(dataSource, options, work);
    } finally {
      stop();
    }
    expect(runs).toHaveLength(1);
    return runs[0];
  }

  /** The round trips of a committed unit of work doing `work` with its entity manager. */
  async function roundTrips(
    dataSource: DataSource,
    work: (em: EntityManager) => Promise<void>,
  ): Promise<number> {
    const stats = await measured(dataSource, (uow) => work(uow.manager));
    expect(stats.committed).toBe(true);
    return stats.roundTrips;
  }

  it('sends a batch in one round trip on the checkout pool and one by one on the main pool', async () => {
    const once = family('once', 2);
    // SET TRANSACTION and START TRANSACTION with the batch, COMMIT
    expect(await roundTrips(batched, (em) => once.batch.run(em))).toBe(2);
    expect(once.moved()).toBe(1);
    const apart = family('apart', 2);
    // SET TRANSACTION, START TRANSACTION, four statements, COMMIT
    expect(await roundTrips(main, (em) => apart.batch.run(em))).toBe(7);
    expect(apart.moved()).toBe(1);
    expect(await rows()).toEqual([
      { parent: 'once-a', note: 'once first', stock: 3 },
      { parent: 'once-b', note: 'once second', stock: 5 },
      { parent: 'apart-a', note: 'apart first', stock: 3 },
      { parent: 'apart-b', note: 'apart second', stock: 5 },
    ]);
  });

  it('fails on a broken guard, and the transaction keeps nothing of the batch', async () => {
    for (const dataSource of [batched, main]) {
      const { batch } = family('short', 6);
      await expect(dataSource.transaction((em) => batch.run(em))).rejects.toThrow(
        'short-a holds less than 6',
      );
    }
    expect(await rows()).toEqual([]);
  });

  it('fails with the database error of a statement in the middle, keeping nothing', async () => {
    for (const dataSource of [batched, main]) {
      const batch = new StatementBatch();
      batch.insertRows(PARENTS, ['name'], [['twice']]);
      batch.insertRows(PARENTS, ['name'], [['twice']]);
      batch.insertRows(PARENTS, ['name'], [['after']]);
      await expect(dataSource.transaction((em) => batch.run(em))).rejects.toThrow(/Duplicate/);
    }
    expect(await main.query(`SELECT name FROM ${PARENTS}`)).toEqual([]);
  });

  it('opens the transaction with its first batch, and rolls it back with what follows', async () => {
    // the checkout pool: SET TRANSACTION, START and the batch in one round trip, then COMMIT; the
    // main pool: SET TRANSACTION, START, four statements, COMMIT
    for (const [dataSource, expected] of [
      [batched, 2],
      [main, 7],
    ] as const) {
      let kept: ReturnType<typeof family> | undefined;
      const stats = await measured(dataSource, async (uow) => {
        kept = family('kept', 2, uow.batch);
        await uow.flush();
      });
      expect(stats).toEqual({ roundTrips: expected, committed: true });
      expect(kept?.moved()).toBe(1);

      // a failure in the work undoes the first batch too
      const failed = measured(dataSource, async (uow) => {
        family('undone', 2, uow.batch);
        await uow.flush();
        await uow.manager.query(`UPDATE ${PARENTS} SET stock = 0 WHERE name = 'kept-b'`);
        throw new Error('the work failed');
      });
      await expect(failed).rejects.toThrow('the work failed');
      expect(await rows()).toEqual([
        { parent: 'kept-a', note: 'kept first', stock: 3 },
        { parent: 'kept-b', note: 'kept second', stock: 5 },
      ]);
      await main.query(`DELETE FROM ${CHILDREN}`);
      await main.query(`DELETE FROM ${PARENTS}`);
    }
  });

  it('runs at the isolation level it is given, which costs the checkout pool no round trip', async () => {
    /** How many parents the unit of work counts before and after another connection adds one. */
    const seen = async (options: UnitOfWorkOptions): Promise<number[]> => {
      const counts: number[] = [];
      const count = async (uow: UnitOfWork) => {
        const [row] = await uow.manager.query<{ n: string }[]>(
          `SELECT COUNT(*) AS n FROM ${PARENTS}`,
        );
        counts.push(Number(row.n));
      };
      await UnitOfWork.run(batched, options, async (uow) => {
        await count(uow);
        await main.query(`INSERT INTO ${PARENTS} (name) VALUES (?)`, [options.isolation]);
        await count(uow);
      });
      return counts;
    };
    // READ COMMITTED sees a row committed after its first read; REPEATABLE READ keeps its snapshot
    expect(await seen(readCommitted)).toEqual([0, 1]);
    expect(await seen({ isolation: 'REPEATABLE READ', lockRetries: 0 })).toEqual([1, 1]);
    // the checkout pool sets its sessions' level, once per connection, with the first statement
    const levels: string[] = [];
    for (let i = 0; i < 3; i += 1) {
      await UnitOfWork.run(batched, readCommitted, async (uow) => {
        // tx_isolation on MariaDB 10.11, transaction_isolation on MySQL 8
        const [row] = await uow.manager.query<{ Value: string }[]>(
          "SHOW VARIABLES LIKE 't%_isolation'",
        );
        levels.push(row.Value);
      });
    }
    expect(levels).toEqual(['READ-COMMITTED', 'READ-COMMITTED', 'READ-COMMITTED']);
    // nothing to do: START and COMMIT in one round trip
    expect(await roundTrips(batched, () => Promise.resolve())).toBe(1);
  });

  it('runs the work again in a new transaction after a lock conflict, lockRetries times', async () => {
    const deadlock = () => Object.assign(new Error('Deadlock found'), { errno: 1213 });
    let attempts = 0;
    const tried = (failures: number, lockRetries: number) => {
      attempts = 0;
      return UnitOfWork.run(batched, { isolation: 'READ COMMITTED', lockRetries }, async (uow) => {
        attempts += 1;
        family(`try${attempts}`, 2, uow.batch);
        await uow.flush();
        if (attempts <= failures) throw deadlock();
        return attempts;
      });
    };
    expect(await tried(2, 3)).toBe(3);
    // the attempts that failed kept nothing
    expect((await rows()).map((row) => row.parent)).toEqual(['try3-a', 'try3-b']);
    await expect(tried(2, 1)).rejects.toThrow('Deadlock found');
    expect(attempts).toBe(2);
    // any other error reaches the caller at once
    attempts = 0;
    const broken = UnitOfWork.run(batched, { isolation: 'READ COMMITTED', lockRetries: 3 }, () => {
      attempts += 1;
      return Promise.reject(new Error('not a lock conflict'));
    });
    await expect(broken).rejects.toThrow('not a lock conflict');
    expect(attempts).toBe(1);
  });
});
