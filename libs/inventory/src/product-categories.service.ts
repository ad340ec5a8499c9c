import { AuditService } from '@charity/audit';
import { DuplicateError, isDuplicateKeyError, NotFoundError, type Actor } from '@charity/common';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ProductCategory } from './product-category.entity';

export interface NewProductCategory {
  name: string;
  /** Lower first in lists and on reports; ties keep creation order. */
  sortOrder?: number;
  /** Most units of the category one household may take in a month; null for no limit. */
  monthlyLimitPerHousehold?: number | null;
}

/** The managed list of category names (粮油, 副食, 日用品 …) products are filed under. */
@Injectable()
export class ProductCategoriesService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
  ) {}

  async create(actor: Actor, input: NewProductCategory): Promise<ProductCategory> {
    try {
      return await this.dataSource.transaction(async (em) => {
        const category = em.create(ProductCategory, {
          name: input.name,
          sortOrder: input.sortOrder ?? 0,
          monthlyLimitPerHousehold: input.monthlyLimitPerHousehold ?? null,
          createdAt: new Date(),
        });
        await em.save(category);
        await this.audit.record(em, actor, {
          action: 'product_category.create',
          entityType: 'product_category',
          entityId: category.id,
          summary: `新建商品类别“${category.name}”`,
        });
        return category;
      });
    } catch (error) {
      if (isDuplicateKeyError(error)) {
        throw new DuplicateError(`商品类别“${input.name}”已存在`, { name: input.name });
      }
      throw error;
    }
  }

  async update(
    actor: Actor,
    id: number,
    changes: Partial<NewProductCategory>,
  ): Promise<ProductCategory> {
    try {
      return await this.dataSource.transaction(async (em) => {
        const category = await em.findOneBy(ProductCategory, { id });
        if (!category) throw new NotFoundError('productCategory', id);
        if (changes.name !== undefined) category.name = changes.name;
        if (changes.sortOrder !== undefined) category.sortOrder = changes.sortOrder;
        if (changes.monthlyLimitPerHousehold !== undefined) {
          category.monthlyLimitPerHousehold = changes.monthlyLimitPerHousehold;
        }
        await em.save(category);
        await this.audit.record(em, actor, {
          action: 'product_category.update',
          entityType: 'product_category',
          entityId: id,
          summary: `修改商品类别“${category.name}”：每户每月限兑 ${category.monthlyLimitPerHousehold ?? '不限'}`,
        });
        return category;
      });
    } catch (error) {
      if (isDuplicateKeyError(error)) {
        throw new DuplicateError(`商品类别“${changes.name}”已存在`, { name: changes.name });
      }
      throw error;
    }
  }

  async list(): Promise<ProductCategory[]> {
    return this.dataSource
      .getRepository(ProductCategory)
      .find({ order: { sortOrder: 'ASC', id: 'ASC' } });
  }

  async get(id: number): Promise<ProductCategory> {
    const category = await this.dataSource.getRepository(ProductCategory).findOneBy({ id });
    if (!category) throw new NotFoundError('productCategory', id);
    return category;
  }
}
