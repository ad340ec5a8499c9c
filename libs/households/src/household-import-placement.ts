import { Region, Store } from '@charity/organisation';
import type { EntityManager } from 'typeorm';
import { outsideStoreAreaMessage, storeServesRegion } from './household-placement';

/** A name in a roster cell resolved to a record, or why it could not be. */
export type Resolved<T> = { value: T } | { problem: string };

/** Region and store names compare without spaces and full-width forms. */
function nameKey(text: string): string {
  return text.normalize('NFKC').replace(/\s/g, '');
}

/** The county's townships, villages and stores, indexed for the row checks. */
export class ImportPlacement {
  private readonly regionById = new Map<number, Region>();
  private readonly byName = new Map<string, Region[]>();
  private readonly childrenOf = new Map<number, Region[]>();
  private readonly storeByCode = new Map<string, Store>();
  private readonly storeByName = new Map<string, Store>();
  private readonly storeById = new Map<number, Store>();
  private readonly activeStoresAt = new Map<number, Store[]>();

  private constructor(regions: Region[], stores: Store[]) {
    for (const region of regions) {
      this.regionById.set(region.id, region);
      if (region.level === 'county') continue;
      push(this.byName, nameKey(region.name), region);
      if (region.parentId !== null) push(this.childrenOf, region.parentId, region);
    }
    for (const store of stores) {
      this.storeById.set(store.id, store);
      this.storeByCode.set(nameKey(store.code).toUpperCase(), store);
      this.storeByName.set(nameKey(store.name), store);
      if (store.active) push(this.activeStoresAt, store.regionId, store);
    }
  }

  static async load(em: EntityManager): Promise<ImportPlacement> {
    const [regions, stores] = await Promise.all([em.find(Region), em.find(Store)]);
    return new ImportPlacement(regions, stores);
  }

  /** `村`, or `镇/村` where two townships have a village of that name, or a township without villages. */
  region(text: string): Resolved<Region> {
    const parts = text
      .split(/[/／\\]/)
      .map(nameKey)
      .filter((part) => part !== '');
    if (parts.length === 0) return { problem: '村不能为空' };
    const name = parts[parts.length - 1];
    if (parts.length >= 2) {
      const townshipName = parts[parts.length - 2];
      const townships = this.named(townshipName, 'township');
      if (townships.length === 0) return { problem: `没有名为“${townshipName}”的乡镇` };
      const villages = townships.flatMap((township) =>
        (this.childrenOf.get(township.id) ?? []).filter((v) => nameKey(v.name) === name),
      );
      if (villages.length === 1) return { value: villages[0] };
      if (villages.length > 1)
        return { problem: `有多个“${townshipName}/${name}”，请联系县级管理员` };
      return { problem: `${townshipName}下没有名为“${name}”的村（社区）` };
    }
    const villages = this.named(name, 'village');
    if (villages.length === 1) return { value: villages[0] };
    if (villages.length > 1) {
      const townships = villages.map((v) => this.regionById.get(v.parentId ?? 0)?.name ?? '?');
      return {
        problem: `有 ${villages.length} 个名为“${name}”的村（在 ${townships.join('、')}），请写作“${townships[0]}/${name}”`,
      };
    }
    const [township] = this.named(name, 'township');
    if (township) {
      const children = this.childrenOf.get(township.id) ?? [];
      if (children.length === 0) return { value: township };
      return {
        problem: `“${name}”是乡镇，下设村（社区），请填写村名，如“${name}/${children[0].name}”`,
      };
    }
    return { problem: `没有名为“${name}”的村（社区）` };
  }

  /** A store by its code (any case) or its full name. */
  storeNamed(text: string): Resolved<Store> {
    const key = nameKey(text);
    const store = this.storeByCode.get(key.toUpperCase()) ?? this.storeByName.get(key);
    if (!store) return { problem: `没有编码或名称为“${text}”的门店` };
    if (!store.active) return { problem: `门店“${store.name}”已停用` };
    return { value: store };
  }

  /**
   * The village's own shop if it has exactly one; otherwise the township's: the one at the
   * township itself, or else the only one anywhere in the township.
   */
  storeFor(region: Region): Resolved<Store> {
    const atRegion = this.activeStoresAt.get(region.id) ?? [];
    if (region.level === 'village' && atRegion.length === 1) return { value: atRegion[0] };
    if (region.level === 'village' && atRegion.length > 1) {
      return {
        problem: `${region.name}有 ${atRegion.length} 家门店，请在“门店”列填写门店编码`,
      };
    }
    const township =
      region.level === 'village' ? this.regionById.get(region.parentId ?? 0) : region;
    if (!township) return { problem: '无法确定所属门店，请在“门店”列填写门店编码' };
    const atTownship = this.activeStoresAt.get(township.id) ?? [];
    if (atTownship.length === 1) return { value: atTownship[0] };
    const inTownship = [
      ...atTownship,
      ...(this.childrenOf.get(township.id) ?? []).flatMap(
        (village) => this.activeStoresAt.get(village.id) ?? [],
      ),
    ];
    if (inTownship.length === 1) return { value: inTownship[0] };
    return {
      problem:
        inTownship.length === 0
          ? `${township.name}没有爱心超市，请在“门店”列填写门店编码，或导入时选择门店`
          : `${township.name}有 ${inTownship.length} 家门店，无法确定所属门店，请在“门店”列填写门店编码，或导入时选择门店`,
    };
  }

  /** Why `store` may not take households of `region` (storeServesRegion), or null. */
  outsideArea(store: Store, region: Region): string | null {
    const storeRegion = this.regionById.get(store.regionId);
    if (!storeRegion || storeServesRegion(storeRegion, region)) return null;
    return outsideStoreAreaMessage(store.name, storeRegion, region);
  }

  storeName(storeId: number): string {
    return this.storeById.get(storeId)?.name ?? `门店 ${storeId}`;
  }

  private named(name: string, level: 'township' | 'village'): Region[] {
    return (this.byName.get(name) ?? []).filter((region) => region.level === level);
  }
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
