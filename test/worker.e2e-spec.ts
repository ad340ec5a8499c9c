import { AuditEntry } from '@charity/audit';
import { MAINTENANCE_JOBS, QUEUES, SCHEDULES, type AuditRetentionResult } from '@charity/queue';
import { getQueueToken } from '@nestjs/bull';
import { Test, type TestingModule } from '@nestjs/testing';
import type { Queue } from 'bull';
import { DataSource } from 'typeorm';
import { MaintenanceProcessor } from '../apps/worker/src/processors/maintenance.processor';
import { WorkerModule } from '../apps/worker/src/worker.module';
import { truncateAll } from './support/test-app';

const DAY = 86_400_000;

async function eventually<T>(probe: () => Promise<T | undefined>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('worker', () => {
  let worker: TestingModule;
  let dataSource: DataSource;
  let maintenance: Queue;

  function auditEntry(ageDays: number, summary: string): Partial<AuditEntry> {
    return {
      occurredAt: new Date(Date.now() - ageDays * DAY),
      actorId: null,
      actorUsername: 'system',
      actorRole: 'system',
      storeId: null,
      action: 'test.seed',
      entityType: 'test',
      entityId: null,
      summary,
      requestId: null,
      ip: null,
    };
  }

  beforeAll(async () => {
    worker = await Test.createTestingModule({ imports: [WorkerModule] }).compile();
    maintenance = worker.get<Queue>(getQueueToken(QUEUES.maintenance));
    await worker.init();
    dataSource = worker.get(DataSource);
  });

  beforeEach(() => truncateAll(dataSource));

  afterAll(() => worker.close());

  it('schedules the nightly audit purge in the county time zone, once however often it starts', async () => {
    const repeatable = await maintenance.getRepeatableJobs();
    const purges = repeatable.filter((job) => job.name === MAINTENANCE_JOBS.auditRetention);
    expect(purges).toEqual([
      expect.objectContaining({ cron: SCHEDULES.auditRetention.cron, tz: 'Asia/Shanghai' }),
    ]);
  });

  it('purges audit entries older than the retention when the job runs through Redis', async () => {
    await dataSource
      .getRepository(AuditEntry)
      .insert([
        auditEntry(400, 'old entry 1'),
        auditEntry(31, 'old entry 2'),
        auditEntry(29, 'recent entry'),
        auditEntry(0, 'today'),
      ]);

    const job = await maintenance.add(MAINTENANCE_JOBS.auditRetention, { retentionDays: 30 });
    const result = await eventually(async () => {
      const current = await maintenance.getJob(job.id);
      return (await current?.isCompleted())
        ? (current?.returnvalue as AuditRetentionResult)
        : undefined;
    });

    expect(result).toEqual({ removed: 2, retentionDays: 30 });
    const left = await dataSource.getRepository(AuditEntry).find({ order: { occurredAt: 'ASC' } });
    expect(left.map((entry) => entry.summary)).toEqual(['recent entry', 'today']);
  });

  it('uses AUDIT_RETENTION_DAYS when the job names no retention', async () => {
    const retention = worker.get(MaintenanceProcessor);
    await dataSource
      .getRepository(AuditEntry)
      .insert([auditEntry(1096, 'older than three years'), auditEntry(1094, 'within three years')]);

    const result = await retention.purgeAuditLog({ data: {} } as Parameters<
      MaintenanceProcessor['purgeAuditLog']
    >[0]);

    expect(result).toEqual({ removed: 1, retentionDays: 1095 });
    expect(await dataSource.getRepository(AuditEntry).count()).toBe(1);
  });
});
