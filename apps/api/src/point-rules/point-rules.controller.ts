import { type Actor } from '@charity/common';
import { PointRulesService, PointsService, type PointsPolicy } from '@charity/households';
import { Body, Controller, Get, Patch, Post, Put, Query } from '@nestjs/common';
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
  CreatePointRuleRequest,
  ListPointRulesQuery,
  PointRuleResponse,
  PointsPolicyResponse,
  UpdatePointRuleRequest,
  UpdatePointsPolicyRequest,
} from './point-rules.dto';

/** The 积分评定 rule catalogue: county admins keep it, everyone reads it. */
@ApiTags('points')
@ApiBearerAuth()
@Controller('point-rules')
export class PointRulesController {
  constructor(private readonly rules: PointRulesService) {}

  @ApiOperation({ summary: 'Add a rule to the points catalogue' })
  @ApiCreatedResponse({ type: PointRuleResponse })
  @Post()
  @Roles('county_admin')
  create(
    @CurrentActor() actor: Actor,
    @Body() body: CreatePointRuleRequest,
  ): Promise<PointRuleResponse> {
    return this.rules.create(actor, body);
  }

  @ApiOperation({ summary: 'List the points rules' })
  @ApiOkResponse({ type: [PointRuleResponse] })
  @Get()
  list(@Query() query: ListPointRulesQuery): Promise<PointRuleResponse[]> {
    return this.rules.list(query);
  }

  @ApiOperation({ summary: 'Get one points rule' })
  @ApiOkResponse({ type: PointRuleResponse })
  @Get(':id')
  get(@IdParam() id: number): Promise<PointRuleResponse> {
    return this.rules.get(id);
  }

  @ApiOperation({ summary: 'Update a points rule' })
  @ApiOkResponse({ type: PointRuleResponse })
  @Patch(':id')
  @Roles('county_admin')
  update(
    @CurrentActor() actor: Actor,
    @IdParam() id: number,
    @Body() body: UpdatePointRuleRequest,
  ): Promise<PointRuleResponse> {
    return this.rules.update(actor, id, body);
  }
}

/** The county's points policy: expiry, exited households, card names. */
@ApiTags('points')
@ApiBearerAuth()
@Controller('points/policy')
export class PointsPolicyController {
  constructor(private readonly points: PointsService) {}

  @ApiOperation({ summary: "The county's points policy" })
  @ApiOkResponse({ type: PointsPolicyResponse })
  @Get()
  async get(): Promise<PointsPolicyResponse> {
    return view(await this.points.policy());
  }

  @ApiOperation({ summary: "Set the county's points policy" })
  @ApiOkResponse({ type: PointsPolicyResponse })
  @Put()
  @Roles('county_admin')
  async update(
    @CurrentActor() actor: Actor,
    @Body() body: UpdatePointsPolicyRequest,
  ): Promise<PointsPolicyResponse> {
    return view(await this.points.updatePolicy(actor, body));
  }
}

function view(policy: PointsPolicy): PointsPolicyResponse {
  return {
    expiryMonths: policy.expiryMonths,
    exitedMaySpend: policy.exitedMaySpend,
    cardNameDisplay: policy.cardNameDisplay,
    monthlyVisitLimit: policy.monthlyVisitLimit,
    voidWindowDays: policy.voidWindowDays,
    updatedAt: policy.updatedAt,
  };
}
