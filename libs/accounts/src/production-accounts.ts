import type { DataSource } from 'typeorm';
import { verifyPassword } from './password-hasher';

/** The command that gives an account a new password an admin hands over. */
export const RESET_PASSWORD_COMMAND = 'npm run users:reset-password --';

/** An active account production must not run with. */
export interface UnsafeAccount {
  username: string;
  /** `demo`: Demo@2026; `bootstrap`: the first admin's ADMIN_PASSWORD, never changed. */
  passwordOrigin: 'demo' | 'bootstrap';
}

interface CandidateRow {
  username: string;
  passwordOrigin: 'demo' | 'bootstrap';
  passwordHash: string;
}

/**
 * Active accounts that still have a published password: a demo account, or a first admin who has
 * not yet replaced the initial password with their own. The first admin this deployment creates
 * from its own ADMIN_PASSWORD (which production refuses to leave at the default) is let through,
 * so the first start and a restart before that admin signs in both work; one from another
 * password (Admin@2026 from a database first started in development) is not. Only those few
 * first-admin hashes are verified, never every account's.
 */
export async function findUnsafeAccounts(
  dataSource: DataSource,
  adminPassword: string,
): Promise<UnsafeAccount[]> {
  const candidates = await dataSource.query<CandidateRow[]>(
    `SELECT username, password_origin AS passwordOrigin, password_hash AS passwordHash
       FROM users
      WHERE active = 1
        AND (password_origin = 'demo' OR (password_origin = 'bootstrap' AND must_change_password = 1))
      ORDER BY id`,
  );
  const unsafe: UnsafeAccount[] = [];
  for (const { username, passwordOrigin, passwordHash } of candidates) {
    if (passwordOrigin === 'bootstrap' && (await verifyPassword(passwordHash, adminPassword))) {
      continue;
    }
    unsafe.push({ username, passwordOrigin });
  }
  return unsafe;
}

/** Stops a production start, naming each account and the command that resets it. */
export class UnsafeAccountsError extends Error {
  constructor(readonly accounts: UnsafeAccount[]) {
    const lines = accounts.map(
      ({ username, passwordOrigin }) =>
        `  - ${username} (${
          passwordOrigin === 'demo'
            ? 'demo account, password Demo@2026'
            : 'first admin, initial password never changed'
        }): ${RESET_PASSWORD_COMMAND} ${username}`,
    );
    super(
      'Refusing to start in production: these active accounts still have a published or initial ' +
        `password that anyone could use:\n${lines.join('\n')}\n` +
        'Reset them (the command prints a new password each user changes at first login), e.g. ' +
        `${RESET_PASSWORD_COMMAND} ${accounts.map((account) => account.username).join(' ')}`,
    );
    this.name = 'UnsafeAccountsError';
  }
}
