import { AuditService } from '@charity/audit';
import {
  DuplicateError,
  isDuplicateKeyError,
  NotFoundError,
  pageOf,
  skipOf,
  storeScopeOf,
  assertStoreAccess,
  ForbiddenError,
  type Actor,
  type Page,
  type PageQuery,
} from '@charity/common';
import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { InvalidRegionParentError } from './organisation-errors';
import { Region } from './region.entity';
import { Store } from './store.entity';

export interface NewStore {
  code: string;
  name: string;
  regionId: number;
  address?: string | null;
  phone?: string | null;
}

/** A store as pickers and lists name it. */
export interface StoreDirectoryEntry {
  id: number;
  code: string;
  name: string;
  regionId: number;
}

export type StoreChanges = Partial<NewStore & { active: boolean }>;

/** What a store manager may change about their own store; the rest is the county's. */
const MANAGER_EDITABLE: ReadonlyArray<keyof StoreChanges> = ['address', 'phone'];

@Injectable()
export class StoresService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
  ) {}

  async create(actor: Actor, input: NewStore): Promise<Store> {
    return this.dataSource.transaction(async (em) => {
      await this.assertStoreRegion(em, input.regionId);
      const now = new Date();
      const store = em.create(Store, {
        code: input.code,
        name: input.name,
        regionId: input.regionId,
        address: input.address ?? null,
        phone: input.phone ?? null,
        active: true,
        createdAt: now,
        updatedAt: now,
      });
      await this.saveUnique(em, store);
      await this.audit.record(em, actor, {
        action: 'store.create',
        entityType: 'store',
        entityId: store.id,
        summary: `新建门店“${store.name}”（${store.code}）`,
        storeId: store.id,
      });
      return store;
    });
  }

  async update(actor: Actor, id: number, requested: StoreChanges): Promise<Store> {
    assertStoreAccess(actor, id);
    // a validated request object carries every declared field, the ones not sent as undefined
    const changes = Object.fromEntries(
      Object.entries(requested).filter(([, value]) => value !== undefined),
    ) as StoreChanges;
    if (actor.role === 'store_manager') {
      const notAllowed = Object.keys(changes).filter(
        (key) => !MANAGER_EDITABLE.includes(key as keyof StoreChanges),
      );
      if (notAllowed.length > 0) {
        throw new ForbiddenError(
          `店长只能修改门店的地址和电话，不能修改：${notAllowed.join(', ')}`,
          {
            fields: notAllowed,
          },
        );
      }
    }
    return this.dataSource.transaction(async (em) => {
      const store = await em.findOne(Store, { where: { id }, lock: { mode: 'pessimistic_write' } });
      if (!store) throw new NotFoundError('store', id);
      if (changes.regionId !== undefined) await this.assertStoreRegion(em, changes.regionId);
      const changed = Object.entries(changes)
        .filter(([key, value]) => value !== undefined && store[key as keyof Store] !== value)
        .map(([key]) => key);
      Object.assign(store, changes, { updatedAt: new Date() });
      await this.saveUnique(em, store);
      await this.audit.record(em, actor, {
        action: 'store.update',
        entityType: 'store',
        entityId: store.id,
        summary: `修改门店“${store.name}”：${changed.join(', ') || '无变化'}`,
        storeId: store.id,
      });
      return store;
    });
  }

  async get(actor: Actor, id: number): Promise<Store> {
    assertStoreAccess(actor, id);
    const store = await this.dataSource.getRepository(Store).findOneBy({ id });
    if (!store) throw new NotFoundError('store', id);
    return store;
  }

  /** Store roles see only their own store. */
  async list(
    actor: Actor,
    filter: { regionId?: number; active?: boolean },
    page: PageQuery,
  ): Promise<Page<Store>> {
    const qb = this.dataSource.getRepository(Store).createQueryBuilder('s');
    const scope = storeScopeOf(actor);
    if (scope !== null) qb.andWhere('s.id = :scope', { scope });
    if (filter.regionId !== undefined) {
      // a township's stores include those of its villages
      qb.innerJoin(Region, 'r', 'r.id = s.regionId').andWhere(
        '(r.id = :regionId OR r.parentId = :regionId OR r.parentId IN (SELECT c.id FROM regions c WHERE c.parent_id = :regionId))',
        { regionId: filter.regionId },
      );
    }
    if (filter.active !== undefined) qb.andWhere('s.active = :active', { active: filter.active });
    const [items, total] = await qb
      .orderBy('s.code', 'ASC')
      .skip(skipOf(page))
      .take(page.pageSize)
      .getManyAndCount();
    return pageOf(items, total, page);
  }

  /**
   * The open stores a user may send goods to or see named: their own county's (every county's for
   * county roles). Only id, code, name and region, which receipts print anyway.
   */
  async directory(actor: Actor): Promise<StoreDirectoryEntry[]> {
    // a store belongs to a township, or to a village whose parent is a township
    const countyOf = (store: string, region: string, parent: string) =>
      `(SELECT CASE ${region}.level WHEN 'township' THEN ${region}.parent_id ELSE ${parent}.parent_id END
          FROM regions ${region} LEFT JOIN regions ${parent} ON ${parent}.id = ${region}.parent_id
         WHERE ${region}.id = ${store}.region_id)`;
    const own = storeScopeOf(actor);
    const rows = await this.dataSource.query<StoreDirectoryEntry[]>(
      `SELECT s.id, s.code, s.name, s.region_id AS regionId
         FROM stores s
        WHERE s.active = 1
          ${own === null ? '' : `AND ${countyOf('s', 'r', 'p')} = (SELECT ${countyOf('o', 'r2', 'p2')} FROM stores o WHERE o.id = ?)`}
        ORDER BY s.code`,
      own === null ? [] : [own],
    );
    return rows.map((row) => ({ ...row, id: Number(row.id), regionId: Number(row.regionId) }));
  }

  private async assertStoreRegion(em: EntityManager, regionId: number): Promise<void> {
    const region = await em.findOneBy(Region, { id: regionId });
    if (!region) throw new NotFoundError('region', regionId);
    if (region.level === 'county') {
      throw InvalidRegionParentError.storeInCounty(regionId);
    }
  }

  private async saveUnique(em: EntityManager, store: Store): Promise<void> {
    try {
      await em.save(store);
    } catch (error) {
      if (isDuplicateKeyError(error)) {
        throw new DuplicateError(`门店编码“${store.code}”或名称“${store.name}”已被使用`, {
          code: store.code,
          name: store.name,
        });
      }
      throw error;
    }
  }
}
