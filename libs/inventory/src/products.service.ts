import { AuditService } from '@charity/audit';
import {
  escapeLike,
  isDuplicateKeyError,
  NotFoundError,
  pageOf,
  ValidationFailedError,
  type Actor,
  type Page,
  type PageQuery,
} from '@charity/common';
import { renderProductLabels, type ProductLabel } from '@charity/documents';
import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import {
  classifyBarcode,
  internalCodeFor,
  isInStoreCode,
  printableCodeFor,
  type PrintableCode,
} from './barcode';
import {
  DuplicateBarcodeError,
  InvalidBarcodeError,
  UnknownBarcodeError,
} from './inventory-errors';
import { ProductCategory } from './product-category.entity';
import { Product } from './product.entity';

/** A product with its category loaded, as every catalogue read returns it. */
export type CatalogueProduct = Product & { category: ProductCategory };

/** Name the category either by `category` (its name) or by `categoryId`, not both. */
export interface CategoryRef {
  category?: string;
  categoryId?: number;
}

export interface NewProduct extends CategoryRef {
  name: string;
  unit: string;
  barcode?: string | null;
  pointPrice: number;
  unitValueFen: number;
  monthlyLimitPerHousehold?: number | null;
  lowStockThreshold?: number;
  active?: boolean;
}

export type ProductChanges = Partial<NewProduct>;

export interface ProductFilter {
  /** Part of the name, or a whole barcode or internal code. */
  search?: string;
  categoryId?: number;
  active?: boolean;
}

/** Fields whose change the audit entry lists; the category is reported as `category`. */
const AUDITED_FIELDS = [
  'name',
  'unit',
  'barcode',
  'pointPrice',
  'unitValueFen',
  'monthlyLimitPerHousehold',
  'lowStockThreshold',
  'active',
] as const;

/** The county-wide catalogue: every store sells from the same list of products. */
@Injectable()
export class ProductsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
  ) {}

  /** The internal code is assigned from the new id in the same transaction as the insert. */
  async create(actor: Actor, input: NewProduct): Promise<CatalogueProduct> {
    try {
      return await this.dataSource.transaction((em) => this.createIn(em, actor, input));
    } catch (error) {
      throw await this.explainDuplicate(error, input.barcode ?? null);
    }
  }

  /**
   * The same inside the caller's transaction (a donation registering new goods inline). A
   * concurrent duplicate barcode surfaces as a database duplicate-key error there.
   */
  async createIn(em: EntityManager, actor: Actor, input: NewProduct): Promise<CatalogueProduct> {
    const barcode = input.barcode ?? null;
    const category = await this.resolveCategory(em, input, true);
    if (barcode !== null) await this.assertBarcodeUsable(em, barcode, null);
    const now = new Date();
    const product = em.create(Product, {
      name: input.name,
      categoryId: category.id,
      unit: input.unit,
      barcode,
      internalCode: null,
      pointPrice: input.pointPrice,
      unitValueFen: input.unitValueFen,
      monthlyLimitPerHousehold: input.monthlyLimitPerHousehold ?? null,
      lowStockThreshold: input.lowStockThreshold ?? 0,
      active: input.active ?? true,
      createdAt: now,
      updatedAt: now,
    });
    await em.save(product);
    product.internalCode = internalCodeFor(product.id);
    await em.update(Product, product.id, { internalCode: product.internalCode });
    await this.audit.record(em, actor, {
      action: 'product.create',
      entityType: 'product',
      entityId: product.id,
      summary: `新建商品“${product.name}”（${category.name}，店内码 ${product.internalCode}）`,
    });
    return Object.assign(product, { category });
  }

  async update(actor: Actor, id: number, requested: ProductChanges): Promise<CatalogueProduct> {
    // a validated request object carries every declared field, the ones not sent as undefined
    const changes = Object.fromEntries(
      Object.entries(requested).filter(([, value]) => value !== undefined),
    ) as ProductChanges;
    try {
      return await this.dataSource.transaction(async (em) => {
        const product = await em.findOne(Product, {
          where: { id },
          lock: { mode: 'pessimistic_write' },
        });
        if (!product) throw new NotFoundError('product', id);
        const newCategory = await this.resolveCategory(em, changes, false);
        const barcode = changes.barcode;
        if (barcode != null && barcode !== product.barcode) {
          await this.assertBarcodeUsable(em, barcode, product.id);
        }

        const changed: string[] = AUDITED_FIELDS.filter(
          (key) => changes[key] !== undefined && changes[key] !== product[key],
        );
        if (newCategory && newCategory.id !== product.categoryId) changed.push('category');
        for (const key of AUDITED_FIELDS) {
          if (changes[key] !== undefined) Object.assign(product, { [key]: changes[key] });
        }
        if (newCategory) product.categoryId = newCategory.id;
        product.updatedAt = new Date();
        await em.save(product);
        await this.audit.record(em, actor, {
          action: 'product.update',
          entityType: 'product',
          entityId: product.id,
          summary: `修改商品“${product.name}”：${changed.join(', ') || '无变化'}`,
        });
        const category =
          newCategory ?? (await em.findOneByOrFail(ProductCategory, { id: product.categoryId }));
        return Object.assign(product, { category });
      });
    } catch (error) {
      throw await this.explainDuplicate(error, changes.barcode ?? null);
    }
  }

  async get(id: number): Promise<CatalogueProduct> {
    const product = await this.dataSource
      .getRepository(Product)
      .findOne({ where: { id }, relations: { category: true } });
    if (!product) throw new NotFoundError('product', id);
    return product as CatalogueProduct;
  }

  /**
   * The till's scan: the goods' own barcode or our internal code. Inactive products are returned
   * too (with `active: false`), so the till can say why it will not sell them.
   */
  async findByCode(code: string): Promise<CatalogueProduct> {
    const product = await this.dataSource.getRepository(Product).findOne({
      where: [{ barcode: code }, { internalCode: code }],
      relations: { category: true },
    });
    if (!product) throw new UnknownBarcodeError(code);
    return product as CatalogueProduct;
  }

  /** Grouped like the shelves: by category order, then in the order products were added. */
  async list(filter: ProductFilter, page: PageQuery): Promise<Page<CatalogueProduct>> {
    const qb = this.dataSource
      .getRepository(Product)
      .createQueryBuilder('p')
      .innerJoinAndSelect('p.category', 'c');
    const term = filter.search?.trim();
    if (term) {
      qb.andWhere('(p.name LIKE :like OR p.barcode = :term OR p.internalCode = :term)', {
        like: `%${escapeLike(term)}%`,
        term,
      });
    }
    if (filter.categoryId !== undefined) {
      qb.andWhere('p.categoryId = :categoryId', { categoryId: filter.categoryId });
    }
    if (filter.active !== undefined) qb.andWhere('p.active = :active', { active: filter.active });
    // many-to-one join: one row per product, so a plain LIMIT pages correctly
    const [items, total] = await qb
      .orderBy('c.sortOrder', 'ASC')
      .addOrderBy('c.id', 'ASC')
      .addOrderBy('p.id', 'ASC')
      .offset((page.page - 1) * page.pageSize)
      .limit(page.pageSize)
      .getManyAndCount();
    return pageOf(items as CatalogueProduct[], total, page);
  }

  /**
   * Shelf labels (A4, 24 a sheet), `copies` of them. A Code 128 too long to print legibly on a
   * 70 mm label falls back to the internal code, which the till reads just as well.
   */
  async labelsPdf(id: number, copies: number): Promise<Buffer> {
    const product = await this.get(id);
    const printable = printableCodeFor(product);
    if (printable === null) throw new Error(`product ${id} has no internal code`);
    const label = (code: PrintableCode): ProductLabel => ({
      name: product.name,
      code: code.code,
      codeType: code.codeType,
      pointPrice: product.pointPrice,
      unit: product.unit,
    });
    try {
      return await renderProductLabels([label(printable)], { copies });
    } catch (error) {
      if (
        printable.codeType === 'code128' &&
        product.internalCode !== null &&
        error instanceof ValidationFailedError
      ) {
        const fallback: PrintableCode = { code: product.internalCode, codeType: 'ean13' };
        return renderProductLabels([label(fallback)], { copies });
      }
      throw error;
    }
  }

  /**
   * A valid symbol that no other product uses, as barcode or as internal code. The in-store
   * range (EAN-13 starting 21) is reserved for internal codes, so a code registered now cannot
   * collide with the internal code of a product created later.
   */
  private async assertBarcodeUsable(
    em: EntityManager,
    barcode: string,
    productId: number | null,
  ): Promise<void> {
    classifyBarcode(barcode);
    const holder = await em.findOne(Product, {
      where: [{ barcode }, { internalCode: barcode }],
    });
    if (holder && holder.id !== productId) {
      throw new DuplicateBarcodeError(barcode, holder.id, holder.name);
    }
    if (isInStoreCode(barcode)) {
      throw new InvalidBarcodeError(
        barcode,
        '21 开头的 EAN-13 是本系统的店内码，由系统按商品自动分配，不能登记为商品条码',
      );
    }
  }

  /**
   * Resolves `category` (a name) or `categoryId` to the managed category. Exactly one is needed
   * for a new product; a change may name neither.
   */
  private async resolveCategory(
    em: EntityManager,
    ref: CategoryRef,
    required: true,
  ): Promise<ProductCategory>;
  private async resolveCategory(
    em: EntityManager,
    ref: CategoryRef,
    required: false,
  ): Promise<ProductCategory | null>;
  private async resolveCategory(
    em: EntityManager,
    ref: CategoryRef,
    required: boolean,
  ): Promise<ProductCategory | null> {
    const { category: name, categoryId } = ref;
    if (name !== undefined && categoryId !== undefined) {
      throw new ValidationFailedError('请求参数有误：category 和 categoryId 只能填一个', {
        fields: ['category', 'categoryId'].map((field) => ({
          field,
          constraints: ['exactlyOneCategory'],
          messages: ['give either category (a name) or categoryId, not both'],
        })),
      });
    }
    if (categoryId !== undefined) {
      const found = await em.findOneBy(ProductCategory, { id: categoryId });
      if (found) return found;
      throw categoryProblem('categoryId', `商品类别 ${categoryId} 不存在`);
    }
    if (name !== undefined) {
      const found = await em.findOneBy(ProductCategory, { name });
      if (found) return found;
      const known = (await em.find(ProductCategory, { order: { sortOrder: 'ASC', id: 'ASC' } }))
        .map((category) => category.name)
        .join('、');
      throw categoryProblem(
        'category',
        `“${name}”不在商品类别列表中（现有：${known || '无，请先新建类别'}）`,
      );
    }
    if (required) throw categoryProblem('category', '不能为空（或填写 categoryId）', 'isDefined');
    return null;
  }

  /** A unique-key race lost at commit time: say who holds the barcode, as the pre-check would. */
  private async explainDuplicate(error: unknown, barcode: string | null): Promise<unknown> {
    if (!isDuplicateKeyError(error) || barcode === null) return error;
    const holder = await this.dataSource.getRepository(Product).findOne({
      where: [{ barcode }, { internalCode: barcode }],
    });
    return holder ? new DuplicateBarcodeError(barcode, holder.id, holder.name) : error;
  }
}

function categoryProblem(
  field: 'category' | 'categoryId',
  text: string,
  constraint = 'isKnownCategory',
): ValidationFailedError {
  return new ValidationFailedError(`请求参数有误：${field} ${text}`, {
    fields: [{ field, constraints: [constraint], messages: [`${field} ${text}`] }],
  });
}
