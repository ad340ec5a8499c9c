import { type Actor } from '@charity/common';
import { ProductCategoriesService } from '@charity/inventory';
import { Body, Controller, Get, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CurrentActor, Roles } from '../http/decorators';
import { CreateProductCategoryRequest, ProductCategoryView } from './product-categories.dto';

@ApiTags('product-categories')
@ApiBearerAuth()
@Controller('product-categories')
export class ProductCategoriesController {
  constructor(private readonly categories: ProductCategoriesService) {}

  @Post()
  @Roles('county_admin')
  async create(
    @CurrentActor() actor: Actor,
    @Body() body: CreateProductCategoryRequest,
  ): Promise<ProductCategoryView> {
    return ProductCategoryView.of(await this.categories.create(actor, body));
  }

  /** A short managed list, in shelf order; every signed-in role reads it. */
  @Get()
  async list(): Promise<{ items: ProductCategoryView[] }> {
    const categories = await this.categories.list();
    return { items: categories.map((category) => ProductCategoryView.of(category)) };
  }
}
