import { AuditService } from '@charity/audit';
import {
  DomainError,
  DuplicateError,
  isDuplicateKeyError,
  NotFoundError,
  type Actor,
} from '@charity/common';
import { Injectable } from '@nestjs/common';
import { DataSource, IsNull, type FindOptionsWhere } from 'typeorm';
import { Region, type RegionLevel } from './region.entity';

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

const LEVEL_LABEL: Record<RegionLevel, string> = { county: '县', township: '乡镇', village: '村' };

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
        throw new DomainError('INVALID_REGION_PARENT', '县级区域不能有上级区域', { parentId });
      }
      if (expectedParent !== null) {
        if (parentId === null) {
          throw new DomainError(
            'INVALID_REGION_PARENT',
            `${LEVEL_LABEL[input.level]}级区域必须指定上级${LEVEL_LABEL[expectedParent]}（parentId）`,
            { level: input.level },
          );
        }
        const parent = await em.findOneBy(Region, { id: parentId });
        if (!parent) throw new NotFoundError('region', parentId);
        if (parent.level !== expectedParent) {
          throw new DomainError(
            'INVALID_REGION_PARENT',
            `${LEVEL_LABEL[input.level]}级区域的上级必须是${LEVEL_LABEL[expectedParent]}，而“${parent.name}”是${LEVEL_LABEL[parent.level]}`,
            { parentId, parentLevel: parent.level },
          );
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
        summary: `新建${LEVEL_LABEL[region.level]}级区域“${region.name}”`,
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
