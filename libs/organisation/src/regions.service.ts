import { AuditService } from '@charity/audit';
import { DuplicateError, isDuplicateKeyError, NotFoundError, type Actor } from '@charity/common';
import { Injectable } from '@nestjs/common';
import { DataSource, IsNull, type FindOptionsWhere } from 'typeorm';
import { InvalidRegionParentError } from './organisation-errors';
import { REGION_LEVEL_LABELS, Region, type RegionLevel } from './region.entity';

export interface NewRegion {
  name: string;
  level: RegionLevel;
  parentId?: number | null;
  code?: string | null;
}

const PARENT_LEVEL: Record<RegionLevel, RegionLevel | null> = {
  county: null,
  township: 'county',
  village: 'township',
};

@Injectable()
export class RegionsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
  ) {}

  async create(actor: Actor, input: NewRegion): Promise<Region> {
    return this.dataSource.transaction(async (em) => {
      const expectedParent = PARENT_LEVEL[input.level];
      const parentId = input.parentId ?? null;
      if (expectedParent === null && parentId !== null) {
        throw InvalidRegionParentError.countyWithParent(parentId);
      }
      if (expectedParent !== null) {
        if (parentId === null) {
          throw InvalidRegionParentError.missingParent(input.level, expectedParent);
        }
        const parent = await em.findOneBy(Region, { id: parentId });
        if (!parent) throw new NotFoundError('region', parentId);
        if (parent.level !== expectedParent) {
          throw InvalidRegionParentError.wrongParentLevel(input.level, expectedParent, parent);
        }
      }
      if (parentId === null) {
        // the unique (parent_id, name) index lets any number of NULL parents through
        const twin = await em.findOneBy(Region, { parentId: IsNull(), name: input.name });
        if (twin) {
          throw new DuplicateError(`已有名为“${input.name}”的县级区域`, { name: input.name });
        }
      }
      const region = em.create(Region, {
        name: input.name,
        level: input.level,
        parentId,
        code: input.code ?? null,
        createdAt: new Date(),
      });
      try {
        await em.save(region);
      } catch (error) {
        if (isDuplicateKeyError(error)) {
          throw new DuplicateError(`同一上级下已有名为“${input.name}”的区域`, { name: input.name });
        }
        throw error;
      }
      await this.audit.record(em, actor, {
        action: 'region.create',
        entityType: 'region',
        entityId: region.id,
        summary: `新建${REGION_LEVEL_LABELS[region.level]}级区域“${region.name}”`,
        storeId: null,
      });
      return region;
    });
  }

  async list(filter: { level?: RegionLevel; parentId?: number }): Promise<Region[]> {
    const where: FindOptionsWhere<Region> = {};
    if (filter.level) where.level = filter.level;
    if (filter.parentId !== undefined) where.parentId = filter.parentId;
    return this.dataSource
      .getRepository(Region)
      .find({ where, order: { level: 'ASC', id: 'ASC' } });
  }

  async get(id: number): Promise<Region> {
    const region = await this.dataSource.getRepository(Region).findOneBy({ id });
    if (!region) throw new NotFoundError('region', id);
    return region;
  }

  async counties(): Promise<Region[]> {
    return this.dataSource.getRepository(Region).findBy({ parentId: IsNull() });
  }
}
