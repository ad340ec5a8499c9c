import * as argon2 from 'argon2';
import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * The passwords the README published before this migration: every demo staff account's and
 * ADMIN_PASSWORD's default. Written out here, not imported, so this migration keeps meaning what
 * it meant when it ran.
 */
const DEMO_STAFF_PASSWORD = 'Demo@2026';
const DEFAULT_ADMIN_PASSWORD = 'Admin@2026';
/** argon2 verifies on libuv's thread pool, four threads by default. */
const VERIFY_CONCURRENCY = 4;

interface UserRow {
  id: number;
  passwordHash: string;
  /** 1 when the user has not logged in since the password was set (created or reset). */
  notLoggedInSinceSet: number | string;
}

type Classification = { passwordOrigin: 'demo' | 'bootstrap' | 'admin'; mustChange: boolean };

/**
 * Says where each user's password came from, so a password someone else chose is changed at the
 * next login and production refuses to run with a published one. Each existing hash is verified
 * once, here, against the published passwords (two argon2 checks per user at most; the api never
 * does this at start): Demo@2026 is a demo account, the ADMIN_PASSWORD default the first admin's
 * (both must change). Every other password was set by an admin, as no route let users choose
 * their own before; those users must change it only if they have not logged in since it was set.
 */
export class PasswordOrigin1796672151903 implements MigrationInterface {
  name = 'PasswordOrigin1796672151903';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            ALTER TABLE \`users\`
            ADD \`password_origin\` enum ('demo', 'bootstrap', 'admin', 'self') NOT NULL DEFAULT 'admin'
        `);
    await queryRunner.query(`
            ALTER TABLE \`users\`
            ADD \`must_change_password\` tinyint NOT NULL DEFAULT 1
        `);
    const users = (await queryRunner.query(`
            SELECT u.id, u.password_hash AS passwordHash,
                   u.last_login_at IS NULL OR EXISTS (
                     SELECT 1 FROM audit_entries a
                      WHERE a.entity_type = 'user' AND a.entity_id = CAST(u.id AS CHAR)
                        AND a.action = 'user.password_reset' AND a.occurred_at > u.last_login_at
                   ) AS notLoggedInSinceSet
              FROM users u ORDER BY u.id
        `)) as UserRow[];
    const groups = new Map<string, number[]>();
    for (let start = 0; start < users.length; start += VERIFY_CONCURRENCY) {
      const chunk = users.slice(start, start + VERIFY_CONCURRENCY);
      const classified = await Promise.all(chunk.map(classify));
      chunk.forEach((user, index) => {
        const { passwordOrigin, mustChange } = classified[index];
        const key = `${passwordOrigin}:${mustChange ? 1 : 0}`;
        groups.set(key, [...(groups.get(key) ?? []), user.id]);
      });
    }
    for (const [key, ids] of groups) {
      const [passwordOrigin, mustChange] = key.split(':');
      await queryRunner.query(
        'UPDATE users SET password_origin = ?, must_change_password = ? WHERE id IN (?)',
        [passwordOrigin, Number(mustChange), ids],
      );
    }
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            ALTER TABLE \`users\` DROP COLUMN \`must_change_password\`
        `);
    await queryRunner.query(`
            ALTER TABLE \`users\` DROP COLUMN \`password_origin\`
        `);
  }
}

async function classify(user: UserRow): Promise<Classification> {
  if (await matches(user.passwordHash, DEMO_STAFF_PASSWORD)) {
    return { passwordOrigin: 'demo', mustChange: true };
  }
  if (await matches(user.passwordHash, DEFAULT_ADMIN_PASSWORD)) {
    return { passwordOrigin: 'bootstrap', mustChange: true };
  }
  return { passwordOrigin: 'admin', mustChange: Number(user.notLoggedInSinceSet) === 1 };
}

async function matches(hash: string, password: string): Promise<boolean> {
  try {
    return await argon2.verify(hash, password);
  } catch {
    // not an argon2 hash: it cannot be one of the published passwords either
    return false;
  }
}
