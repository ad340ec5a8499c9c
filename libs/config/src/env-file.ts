import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

/**
 * Loads `./.env` into the process environment if the file exists; variables already set win.
 * Called by the entry points (api, worker, migration CLI) before anything reads configuration.
 */
export function loadEnvFile(path = resolve(process.cwd(), '.env')): void {
  if (existsSync(path)) process.loadEnvFile(path);
}
