import { type Actor } from '@charity/common';
import { TransfersService } from '@charity/inventory';
import { Body, Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
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
  CreateTransferRequest,
  ListTransfersQuery,
  TransferPage,
  TransferView,
} from './transfers.dto';

/**
 * 调拨 between stores. The store-scope guard checks `fromStoreId` (and a `storeId` filter);
 * `toStoreId` may be another store. Transfers found by id are checked in the service: store staff
 * see those their store sends or receives, receive only at the receiving store and cancel only
 * at the sending one.
 */
@ApiTags('transfers')
@ApiBearerAuth()
@Controller('transfers')
export class TransfersController {
  constructor(private readonly transfers: TransfersService) {}

  /** Takes the goods out of the sender's lots (FEFO, never expired ones); they are in transit. */
  @ApiOperation({ summary: 'Send stock to another store' })
  @ApiCreatedResponse({ type: TransferView })
  @Post()
  @Roles('county_admin', 'store_manager')
  async create(
    @CurrentActor() actor: Actor,
    @Body() body: CreateTransferRequest,
  ): Promise<TransferView> {
    return this.transfers.create(actor, body);
  }

  @ApiOperation({ summary: 'List transfers' })
  @Get()
  @ApiOkResponse({ type: TransferPage })
  async list(
    @CurrentActor() actor: Actor,
    @Query() query: ListTransfersQuery,
  ): Promise<TransferPage> {
    return this.transfers.list(actor, query, query);
  }

  @ApiOperation({ summary: 'Get one transfer' })
  @ApiOkResponse({ type: TransferView })
  @Get(':id')
  async get(@CurrentActor() actor: Actor, @IdParam() id: number): Promise<TransferView> {
    return this.transfers.get(actor, id);
  }

  /** New lots at the receiver with the same expiry and unit value as the lots the goods left. */
  @ApiOperation({ summary: 'Receive a transfer' })
  @ApiOkResponse({ type: TransferView })
  @Post(':id/receive')
  @HttpCode(200)
  @Roles('county_admin', 'store_manager', 'clerk')
  async receive(@CurrentActor() actor: Actor, @IdParam() id: number): Promise<TransferView> {
    return this.transfers.receive(actor, id);
  }

  /** Returns the goods into the sender lots they left. */
  @ApiOperation({ summary: 'Cancel a transfer' })
  @ApiOkResponse({ type: TransferView })
  @Post(':id/cancel')
  @HttpCode(200)
  @Roles('county_admin', 'store_manager')
  async cancel(@CurrentActor() actor: Actor, @IdParam() id: number): Promise<TransferView> {
    return this.transfers.cancel(actor, id);
  }
}
