import type { Region } from '@charity/organisation';

type PlacementRegion = Pick<Region, 'id' | 'name' | 'level' | 'parentId'>;

/**
 * Whether a store serves households of `region`: a township's store the township and its villages,
 * a village's store its own village. A store manager places households only there; county admins
 * anywhere (a household may belong to a store of another township when the county decides so).
 */
export function storeServesRegion(storeRegion: PlacementRegion, region: PlacementRegion): boolean {
  if (region.id === storeRegion.id) return true;
  return storeRegion.level === 'township' && region.parentId === storeRegion.id;
}

/** Why a store manager may not place a household in `region`, for people. */
export function outsideStoreAreaMessage(
  storeName: string,
  storeRegion: PlacementRegion,
  region: PlacementRegion,
): string {
  const area =
    storeRegion.level === 'township' ? `${storeRegion.name}及其下属村（社区）` : storeRegion.name;
  return `“${region.name}”不在${storeName}的服务范围内：店长只能登记${area}的困难户`;
}
