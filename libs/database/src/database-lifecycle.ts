import type { AppConfig } from '@charity/config';
import { Logger } from '@nestjs/common';
import { createConnection } from 'mysql2/promise';
import type { DataSource } from 'typeorm';

const MIGRATION_LOCK = 'charity_migrations';
const logger = new Logger('Database');

export type ServerType = 'mysql' | 'mariadb';

/**
 * Creates the configured database (utf8mb4) if it does not exist yet, and tells which server
 * answered: TypeORM's schema diff (migration:generate) reads MariaDB's column defaults correctly
 * only when told it is MariaDB.
 */
export async function ensureDatabase(config: AppConfig): Promise<ServerType> {
  const { host, port, username, password, database, socketPath } = config.database;
  let connection;
  try {
    connection = await createConnection({ host, port, user: username, password, socketPath });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(
      `Cannot connect to MySQL/MariaDB at ${socketPath ?? `${host}:${port}`} as "${username}": ${reason}. ` +
        'On a local machine run `npm run setup:local` (creates the user through the root socket); ' +
        'otherwise check DATABASE_URL.',
      { cause: error },
    );
  }
  try {
    await connection.query(
      `CREATE DATABASE IF NOT EXISTS \`${database}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_520_ci`,
    );
    const [rows] = await connection.query('SELECT VERSION() AS version');
    const version = (rows as { version: string }[])[0]?.version ?? '';
    return version.toLowerCase().includes('mariadb') ? 'mariadb' : 'mysql';
  } finally {
    await connection.end();
  }
}

/**
 * A named lock for one database: GET_LOCK names are server-wide, and processes working on other
 * databases of the same server (test workers, a bench) must not wait for each other.
 */
export function databaseLockName(dataSource: DataSource, purpose: string): string {
  return `${purpose}:${String(dataSource.options.database)}`.slice(0, 64);
}

/**
 * Runs pending migrations while holding a named lock, so an api and a worker starting together
 * (or several instances) never migrate the same database at the same time.
 */
export async function runMigrationsLocked(dataSource: DataSource): Promise<void> {
  const lock = databaseLockName(dataSource, MIGRATION_LOCK);
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    const [row] = (await runner.query('SELECT GET_LOCK(?, 120) AS acquired', [lock])) as {
      acquired: number | string | null;
    }[];
    if (Number(row?.acquired) !== 1) {
      throw new Error('Timed out waiting for another process to finish migrating the database');
    }
    try {
      const applied = await dataSource.runMigrations({ transaction: 'each' });
      if (applied.length > 0) {
        logger.log(
          `Applied ${applied.length} migration(s): ${applied.map((m) => m.name).join(', ')}`,
        );
      }
    } finally {
      await runner.query('SELECT RELEASE_LOCK(?)', [lock]);
    }
  } finally {
    await runner.release();
  }
}
