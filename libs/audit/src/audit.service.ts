import {
  idText,
  pageOf,
  skipOf,
  StatementBatch,
  type Actor,
  type InsertedId,
  type Page,
  type PageQuery,
} from '@charity/common';
import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { clientAddress } from './client-address';
import { AuditEntry } from './audit-entry.entity';

export interface AuditRecord {
  action: string;
  entityType: string;
  /** An InsertedId for a row written in the same batch (queue only). */
  entityId?: number | string | InsertedId | null;
  /** Short human summary; personal data must already be masked. */
  summary: string;
  /** The store the write concerns; defaults to the actor's store. */
  storeId?: number | null;
  /** Where an anonymous request came from (failed logins); an actor carries its own. */
  requestId?: string;
  ip?: string;
}

export interface AuditFilter {
  actorId?: number;
  storeId?: number;
  action?: string;
  entityType?: string;
  entityId?: string;
  from?: Date;
  to?: Date;
}

const PURGE_BATCH = 5000;

@Injectable()
export class AuditService {
  constructor(private readonly dataSource: DataSource) {}

  /** Appends an entry inside the caller's transaction so it commits with the write it describes. */
  async record(em: EntityManager, actor: Actor | null, record: AuditRecord): Promise<void> {
    const batch = new StatementBatch();
    this.queue(batch, actor, record);
    await batch.run(em);
  }

  /** record() for a caller that sends its writes together (the till). */
  queue(batch: StatementBatch, actor: Actor | null, record: AuditRecord): void {
    const isSystem = actor !== null && actor.userId === 0;
    // plain SQL: every write records one, so this sits on the checkout's hot path
    batch.insertRows(
      'audit_entries',
      [
        'occurred_at',
        'actor_id',
        'actor_username',
        'actor_role',
        'store_id',
        'action',
        'entity_type',
        'entity_id',
        'summary',
        'request_id',
        'ip',
      ],
      [
        [
          new Date(),
          actor && !isSystem ? actor.userId : null,
          actor?.username ?? 'anonymous',
          actor === null ? 'anonymous' : isSystem ? 'system' : actor.role,
          record.storeId !== undefined ? record.storeId : (actor?.storeId ?? null),
          record.action,
          record.entityType,
          record.entityId == null ? null : idText(record.entityId),
          record.summary.slice(0, 500),
          actor?.requestId ?? record.requestId ?? null,
          clientAddress(actor?.ip ?? record.ip),
        ],
      ],
    );
  }

  async list(filter: AuditFilter, page: PageQuery): Promise<Page<AuditEntry>> {
    const qb = this.dataSource.getRepository(AuditEntry).createQueryBuilder('a');
    if (filter.actorId !== undefined) qb.andWhere('a.actorId = :actorId', filter);
    if (filter.storeId !== undefined) qb.andWhere('a.storeId = :storeId', filter);
    if (filter.action !== undefined) qb.andWhere('a.action = :action', filter);
    if (filter.entityType !== undefined) qb.andWhere('a.entityType = :entityType', filter);
    if (filter.entityId !== undefined) qb.andWhere('a.entityId = :entityId', filter);
    if (filter.from !== undefined) qb.andWhere('a.occurredAt >= :from', filter);
    if (filter.to !== undefined) qb.andWhere('a.occurredAt < :to', filter);
    const [items, total] = await qb
      .orderBy('a.occurredAt', 'DESC')
      .addOrderBy('a.id', 'DESC')
      .skip(skipOf(page))
      .take(page.pageSize)
      .getManyAndCount();
    return pageOf(items, total, page);
  }

  /**
   * Deletes entries older than the retention period, in batches so a large purge never holds
   * long locks. Returns how many were removed.
   */
  async purgeOlderThan(retentionDays: number, now = new Date()): Promise<number> {
    const cutoff = new Date(now.getTime() - retentionDays * 86_400_000);
    let removed = 0;
    for (;;) {
      const result: { affectedRows: number } = await this.dataSource.query(
        'DELETE FROM audit_entries WHERE occurred_at < ? ORDER BY id LIMIT ?',
        [cutoff, PURGE_BATCH],
      );
      removed += result.affectedRows;
      if (result.affectedRows < PURGE_BATCH) return removed;
    }
  }
}
