import { hashPassword } from '@charity/accounts';
import { loadConfig } from '@charity/config';
import { dataSourceOptions, ensureDatabase } from '@charity/database';
import { createConnection } from 'mysql2/promise';
import { DataSource } from 'typeorm';
import { MIGRATIONS } from '../libs/database/src/migrations';
import { PasswordOrigin1796672151903 } from '../libs/database/src/migrations/1796672151903-PasswordOrigin';
import { testDatabaseName, withDatabase } from './test-database';

interface Account {
  username: string;
  password: string;
  lastLoginAt: string | null;
  /** When an admin last reset the password (an audit entry). */
  resetAt?: string;
}

/**
 * The migration that gives existing users a password origin, run as an existing installation
 * meets it: a database at the migration before, holding accounts with the published passwords.
 */
describe('the PasswordOrigin migration', () => {
  const database = `${testDatabaseName(process.env.JEST_WORKER_ID ?? '1')}_pwmig`;
  const config = loadConfig({
    NODE_ENV: 'test',
    DATABASE_URL: withDatabase(process.env.DATABASE_URL ?? '', database),
  });
  const before = MIGRATIONS.slice(0, MIGRATIONS.indexOf(PasswordOrigin1796672151903));

  const dropDatabase = async () => {
    const server = await createConnection({
      host: config.database.host,
      port: config.database.port,
      user: config.database.username,
      password: config.database.password,
    });
    try {
      await server.query(`DROP DATABASE IF EXISTS \`${database}\``);
    } finally {
      await server.end();
    }
  };

  beforeAll(dropDatabase);
  afterAll(dropDatabase);

  it('verifies each existing hash once against the published passwords', async () => {
    const accounts: Account[] = [
      // a database first started in development: the demo county and its first admin
      { username: 'admin', password: 'Admin@2026', lastLoginAt: '2026-11-02 08:00:00' },
      { username: 'qs01_clerk', password: 'Demo@2026', lastLoginAt: '2026-11-02 08:05:00' },
      { username: 'auditor', password: 'Demo@2026', lastLoginAt: null },
      // staff an admin created since
      { username: 'veteran', password: 'Veteran-2025', lastLoginAt: '2026-10-01 09:00:00' },
      { username: 'newcomer', password: 'Newcomer-2026', lastLoginAt: null },
      {
        username: 'reset_since',
        password: 'Reset-Since-1',
        lastLoginAt: '2026-10-01 09:00:00',
        resetAt: '2026-10-05 10:00:00',
      },
      {
        username: 'reset_before',
        password: 'Reset-Before-1',
        lastLoginAt: '2026-10-06 09:00:00',
        resetAt: '2026-10-05 10:00:00',
      },
    ];

    await ensureDatabase(config);
    const old = await new DataSource({
      ...dataSourceOptions(config, 'mysql'),
      migrations: before,
    }).initialize();
    try {
      await old.runMigrations({ transaction: 'each' });
      for (const account of accounts) {
        await old.query(
          `INSERT INTO users (username, display_name, password_hash, role, store_id, active,
                              token_version, last_login_at, created_at, updated_at)
           VALUES (?, ?, ?, 'county_admin', NULL, 1, 0, ?, NOW(3), NOW(3))`,
          [
            account.username,
            account.username,
            await hashPassword(account.password),
            account.lastLoginAt,
          ],
        );
        if (account.resetAt) {
          await old.query(
            `INSERT INTO audit_entries (occurred_at, actor_id, actor_username, actor_role, store_id,
                                        action, entity_type, entity_id, summary)
             SELECT ?, NULL, 'system', 'system', NULL, 'user.password_reset', 'user', id, '重置密码'
               FROM users WHERE username = ?`,
            [account.resetAt, account.username],
          );
        }
      }
    } finally {
      await old.destroy();
    }

    const migrated = await new DataSource(dataSourceOptions(config, 'mysql')).initialize();
    try {
      const applied = await migrated.runMigrations({ transaction: 'each' });
      expect(applied.map((migration) => migration.name)).toContain(
        PasswordOrigin1796672151903.name,
      );
      const rows = await migrated.query<
        { username: string; passwordOrigin: string; mustChangePassword: number }[]
      >(
        `SELECT username, password_origin AS passwordOrigin,
                must_change_password AS mustChangePassword
           FROM users ORDER BY id`,
      );
      expect(rows).toEqual([
        { username: 'admin', passwordOrigin: 'bootstrap', mustChangePassword: 1 },
        { username: 'qs01_clerk', passwordOrigin: 'demo', mustChangePassword: 1 },
        { username: 'auditor', passwordOrigin: 'demo', mustChangePassword: 1 },
        { username: 'veteran', passwordOrigin: 'admin', mustChangePassword: 0 },
        { username: 'newcomer', passwordOrigin: 'admin', mustChangePassword: 1 },
        { username: 'reset_since', passwordOrigin: 'admin', mustChangePassword: 1 },
        { username: 'reset_before', passwordOrigin: 'admin', mustChangePassword: 0 },
      ]);
    } finally {
      await migrated.destroy();
    }
  }, 120_000);
});
