import { type Actor } from '@charity/common';
import { RegionsService } from '@charity/organisation';
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
import { CreateRegionRequest, ListRegionsQuery, RegionView } from './regions.dto';
import { ListOf } from '../http/api-responses';

@ApiTags('regions')
@ApiBearerAuth()
@Controller('regions')
export class RegionsController {
  constructor(private readonly regions: RegionsService) {}

  @ApiOperation({ summary: 'Add a region' })
  @ApiCreatedResponse({ type: RegionView })
  @Post()
  @Roles('county_admin')
  async create(
    @CurrentActor() actor: Actor,
    @Body() body: CreateRegionRequest,
  ): Promise<RegionView> {
    return RegionView.of(await this.regions.create(actor, body));
  }

  /** The region tree is not store data: every signed-in role may read it. */
  @ApiOperation({ summary: 'List regions' })
  @ApiOkResponse({ type: ListOf(RegionView) })
  @Get()
  async list(@Query() query: ListRegionsQuery): Promise<{ items: RegionView[] }> {
    const regions = await this.regions.list(query);
    return { items: regions.map((region) => RegionView.of(region)) };
  }

  @ApiOperation({ summary: 'Get one region' })
  @ApiOkResponse({ type: RegionView })
  @Get(':id')
  async get(@IdParam() id: number): Promise<RegionView> {
    return RegionView.of(await this.regions.get(id));
  }
}
