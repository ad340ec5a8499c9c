import { type Actor } from '@charity/common';
import { ProductCategoriesService } from '@charity/inventory';
import { Body, Controller, Get, Patch, Post } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { CurrentActor, Roles } from '../http/decorators';
import { IdParam } from '../http/id-param';
import {
  CreateProductCategoryRequest,
  ProductCategoryView,
  UpdateProductCategoryRequest,
} from './product-categories.dto';
import { ListOf } from '../http/api-responses';

@ApiTags('product-categories')
@ApiBearerAuth()
@Controller('product-categories')
export class ProductCategoriesController {
  constructor(private readonly categories: ProductCategoriesService) {}

  @ApiOperation({ summary: 'Add a product category' })
  @ApiCreatedResponse({ type: ProductCategoryView })
  @Post()
  @Roles('county_admin')
  async create(
    @CurrentActor() actor: Actor,
    @Body() body: CreateProductCategoryRequest,
  ): Promise<ProductCategoryView> {
    return ProductCategoryView.of(await this.categories.create(actor, body));
  }

  /** Rename, reorder, or set the category's monthly limit per household. */
  @ApiOperation({ summary: 'Update a product category' })
  @ApiOkResponse({ type: ProductCategoryView })
  @Patch(':id')
  @Roles('county_admin')
  async update(
    @CurrentActor() actor: Actor,
    @IdParam() id: number,
    @Body() body: UpdateProductCategoryRequest,
  ): Promise<ProductCategoryView> {
    return ProductCategoryView.of(await this.categories.update(actor, id, body));
  }

  /** A short managed list, in shelf order; every signed-in role reads it. */
  @ApiOperation({ summary: 'List product categories' })
  @ApiOkResponse({ type: ListOf(ProductCategoryView) })
  @Get()
  async list(): Promise<{ items: ProductCategoryView[] }> {
    const categories = await this.categories.list();
    return { items: categories.map((category) => ProductCategoryView.of(category)) };
  }
}
