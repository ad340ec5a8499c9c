import { type Actor, type Page } from '@charity/common';
import { StoresService, type StoreDirectoryEntry } from '@charity/organisation';
import { Body, Controller, Get, Patch, Post, Query } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { CurrentActor, Roles, StoreParam } from '../http/decorators';
import { IdParam } from '../http/id-param';
import {
  CreateStoreRequest,
  ListStoresQuery,
  StoreDirectoryEntryView,
  StoreView,
  UpdateStoreRequest,
} from './stores.dto';
import { ListOf, PageOf } from '../http/api-responses';

@ApiTags('stores')
@ApiBearerAuth()
@Controller('stores')
@StoreParam('id')
export class StoresController {
  constructor(private readonly stores: StoresService) {}

  @ApiOperation({ summary: 'Add a store' })
  @ApiCreatedResponse({ type: StoreView })
  @Post()
  @Roles('county_admin')
  async create(@CurrentActor() actor: Actor, @Body() body: CreateStoreRequest): Promise<StoreView> {
    return StoreView.of(await this.stores.create(actor, body));
  }

  /** Store roles see only their own store. */
  @ApiOperation({ summary: 'List stores' })
  @ApiOkResponse({ type: PageOf(StoreView) })
  @Get()
  async list(
    @CurrentActor() actor: Actor,
    @Query() query: ListStoresQuery,
  ): Promise<Page<StoreView>> {
    const page = await this.stores.list(actor, query, query);
    return { ...page, items: page.items.map((store) => StoreView.of(store)) };
  }

  /**
   * Every open store of the user's county (all of them for county roles), for pickers such as a
   * transfer's receiving store: not paged, a county has tens of stores.
   */
  @ApiOperation({ summary: 'Every store by name, for pickers' })
  @ApiOkResponse({ type: ListOf(StoreDirectoryEntryView) })
  @Get('directory')
  async directory(@CurrentActor() actor: Actor): Promise<{ items: StoreDirectoryEntry[] }> {
    return { items: await this.stores.directory(actor) };
  }

  @ApiOperation({ summary: 'Get one store' })
  @ApiOkResponse({ type: StoreView })
  @Get(':id')
  async get(@CurrentActor() actor: Actor, @IdParam() id: number): Promise<StoreView> {
    return StoreView.of(await this.stores.get(actor, id));
  }

  /** County admins change anything; a store manager only their own store's address and phone. */
  @ApiOperation({ summary: 'Update a store' })
  @ApiOkResponse({ type: StoreView })
  @Patch(':id')
  @Roles('county_admin', 'store_manager')
  async update(
    @CurrentActor() actor: Actor,
    @IdParam() id: number,
    @Body() body: UpdateStoreRequest,
  ): Promise<StoreView> {
    return StoreView.of(await this.stores.update(actor, id, body));
  }
}
