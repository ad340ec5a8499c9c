// Runs in each Jest worker before any test module is imported: config is read at import time.
import { requestedStep, stepAutoIncrement } from './support/auto-increment-steps';
import {
  assertTestDatabase,
  CHECKOUT_ID,
  DEFAULT_DATABASE_URL,
  testDatabaseName,
  withDatabase,
} from './test-database';

const workerId = process.env.JEST_WORKER_ID ?? '1';
const database = testDatabaseName(workerId);
assertTestDatabase(database);

process.env.NODE_ENV = 'test';
process.env.DATABASE_URL = withDatabase(process.env.DATABASE_URL ?? DEFAULT_DATABASE_URL, database);
process.env.QUEUE_PREFIX = `test_${CHECKOUT_ID}_${workerId}`;
process.env.RUN_MIGRATIONS = 'false';
process.env.DEMO_DATA = 'false';
// tests that need replicas or a trusted proxy set these themselves, never from the shell
delete process.env.DATABASE_REPLICA_URLS;
delete process.env.TRUST_PROXY;
delete process.env.QUEUE_LOCK_MS;
delete process.env.REPORT_EXPORT_STEP_DELAY_MS;
// A till request has 4 s of database time in production. Suites that fire 200 checkouts at one lot
// on a busy two-core machine must not meet that limit (it would be a timing assertion); the outage
// suites give their own app the production limits.
process.env.DATABASE_TILL_TIMEOUT_MS = '20000';
for (const name of [
  'DATABASE_TIMEOUT_MS',
  'DATABASE_REPORT_TIMEOUT_MS',
  'DATABASE_CONNECT_TIMEOUT_MS',
  'QUEUE_TIMEOUT_MS',
  'SCHEDULE_CHECK_INTERVAL_MS',
]) {
  delete process.env[name];
}
process.env.LOG_LEVEL = process.env.TEST_LOG_LEVEL ?? 'silent';
// `npm run test:e2e:steps`: every connection hands out ids as one node of a cluster would
if (requestedStep(process.env.TEST_AUTO_INCREMENT_INCREMENT)) stepAutoIncrement();
