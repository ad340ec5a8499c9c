// `npm run users:reset-password -- <username> [<username> …]`: gives each named account a new,
// generated password and prints it once. As with an admin's reset, the user must replace it with
// their own at the next login, the account's tokens stop working, and the audit log records it
// (actor `users:reset-password`). This is how production is started again after it refused to run
// with accounts that still had a published password. Exit 1 naming any unknown user (nothing is
// changed then), 2 on any other failure.
import 'reflect-metadata';
import { generatePassword, User, UsersService } from '@charity/accounts';
import { AuditService } from '@charity/audit';
import { SYSTEM_ACTOR, type Actor } from '@charity/common';
import { loadConfig, loadEnvFile } from '@charity/config';
import { dataSourceOptions, ensureDatabase } from '@charity/database';
import { DataSource, In } from 'typeorm';

/** Recorded as the actor of each reset (a system actor: no user of the app did it). */
const COMMAND_ACTOR: Actor = { ...SYSTEM_ACTOR, username: 'users:reset-password' };

async function main(usernames: string[]): Promise<number> {
  if (usernames.length === 0) {
    console.error('usage: npm run users:reset-password -- <username> [<username> …]');
    return 1;
  }
  loadEnvFile();
  const config = loadConfig(process.env);
  const type = await ensureDatabase(config);
  const dataSource = await new DataSource(dataSourceOptions(config, type)).initialize();
  try {
    const users = await dataSource.getRepository(User).findBy({ username: In(usernames) });
    const byName = new Map(users.map((user) => [user.username.toLowerCase(), user]));
    const unknown = usernames.filter((username) => !byName.has(username.toLowerCase()));
    if (unknown.length > 0) {
      console.error(`No such user: ${unknown.join(', ')} (nothing was changed)`);
      return 1;
    }
    const accounts = new UsersService(dataSource, new AuditService(dataSource));
    for (const username of usernames) {
      const user = byName.get(username.toLowerCase()) as User;
      const password = generatePassword();
      await accounts.update(COMMAND_ACTOR, user.id, { password });
      try {
        await printLine(
          `${user.username}: new password ${password} (shown only now; ` +
            'the user must set their own at the next login)',
        );
      } catch {
        // the password is set but nobody saw it: stop before resetting anyone else
        console.error(
          `Could not print the new password of ${user.username}: run this again for it`,
        );
        return 2;
      }
    }
    return 0;
  } finally {
    await dataSource.destroy();
  }
}

/** Resolves once the line is written, so a closed output stops the command at that user. */
function printLine(line: string): Promise<void> {
  return new Promise((resolve, reject) => {
    process.stdout.once('error', reject);
    process.stdout.write(`${line}\n`, (error) => {
      process.stdout.off('error', reject);
      if (error) reject(error);
      else resolve();
    });
  });
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(2);
  },
);
