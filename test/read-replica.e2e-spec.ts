import { onReplica } from '@charity/common';
import { loadConfig, type AppConfig } from '@charity/config';
import { dataSourceOptions } from '@charity/database';
import { Logger } from '@nestjs/common';
import { createConnection, type Connection } from 'mysql2/promise';
import { DataSource } from 'typeorm';
import { assertTestDatabase, withDatabase } from './test-database';

// The "replica" is a second database on the same server holding different rows, so every read
// shows which node answered. Real replication would copy the primary's rows; here they differ.
const PROBE = 'replica_probe';

function configWith(replicaUrls: string): AppConfig {
  return loadConfig({ ...process.env, DATABASE_REPLICA_URLS: replicaUrls });
}

async function connected(config: AppConfig): Promise<DataSource> {
  return new DataSource(dataSourceOptions(config, 'mysql')).initialize();
}

describe('read replicas (DATABASE_REPLICA_URLS)', () => {
  const primaryUrl = process.env.DATABASE_URL as string;
  const primaryDb = new URL(primaryUrl).pathname.slice(1);
  const replicaDb = `${primaryDb}_replica`;
  let server: Connection;
  let replicated: DataSource;

  beforeAll(async () => {
    assertTestDatabase(replicaDb);
    // onReplica's fallback warning is expected in one test below
    Logger.overrideLogger(false);
    const { host, port, username, password } = loadConfig(process.env).database;
    server = await createConnection({ host, port, user: username, password });
    await server.query(`DROP DATABASE IF EXISTS \`${replicaDb}\``);
    await server.query(
      `CREATE DATABASE \`${replicaDb}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_520_ci`,
    );
    for (const database of [primaryDb, replicaDb]) {
      await server.query(`DROP TABLE IF EXISTS \`${database}\`.${PROBE}`);
      await server.query(
        `CREATE TABLE \`${database}\`.${PROBE} (id int PRIMARY KEY, source varchar(20) NOT NULL)`,
      );
    }
    await server.query(`INSERT INTO \`${replicaDb}\`.${PROBE} VALUES (1, 'replica')`);
    replicated = await connected(configWith(withDatabase(primaryUrl, replicaDb)));
  });

  afterAll(async () => {
    await replicated?.destroy();
    await server.query(`DROP TABLE IF EXISTS \`${primaryDb}\`.${PROBE}`);
    await server.query(`DROP DATABASE IF EXISTS \`${replicaDb}\``);
    await server.end();
  });

  it('reads on the replica with onReplica while writes, transactions and other reads use the primary', async () => {
    await replicated.transaction((em) =>
      em.query(`INSERT INTO ${PROBE} (id, source) VALUES (2, 'primary')`),
    );
    await replicated.query(`INSERT INTO ${PROBE} (id, source) VALUES (3, 'primary')`);

    const fromReplica = await onReplica(replicated, (query) =>
      query<{ db: string; source: string }[]>(
        `SELECT DATABASE() AS db, source FROM ${PROBE} ORDER BY id`,
      ),
    );
    expect(fromReplica).toEqual([{ db: replicaDb, source: 'replica' }]);

    const [replicaRows] = await server.query(`SELECT id FROM \`${replicaDb}\`.${PROBE}`);
    expect(replicaRows).toEqual([{ id: 1 }]);
    expect(await replicated.query(`SELECT DATABASE() AS db, id FROM ${PROBE} ORDER BY id`)).toEqual(
      [
        { db: primaryDb, id: 2 },
        { db: primaryDb, id: 3 },
      ],
    );
    // TypeORM would send a SELECT built outside a transaction to a replica unless told otherwise
    const built = await replicated
      .createQueryBuilder()
      .select('p.id', 'id')
      .from(PROBE, 'p')
      .orderBy('p.id')
      .getRawMany<{ id: number }>();
    expect(built).toEqual([{ id: 2 }, { id: 3 }]);
  });

  it('gives replica connections the same charset, collation and time zone as the primary', async () => {
    const settings = `SELECT @@character_set_connection AS charset, @@collation_connection AS collation,
                             CAST('2026-03-04 05:06:07' AS DATETIME) AS instant`;
    const onPrimary = await replicated.query<Record<string, unknown>[]>(settings);
    const onReplicaNode = await onReplica(replicated, (query) =>
      query<Record<string, unknown>[]>(settings),
    );
    expect(onReplicaNode).toEqual(onPrimary);
    expect(onReplicaNode[0]?.collation).toBe('utf8mb4_unicode_520_ci');
    expect((onReplicaNode[0]?.instant as Date).toISOString()).toBe('2026-03-04T05:06:07.000Z');
  });

  it('reads the primary through onReplica when no replica is configured, with options as before', async () => {
    const config = loadConfig(process.env);
    expect(config.databaseReplicas).toEqual([]);
    const options = dataSourceOptions(config, 'mysql');
    expect(options).not.toHaveProperty('replication');
    expect(options).toMatchObject({ host: config.database.host, database: primaryDb });

    const single = await connected(config);
    try {
      const rows = await onReplica(single, (query) =>
        query<{ db: string }[]>('SELECT DATABASE() AS db'),
      );
      expect(rows).toEqual([{ db: primaryDb }]);
    } finally {
      await single.destroy();
    }
  });

  it('falls back to the primary when no replica answers', async () => {
    // nothing listens on port 1: every connection attempt is refused at once
    const unreachable = await connected(
      configWith('mysql://nobody:x@127.0.0.1:1/charity_test_gone'),
    );
    try {
      for (let attempt = 0; attempt < 2; attempt++) {
        const rows = await onReplica(unreachable, (query) =>
          query<{ db: string }[]>('SELECT DATABASE() AS db'),
        );
        expect(rows).toEqual([{ db: primaryDb }]);
      }
    } finally {
      await unreachable.destroy();
    }
  });
});
