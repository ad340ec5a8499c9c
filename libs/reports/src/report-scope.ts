import {
  ForbiddenError,
  isStoreRole,
  NotFoundError,
  type Actor,
  type ReadQuery,
} from '@charity/common';
import type { ReportRegion } from './monthly-report.types';

/** A store with the regions it sits in, as the report groups it. */
export interface ScopeStore {
  id: number;
  code: string;
  name: string;
  regionId: number;
  townshipId: number | null;
  townshipName: string | null;
  /** Every region above the store, nearest first. */
  ancestors: number[];
}

/** What a report covers: its region and the stores in it. */
export interface ReportScope {
  /** `all`, `region:<id>` or `store:<id>`: the key snapshots are kept under. */
  key: string;
  region: ReportRegion;
  /** Null for the whole deployment: queries then need no store filter. */
  storeIds: number[] | null;
  stores: ScopeStore[];
}

export interface ScopeRequest {
  regionId?: number;
  storeId?: number;
}

interface RegionRow {
  id: number;
  name: string;
  level: 'county' | 'township' | 'village';
  parentId: number | null;
}

/** The organisation as the report needs it: read once per report, it is small. */
export class Organisation {
  private constructor(
    readonly regions: Map<number, RegionRow>,
    readonly stores: ScopeStore[],
  ) {}

  static async load(query: ReadQuery): Promise<Organisation> {
    const regionRows = await query<RegionRow[]>(
      'SELECT id, name, level, parent_id AS parentId FROM regions',
    );
    const regions = new Map(
      regionRows.map((r) => [
        Number(r.id),
        { ...r, id: Number(r.id), parentId: r.parentId === null ? null : Number(r.parentId) },
      ]),
    );
    const storeRows = await query<{ id: number; code: string; name: string; regionId: number }[]>(
      'SELECT id, code, name, region_id AS regionId FROM stores ORDER BY code',
    );
    const stores = storeRows.map((row) => {
      const ancestors: number[] = [];
      let township: RegionRow | null = null;
      for (let at = regions.get(Number(row.regionId)); at;) {
        ancestors.push(at.id);
        if (at.level === 'township') township = at;
        at = at.parentId === null ? undefined : regions.get(at.parentId);
      }
      return {
        id: Number(row.id),
        code: row.code,
        name: row.name,
        regionId: Number(row.regionId),
        townshipId: township?.id ?? null,
        townshipName: township?.name ?? null,
        ancestors,
      };
    });
    return new Organisation(regions, stores);
  }

  /**
   * The scope an actor asked for. Store roles see their own store only (asking for a region, even
   * their own township, is refused); county roles may ask for any region or store, or for everything.
   */
  scopeFor(actor: Actor, request: ScopeRequest): ReportScope {
    if (isStoreRole(actor.role)) {
      const own = actor.storeId ?? 0;
      if (
        (request.storeId !== undefined && request.storeId !== own) ||
        request.regionId !== undefined
      ) {
        throw new ForbiddenError('门店账号只能查看本店的报表', { storeId: own });
      }
      return this.storeScope(own);
    }
    if (request.storeId !== undefined) return this.storeScope(request.storeId);
    if (request.regionId !== undefined) return this.regionScope(request.regionId);
    // a deployment of one county (the usual case) reports as that county: 全县, not 全省
    const counties = [...this.regions.values()].filter((r) => r.level === 'county');
    if (counties.length === 1 && counties[0]) return this.regionScope(counties[0].id);
    return {
      key: 'all',
      region: { id: null, level: 'province', name: '全部' },
      storeIds: null,
      stores: this.stores,
    };
  }

  storeScope(storeId: number): ReportScope {
    const store = this.stores.find((s) => s.id === storeId);
    if (!store) throw new NotFoundError('store', storeId);
    return {
      key: `store:${store.id}`,
      region: { id: store.id, level: 'store', name: store.name },
      storeIds: [store.id],
      stores: [store],
    };
  }

  regionScope(regionId: number): ReportScope {
    const region = this.regions.get(regionId);
    if (!region) throw new NotFoundError('region', regionId);
    const stores = this.stores.filter((s) => s.ancestors.includes(regionId));
    return {
      key: `region:${region.id}`,
      region: { id: region.id, level: region.level, name: region.name },
      storeIds: stores.map((s) => s.id),
      stores,
    };
  }

  /** Every scope a month's close snapshots: everything, each region with stores, each store. */
  allScopes(): ReportScope[] {
    const withStores = [...this.regions.keys()].filter((id) =>
      this.stores.some((s) => s.ancestors.includes(id)),
    );
    const scopes = [
      this.scopeFor({ userId: 0, username: 'system', role: 'county_admin', storeId: null }, {}),
      ...withStores.map((id) => this.regionScope(id)),
      ...this.stores.map((s) => this.storeScope(s.id)),
    ];
    // with one county, "everything" is that county's scope: keep each scope once
    return [...new Map(scopes.map((scope) => [scope.key, scope])).values()];
  }
}

/** `AND <alias>.store_id IN (?)` for a scope, nothing for the whole deployment. */
export function storeFilter(scope: ReportScope, alias: string): string {
  if (scope.storeIds === null) return '';
  return scope.storeIds.length === 0 ? 'AND 1 = 0' : `AND ${alias}.store_id IN (?)`;
}

/** The parameter `storeFilter` takes, if any. */
export function storeParams(scope: ReportScope): unknown[] {
  return scope.storeIds === null || scope.storeIds.length === 0 ? [] : [scope.storeIds];
}
