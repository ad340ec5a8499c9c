import { readCommittedTransaction, StatementBatch } from '@charity/common';
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
  function family(tag: string, take: number): { batch: StatementBatch; moved: () => number } {
    const batch = new StatementBatch();
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

  /** Counts the query() calls (round trips) `work` makes on `dataSource`'s runners. */
  async function roundTrips(
    dataSource: DataSource,
    work: (em: EntityManager) => Promise<void>,
  ): Promise<number> {
    const runner = dataSource.createQueryRunner();
    const prototype = Object.getPrototypeOf(runner) as { query: (...args: unknown[]) => unknown };
    await runner.release();
    const spy = jest.spyOn(prototype, 'query');
    try {
      await dataSource.transaction(work);
      return spy.mock.calls.length;
    } finally {
      spy.mockRestore();
    }
  }

  it('sends a batch in one round trip on the checkout pool and one by one on the main pool', async () => {
    const once = family('once', 2);
    // START TRANSACTION, the batch, COMMIT
    expect(await roundTrips(batched, (em) => once.batch.run(em))).toBe(3);
    expect(once.moved()).toBe(1);
    const apart = family('apart', 2);
    // START TRANSACTION, four statements, COMMIT
    expect(await roundTrips(main, (em) => apart.batch.run(em))).toBe(6);
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

  it('sends an opening batch with START TRANSACTION, and rolls it back with what follows', async () => {
    // the checkout pool: START and the batch in one round trip, then COMMIT; the main pool: START,
    // four statements, COMMIT
    for (const [dataSource, expected] of [
      [batched, 2],
      [main, 6],
    ] as const) {
      const kept = family('kept', 2);
      const runner = dataSource.createQueryRunner();
      const prototype = Object.getPrototypeOf(runner) as { query: (...args: unknown[]) => unknown };
      await runner.release();
      const spy = jest.spyOn(prototype, 'query');
      try {
        await readCommittedTransaction(dataSource, () => Promise.resolve(), kept.batch);
        const sent = spy.mock.calls.filter(([sql]) => !String(sql).startsWith('SET SESSION'));
        expect(sent).toHaveLength(expected);
        expect(String(sent[0][0])).toMatch(/^START TRANSACTION/);
        expect(sent[sent.length - 1][0]).toBe('COMMIT');
      } finally {
        spy.mockRestore();
      }
      expect(kept.moved()).toBe(1);

      // a failure in the work undoes the opening batch too
      const undone = family('undone', 2);
      await expect(
        readCommittedTransaction(
          dataSource,
          async (em) => {
            await em.query(`UPDATE ${PARENTS} SET stock = 0 WHERE name = 'kept-b'`);
            throw new Error('the work failed');
          },
          undone.batch,
        ),
      ).rejects.toThrow('the work failed');
      expect(await rows()).toEqual([
        { parent: 'kept-a', note: 'kept first', stock: 3 },
        { parent: 'kept-b', note: 'kept second', stock: 5 },
      ]);
      await main.query(`DELETE FROM ${CHILDREN}`);
      await main.query(`DELETE FROM ${PARENTS}`);
    }
  });

  it('runs the checkout pool READ COMMITTED, setting each session once', async () => {
    const levels: string[] = [];
    for (let i = 0; i < 3; i += 1) {
      await readCommittedTransaction(batched, async (em) => {
        // tx_isolation on MariaDB 10.11, transaction_isolation on MySQL 8
        const [row] = await em.query<{ Value: string }[]>("SHOW VARIABLES LIKE 't%_isolation'");
        levels.push(row.Value);
      });
    }
    expect(levels).toEqual(['READ-COMMITTED', 'READ-COMMITTED', 'READ-COMMITTED']);
    const runner = batched.createQueryRunner();
    const prototype = Object.getPrototypeOf(runner) as { query: (...args: unknown[]) => unknown };
    await runner.release();
    const spy = jest.spyOn(prototype, 'query');
    try {
      await readCommittedTransaction(batched, () => Promise.resolve());
      // START TRANSACTION and COMMIT only: the session was set when the connection was first used
      expect(spy.mock.calls.map(([sql]) => sql)).toEqual(['START TRANSACTION', 'COMMIT']);
    } finally {
      spy.mockRestore();
    }
  });
});
