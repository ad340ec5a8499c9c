import { type Actor } from '@charity/common';
import { StocktakesService } from '@charity/inventory';
import { Body, Controller, Get, HttpCode, Post, Put, Query } from '@nestjs/common';
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
  CountRequest,
  ListStocktakesQuery,
  OpenStocktakeRequest,
  StocktakePage,
  StocktakeView,
} from './stocktakes.dto';

/**
 * 盘点 of one store; the store-scope guard keeps store staff to their own `:storeId`. Staff
 * (clerks too) open and count; a manager or the county finalizes or cancels. Finalizing corrects
 * only the products counted: the others are left as they are.
 */
@ApiTags('stocktakes')
@ApiBearerAuth()
@Controller('stores/:storeId/stocktakes')
export class StocktakesController {
  constructor(private readonly stocktakes: StocktakesService) {}

  /** Only one open count per store (409 CONFLICT naming the open one). */
  @ApiOperation({ summary: 'Open a stocktake (盘点)' })
  @ApiCreatedResponse({ type: StocktakeView })
  @Post()
  @Roles('county_admin', 'store_manager', 'clerk')
  async open(
    @CurrentActor() actor: Actor,
    @IdParam('storeId') storeId: number,
    @Body() body: OpenStocktakeRequest,
  ): Promise<StocktakeView> {
    return this.stocktakes.open(actor, storeId, body);
  }

  @ApiOperation({ summary: "List a store's stocktakes" })
  @Get()
  @ApiOkResponse({ type: StocktakePage })
  async list(
    @IdParam('storeId') storeId: number,
    @Query() query: ListStocktakesQuery,
  ): Promise<StocktakePage> {
    return this.stocktakes.list(storeId, query, query);
  }

  /** Each counted product with `counted`, `system` (on-hand incl. expired lots) and `variance`. */
  @ApiOperation({ summary: 'Get one stocktake with its lines' })
  @ApiOkResponse({ type: StocktakeView })
  @Get(':id')
  async get(@IdParam('storeId') storeId: number, @IdParam() id: number): Promise<StocktakeView> {
    return this.stocktakes.get(storeId, id);
  }

  @ApiOperation({ summary: 'Record counted quantities' })
  @ApiOkResponse({ type: StocktakeView })
  @Put(':id/lines')
  @Roles('county_admin', 'store_manager', 'clerk')
  async count(
    @CurrentActor() actor: Actor,
    @IdParam('storeId') storeId: number,
    @IdParam() id: number,
    @Body() body: CountRequest,
  ): Promise<StocktakeView> {
    return this.stocktakes.count(actor, storeId, id, body);
  }

  /** Posts `stocktake` movements bringing each counted product to its count; then it is final. */
  @ApiOperation({ summary: 'Finalize a stocktake into adjustments' })
  @ApiOkResponse({ type: StocktakeView })
  @Post(':id/finalize')
  @HttpCode(200)
  @Roles('county_admin', 'store_manager')
  async finalize(
    @CurrentActor() actor: Actor,
    @IdParam('storeId') storeId: number,
    @IdParam() id: number,
  ): Promise<StocktakeView> {
    return this.stocktakes.finalize(actor, storeId, id);
  }

  @ApiOperation({ summary: 'Cancel a stocktake' })
  @ApiOkResponse({ type: StocktakeView })
  @Post(':id/cancel')
  @HttpCode(200)
  @Roles('county_admin', 'store_manager')
  async cancel(
    @CurrentActor() actor: Actor,
    @IdParam('storeId') storeId: number,
    @IdParam() id: number,
  ): Promise<StocktakeView> {
    return this.stocktakes.cancel(actor, storeId, id);
  }
}
