import { type Actor, type Page } from '@charity/common';
import { StockService, type AdjustmentResult, type StockAlerts } from '@charity/inventory';
import { StoresService } from '@charity/organisation';
import { Body, Controller, Get, Post, Query } from '@nestjs/common';
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
  AdjustmentView,
  ListMovementsQuery,
  StockAdjustmentRequest,
  StockAlertsView,
  StockLevelView,
  StockMovementView,
} from './stock.dto';
import { ListOf, PageOf } from '../http/api-responses';

/** A store's stock; the store-scope guard keeps store staff to their own `:storeId`. */
@ApiTags('stock')
@ApiBearerAuth()
@Controller('stores/:storeId/stock')
export class StockController {
  constructor(
    private readonly stock: StockService,
    private readonly stores: StoresService,
  ) {}

  @ApiOperation({ summary: "A store's stock levels" })
  @ApiOkResponse({ type: ListOf(StockLevelView) })
  @Get()
  async levels(
    @CurrentActor() actor: Actor,
    @IdParam('storeId') storeId: number,
  ): Promise<{ items: StockLevelView[] }> {
    await this.stores.get(actor, storeId);
    return { items: await this.stock.levels(storeId) };
  }

  @ApiOperation({ summary: "A store's stock movements" })
  @ApiOkResponse({ type: PageOf(StockMovementView) })
  @Get('movements')
  async movements(
    @CurrentActor() actor: Actor,
    @IdParam('storeId') storeId: number,
    @Query() query: ListMovementsQuery,
  ): Promise<Page<StockMovementView>> {
    await this.stores.get(actor, storeId);
    const page = await this.stock.movements(storeId, query, query);
    return { ...page, items: page.items.map((movement) => StockMovementView.of(movement)) };
  }

  /** Low stock (per-product threshold) and lots expired or expiring within 30/60/90 days. */
  @ApiOperation({ summary: "A store's low-stock and expiry alerts" })
  @ApiOkResponse({ type: StockAlertsView })
  @Get('alerts')
  async alerts(
    @CurrentActor() actor: Actor,
    @IdParam('storeId') storeId: number,
  ): Promise<StockAlerts> {
    await this.stores.get(actor, storeId);
    return this.stock.alerts(storeId);
  }

  @ApiOperation({ summary: 'Adjust stock (loss, damage, correction)' })
  @ApiCreatedResponse({ type: AdjustmentView })
  @Post('adjustments')
  @Roles('county_admin', 'store_manager')
  async adjust(
    @CurrentActor() actor: Actor,
    @IdParam('storeId') storeId: number,
    @Body() body: StockAdjustmentRequest,
  ): Promise<AdjustmentResult> {
    await this.stores.get(actor, storeId);
    return this.stock.adjust(actor, { ...body, storeId });
  }
}
