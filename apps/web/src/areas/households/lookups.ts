// The region tree, the stores and the rule catalogue, read once per screen visit and shared by the
// households screens' selects.
import { get } from '@/api/client';
import type { PointRule, Region, StoreOption } from './model';

export interface RegionOption {
  id: number;
  level: Region['level'];
  parentId: number | null;
  /** "城关镇 / 上庄村" for a village, the name alone above. */
  label: string;
}

export async function loadRegionOptions(): Promise<RegionOption[]> {
  const { items } = await get<{ items: Region[] }>('/regions');
  const byId = new Map(items.map((region) => [region.id, region]));
  const labelOf = (region: Region): string => {
    const parent = region.parentId === null ? undefined : byId.get(region.parentId);
    return region.level === 'village' && parent ? `${parent.name} / ${region.name}` : region.name;
  };
  const order = { county: 0, township: 1, village: 2 } as const;
  return items
    .map((region) => ({
      id: region.id,
      level: region.level,
      parentId: region.parentId,
      label: labelOf(region),
    }))
    .sort((a, b) => order[a.level] - order[b.level] || a.label.localeCompare(b.label, 'zh-CN'));
}

/** The open stores of the user's county (all of them, unpaged). */
export async function loadStores(): Promise<StoreOption[]> {
  return (await get<{ items: StoreOption[] }>('/stores/directory')).items;
}

/** The rules in use, for awarding. */
export async function loadActiveRules(): Promise<PointRule[]> {
  return get<PointRule[]>('/point-rules', { active: true });
}
