import { type Actor, type Page } from '@charity/common';
import { HouseholdsService, PointsService, type PostedEntry } from '@charity/households';
import {
  Body,
  Controller,
  Get,
  HttpCode,
  HttpStatus,
  Param,
  Patch,
  Post,
  Query,
} from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiExtraModels,
  ApiOkResponse,
  ApiOperation,
  ApiProperty,
  ApiTags,
  getSchemaPath,
} from '@nestjs/swagger';
import { DatabaseTimeout } from '../http/database-deadline';
import { CurrentActor, Roles } from '../http/decorators';
import { IdParam } from '../http/id-param';
import { HouseholdLookup } from '../http/lookup-rate-limit.guard';
import {
  CardHolderResponse,
  CreateHouseholdRequest,
  HouseholdResponse,
  ListHouseholdsQuery,
  PointsEntryResponse,
  PointsStatementResponse,
  RecordPointsRequest,
  RevealedIdentityResponse,
  ReverseEntryRequest,
  StatementQuery,
  UpdateHouseholdRequest,
} from './households.dto';
import { PageOf } from '../http/api-responses';

/** What a points write answers: the new entry and the balance after it. */
class PointsWriteResponse {
  @ApiProperty({ type: PointsEntryResponse }) entry!: PointsEntryResponse;
  @ApiProperty({ description: 'points after the entry' }) balance!: number;
}

/**
 * 困难户. County admins and store managers register and edit (managers: their own store's
 * households); every role reads. The card lookup is county-wide for the till, in full only for
 * the household's own store. Lookups are rate-limited per user (@HouseholdLookup).
 */
@ApiTags('households')
@ApiExtraModels(HouseholdResponse, CardHolderResponse)
@ApiBearerAuth()
@Controller('households')
export class HouseholdsController {
  constructor(
    private readonly households: HouseholdsService,
    private readonly points: PointsService,
  ) {}

  @ApiOperation({ summary: 'Register a household' })
  @ApiCreatedResponse({ type: HouseholdResponse })
  @Post()
  @Roles('county_admin', 'store_manager')
  async create(
    @CurrentActor() actor: Actor,
    @Body() body: CreateHouseholdRequest,
  ): Promise<HouseholdResponse> {
    const created = await this.households.create(actor, body);
    return this.households.toView(await this.households.get(actor, created.id));
  }

  @ApiOperation({ summary: 'List households' })
  @ApiOkResponse({ type: PageOf(HouseholdResponse) })
  @Get()
  @HouseholdLookup()
  async list(
    @CurrentActor() actor: Actor,
    @Query() query: ListHouseholdsQuery,
  ): Promise<Page<HouseholdResponse>> {
    const page = await this.households.list(actor, query, query);
    return { ...page, items: page.items.map((h) => this.households.toView(h)) };
  }

  /**
   * The till: a scanned or typed card number, any store in the county. Another store's staff
   * get only what the till needs (CardHolderResponse).
   */
  @ApiOperation({ summary: 'Find a household by its card number' })
  @Get('card/:cardNo')
  @HouseholdLookup()
  @DatabaseTimeout('till')
  @ApiOkResponse({
    schema: {
      oneOf: [
        { $ref: getSchemaPath(HouseholdResponse) },
        { $ref: getSchemaPath(CardHolderResponse) },
      ],
    },
  })
  byCard(
    @CurrentActor() actor: Actor,
    @Param('cardNo') cardNo: string,
  ): Promise<HouseholdResponse | CardHolderResponse> {
    return this.households.lookupCard(actor, cardNo);
  }

  @ApiOperation({ summary: 'Get one household' })
  @ApiOkResponse({ type: HouseholdResponse })
  @Get(':id')
  @HouseholdLookup()
  async get(@CurrentActor() actor: Actor, @IdParam() id: number): Promise<HouseholdResponse> {
    return this.households.toView(await this.households.get(actor, id));
  }

  @ApiOperation({ summary: 'Update a household' })
  @ApiOkResponse({ type: HouseholdResponse })
  @Patch(':id')
  @Roles('county_admin', 'store_manager')
  async update(
    @CurrentActor() actor: Actor,
    @IdParam() id: number,
    @Body() body: UpdateHouseholdRequest,
  ): Promise<HouseholdResponse> {
    await this.households.update(actor, id, body);
    return this.households.toView(await this.households.get(actor, id));
  }

  /** The full ID number and phone: county admins only, written to the audit log. */
  @ApiOperation({ summary: "Reveal a household's full ID number (logged)" })
  @ApiOkResponse({ type: RevealedIdentityResponse })
  @Get(':id/id-number')
  @Roles('county_admin')
  reveal(@CurrentActor() actor: Actor, @IdParam() id: number): Promise<RevealedIdentityResponse> {
    return this.households.reveal(actor, id);
  }

  @ApiOperation({ summary: "A household's points statement" })
  @Get(':id/points')
  @ApiOkResponse({ type: PointsStatementResponse })
  statement(
    @CurrentActor() actor: Actor,
    @IdParam() id: number,
    @Query() query: StatementQuery,
  ): Promise<PointsStatementResponse> {
    return this.points.statement(actor, id, query);
  }

  /** 积分评定 by rule (`{ruleCode}`) or a manual adjustment (`{points, reason}`). */
  @ApiOperation({ summary: 'Award or adjust points by hand' })
  @ApiCreatedResponse({ type: PointsWriteResponse })
  @Post(':id/points')
  @Roles('county_admin', 'store_manager')
  async record(
    @CurrentActor() actor: Actor,
    @IdParam() id: number,
    @Body() body: RecordPointsRequest,
  ): Promise<PointsWriteResponse> {
    return this.written(await this.points.record(actor, id, body));
  }

  /** 冲正 of an award, allotment or adjustment. */
  @ApiOperation({ summary: 'Reverse a points entry (冲正)' })
  @ApiCreatedResponse({ type: PointsWriteResponse })
  @Post(':id/points/entries/:entryId/reverse')
  @HttpCode(HttpStatus.CREATED)
  @Roles('county_admin', 'store_manager')
  async reverse(
    @CurrentActor() actor: Actor,
    @IdParam() id: number,
    @IdParam('entryId') entryId: number,
    @Body() body: ReverseEntryRequest,
  ): Promise<PointsWriteResponse> {
    return this.written(await this.points.reverse(actor, id, String(entryId), body.reason));
  }

  private async written(posted: PostedEntry): Promise<PointsWriteResponse> {
    return { entry: await this.points.entryView(posted.entry), balance: posted.entry.balanceAfter };
  }
}
