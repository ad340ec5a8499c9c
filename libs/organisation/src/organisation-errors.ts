import { DomainError } from '@charity/common';
import { REGION_LEVEL_LABELS, type RegionLevel } from './region.entity';
import type { Store } from './store.entity';

/** A region or store placed under the wrong level: 县 → 乡镇 → 村, stores under 乡镇 or 村. */
export class InvalidRegionParentError extends DomainError {
  private constructor(message: string, details: Record<string, unknown>) {
    super('INVALID_REGION_PARENT', message, details);
  }

  static countyWithParent(parentId: number): InvalidRegionParentError {
    return new InvalidRegionParentError('县级区域不能有上级区域', { parentId });
  }

  static missingParent(level: RegionLevel, expected: RegionLevel): InvalidRegionParentError {
    return new InvalidRegionParentError(
      `${REGION_LEVEL_LABELS[level]}级区域必须指定上级${REGION_LEVEL_LABELS[expected]}（parentId）`,
      { level },
    );
  }

  static wrongParentLevel(
    level: RegionLevel,
    expected: RegionLevel,
    parent: { id: number; name: string; level: RegionLevel },
  ): InvalidRegionParentError {
    return new InvalidRegionParentError(
      `${REGION_LEVEL_LABELS[level]}级区域的上级必须是${REGION_LEVEL_LABELS[expected]}，而“${parent.name}”是${REGION_LEVEL_LABELS[parent.level]}`,
      { parentId: parent.id, parentLevel: parent.level },
    );
  }

  static storeInCounty(regionId: number): InvalidRegionParentError {
    return new InvalidRegionParentError('门店必须属于乡镇或村，不能直接属于县', { regionId });
  }
}

/**
 * 门店已停用: a closed store takes no new business. `refused` says what, as in
 * “不能登记捐赠”.
 */
export class StoreInactiveError extends DomainError {
  constructor(store: Pick<Store, 'id' | 'name'>, refused: string) {
    super('STORE_INACTIVE', `门店“${store.name}”已停用，${refused}`, { storeId: store.id });
  }
}
