import { type Actor, type Page } from '@charity/common';
import { DonorsService } from '@charity/donations';
import { Body, Controller, Get, Patch, Post, Query } from '@nestjs/common';
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
  CreateDonorRequest,
  DonorResponse,
  ListDonorsQuery,
  UpdateDonorRequest,
} from './donors.dto';
import { PageOf } from '../http/api-responses';

/**
 * 捐赠人, county-wide: clerks register donors when goods arrive, managers and admins correct them,
 * every signed-in role reads them (a person's data masked except for county admins).
 */
@ApiTags('donors')
@ApiBearerAuth()
@Controller('donors')
export class DonorsController {
  constructor(private readonly donors: DonorsService) {}

  @ApiOperation({ summary: 'Register a donor' })
  @ApiCreatedResponse({ type: DonorResponse })
  @Post()
  @Roles('county_admin', 'store_manager', 'clerk')
  async create(
    @CurrentActor() actor: Actor,
    @Body() body: CreateDonorRequest,
  ): Promise<DonorResponse> {
    return this.donors.toView(await this.donors.create(actor, body), actor);
  }

  @ApiOperation({ summary: 'List donors' })
  @ApiOkResponse({ type: PageOf(DonorResponse) })
  @Get()
  async list(
    @CurrentActor() actor: Actor,
    @Query() query: ListDonorsQuery,
  ): Promise<Page<DonorResponse>> {
    const page = await this.donors.list(query, query);
    return { ...page, items: page.items.map((donor) => this.donors.toView(donor, actor)) };
  }

  @ApiOperation({ summary: 'Get one donor' })
  @ApiOkResponse({ type: DonorResponse })
  @Get(':id')
  async get(@CurrentActor() actor: Actor, @IdParam() id: number): Promise<DonorResponse> {
    return this.donors.toView(await this.donors.get(id), actor);
  }

  @ApiOperation({ summary: 'Update a donor' })
  @ApiOkResponse({ type: DonorResponse })
  @Patch(':id')
  @Roles('county_admin', 'store_manager')
  async update(
    @CurrentActor() actor: Actor,
    @IdParam() id: number,
    @Body() body: UpdateDonorRequest,
  ): Promise<DonorResponse> {
    return this.donors.toView(await this.donors.update(actor, id, body), actor);
  }
}
