import { type Actor, type Page } from '@charity/common';
import { ProductsService } from '@charity/inventory';
import { Body, Controller, Get, Param, Patch, Post, Query, StreamableFile } from '@nestjs/common';
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
  CreateProductRequest,
  LabelsQuery,
  ListProductsQuery,
  ProductView,
  UpdateProductRequest,
} from './products.dto';
import { ApiPdfResponse, PageOf } from '../http/api-responses';

/** The county-wide catalogue; any signed-in role reads it, admins and store managers edit it. */
@ApiTags('products')
@ApiBearerAuth()
@Controller('products')
export class ProductsController {
  constructor(private readonly products: ProductsService) {}

  @ApiOperation({ summary: 'Add a product to the catalogue' })
  @ApiCreatedResponse({ type: ProductView })
  @Post()
  @Roles('county_admin', 'store_manager')
  async create(
    @CurrentActor() actor: Actor,
    @Body() body: CreateProductRequest,
  ): Promise<ProductView> {
    return ProductView.of(await this.products.create(actor, body));
  }

  @ApiOperation({ summary: 'List products' })
  @ApiOkResponse({ type: PageOf(ProductView) })
  @Get()
  async list(@Query() query: ListProductsQuery): Promise<Page<ProductView>> {
    const page = await this.products.list(query, query);
    return { ...page, items: page.items.map((product) => ProductView.of(product)) };
  }

  /** The till's scan: a product's own barcode or its internal code; 404 UNKNOWN_BARCODE if none. */
  @ApiOperation({ summary: 'Find a product by barcode or internal code' })
  @ApiOkResponse({ type: ProductView })
  @Get('barcode/:code')
  async findByCode(@Param('code') code: string): Promise<ProductView> {
    return ProductView.of(await this.products.findByCode(code));
  }

  @ApiOperation({ summary: 'Get one product' })
  @ApiOkResponse({ type: ProductView })
  @Get(':id')
  async get(@IdParam() id: number): Promise<ProductView> {
    return ProductView.of(await this.products.get(id));
  }

  /** A4 sheet(s) of 70 × 37 mm shelf labels with the Chinese name, barcode and points price. */
  @ApiOperation({ summary: "Print a product's shelf labels" })
  @Get(':id/labels.pdf')
  @ApiPdfResponse()
  async labels(@IdParam() id: number, @Query() query: LabelsQuery): Promise<StreamableFile> {
    const pdf = await this.products.labelsPdf(id, query.copies);
    return new StreamableFile(pdf, {
      type: 'application/pdf',
      disposition: `inline; filename="product-${id}-labels.pdf"`,
      length: pdf.length,
    });
  }

  @ApiOperation({ summary: 'Update a product' })
  @ApiOkResponse({ type: ProductView })
  @Patch(':id')
  @Roles('county_admin', 'store_manager')
  async update(
    @CurrentActor() actor: Actor,
    @IdParam() id: number,
    @Body() body: UpdateProductRequest,
  ): Promise<ProductView> {
    return ProductView.of(await this.products.update(actor, id, body));
  }
}
