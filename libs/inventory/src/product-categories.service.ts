import { AuditService } from '@charity/audit';
import { DuplicateError, isDuplicateKeyError, NotFoundError, type Actor } from '@charity/common';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ProductCategory } from './product-category.entity';

export interface NewProductCategory {
  name: string;
  /** Lower first in lists and on reports; ties keep creation order. */
  sortOrder?: number;
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
