// The web tests need the test databases (as the e2e tests do) and a fresh build of apps/web,
// made here once per run so every suite tests the code as it is now.
import 'tsconfig-paths/register';
import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import prepareDatabases from '../global-setup';
import { webDistDir } from '../test-database';

interface JestGlobalConfig {
  maxWorkers: number;
}

export default async function globalSetup(globalConfig: JestGlobalConfig): Promise<void> {
  await prepareDatabases(globalConfig);
  const root = resolve(__dirname, '../..');
  execFileSync(
    process.execPath,
    [
      resolve(root, 'node_modules/vite/bin/vite.js'),
      'build',
      '--config',
      'apps/web/vite.config.ts',
      '--logLevel',
      'warn',
    ],
    { cwd: root, env: { ...process.env, WEB_DIST_DIR: webDistDir() }, stdio: 'inherit' },
  );
}
