import { type Actor } from '@charity/common';
import { RegionsService } from '@charity/organisation';
import { Body, Controller, Get, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentActor, Roles } from '../http/decorators';
import { IdParam } from '../http/id-param';
import { CreateRegionRequest, ListRegionsQuery, RegionView } from './regions.dto';

@ApiTags('regions')
@ApiBearerAuth()
@Controller('regions')
export class RegionsController {
  constructor(private readonly regions: RegionsService) {}

  @ApiOperation({ summary: 'Add a region' })
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
  @Get()
  async list(@Query() query: ListRegionsQuery): Promise<{ items: RegionView[] }> {
    const regions = await this.regions.list(query);
    return { items: regions.map((region) => RegionView.of(region)) };
  }

  @ApiOperation({ summary: 'Get one region' })
  @Get(':id')
  async get(@IdParam() id: number): Promise<RegionView> {
    return RegionView.of(await this.regions.get(id));
  }
}
