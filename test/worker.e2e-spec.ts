import { AuditEntry } from '@charity/audit';
import { DonationsService } from '@charity/donations';
import { StockService } from '@charity/inventory';
import {
  DOCUMENT_JOBS,
  MAINTENANCE_JOBS,
  QUEUES,
  SCHEDULES,
  type AuditRetentionResult,
  type ExpiryWriteOffResult,
} from '@charity/queue';
import { getQueueToken } from '@nestjs/bull';
import { Test, type TestingModule } from '@nestjs/testing';
import type { Queue } from 'bull';
import { DataSource } from 'typeorm';
import { MaintenanceProcessor } from '../apps/worker/src/processors/maintenance.processor';
import { WorkerModule } from '../apps/worker/src/worker.module';
import { jobResult } from './support/job-result';
import { truncateAll } from './support/test-app';

const DAY = 86_400_000;

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

  it('schedules the nightly jobs in the county time zone, once however often it starts', async () => {
    const repeatable = await maintenance.getRepeatableJobs();
    for (const [name, schedule] of [
      [MAINTENANCE_JOBS.auditRetention, SCHEDULES.auditRetention],
      [MAINTENANCE_JOBS.expiryWriteOff, SCHEDULES.expiryWriteOff],
    ] as const) {
      expect(repeatable.filter((job) => job.name === name)).toEqual([
        expect.objectContaining({ cron: schedule.cron, tz: 'Asia/Shanghai' }),
      ]);
    }
  });

  it('writes off expired lots when the nightly job runs through Redis', async () => {
    const category = await dataSource.query<{ insertId: number }>(
      "INSERT INTO product_categories (name, sort_order, created_at) VALUES ('副食', 0, NOW(3))",
    );
    const product = await dataSource.query<{ insertId: number }>(
      `INSERT INTO products (name, category_id, unit, point_price, unit_value_fen, low_stock_threshold, active, created_at, updated_at)
       VALUES ('方便面', ?, '箱', 20, 2000, 0, 1, NOW(3), NOW(3))`,
      [category.insertId],
    );
    const county = await dataSource.query<{ insertId: number }>(
      "INSERT INTO regions (name, level, created_at) VALUES ('测试县', 'county', NOW(3))",
    );
    const township = await dataSource.query<{ insertId: number }>(
      "INSERT INTO regions (name, level, parent_id, created_at) VALUES ('测试镇', 'township', ?, NOW(3))",
      [county.insertId],
    );
    const shop = await dataSource.query<{ insertId: number }>(
      "INSERT INTO stores (code, name, region_id, active, created_at, updated_at) VALUES ('W1', '测试超市', ?, 1, NOW(3), NOW(3))",
      [township.insertId],
    );
    await dataSource.transaction((em) =>
      worker.get(StockService).receive(em, null, {
        storeId: shop.insertId,
        productId: product.insertId,
        quantity: 7,
        unitValueFen: 1800,
        expiryDate: '2026-01-31',
        source: 'donation',
        kind: 'donation_in',
        ref: { type: 'donation', id: 1 },
      }),
    );

    const job = await maintenance.add(MAINTENANCE_JOBS.expiryWriteOff, { today: '2026-02-01' });
    const result = await jobResult<ExpiryWriteOffResult>(maintenance, job.id);

    expect(result).toEqual({ today: '2026-02-01', lots: 1, units: 7, valueFen: 12600 });
    const [lot] = await dataSource.query<{ quantity: number }[]>('SELECT quantity FROM stock_lots');
    expect(lot?.quantity).toBe(0);
  });

  it('renders a donation receipt when the job runs through Redis, keeping one file however often', async () => {
    const county = await dataSource.query<{ insertId: number }>(
      "INSERT INTO regions (name, level, created_at) VALUES ('收据县', 'county', NOW(3))",
    );
    const township = await dataSource.query<{ insertId: number }>(
      "INSERT INTO regions (name, level, parent_id, created_at) VALUES ('收据镇', 'township', ?, NOW(3))",
      [county.insertId],
    );
    const store = await dataSource.query<{ insertId: number }>(
      "INSERT INTO stores (code, name, region_id, active, created_at, updated_at) VALUES ('R1', '收据测试超市', ?, 1, NOW(3), NOW(3))",
      [township.insertId],
    );
    const user = await dataSource.query<{ insertId: number }>(
      "INSERT INTO users (username, display_name, password_hash, role, store_id, active, token_version, created_at, updated_at) VALUES ('r1_clerk', '周店员', 'x', 'clerk', ?, 1, 0, NOW(3), NOW(3))",
      [store.insertId],
    );
    const actor = {
      userId: user.insertId,
      username: 'r1_clerk',
      role: 'clerk' as const,
      storeId: store.insertId,
    };
    const { donation } = await worker.get(DonationsService).intake(actor, {
      storeId: store.insertId,
      donor: { kind: 'company', name: '收据测试企业' },
      cashFen: 12_300,
    });

    const documents = worker.get<Queue>(getQueueToken(QUEUES.documents));
    const first = await documents.add(DOCUMENT_JOBS.donationReceipt, { donationId: donation.id });
    const second = await documents.add(DOCUMENT_JOBS.donationReceipt, { donationId: donation.id });
    for (const job of [first, second]) await jobResult(documents, job.id);

    const stored = await dataSource.query<{ version: string; bytes: number }[]>(
      "SELECT version, bytes FROM rendered_documents WHERE kind = 'donation_receipt' AND ref_id = ?",
      [String(donation.id)],
    );
    expect(stored).toHaveLength(1);
    expect(stored[0]?.version).toBe('active');
    expect(stored[0]?.bytes).toBeGreaterThan(1000);
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
    const result = await jobResult<AuditRetentionResult>(maintenance, job.id);

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
