import { type Actor } from '@charity/common';
import { AllotmentsService, CATEGORY_LABELS, type AllotmentSchedule } from '@charity/households';
import { Body, Controller, Get, HttpCode, HttpStatus, Param, Post, Put } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBearerAuth,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { CurrentActor, Roles } from '../http/decorators';
import {
  AllotmentRunQueuedResponse,
  AllotmentScheduleResponse,
  AllotmentSummaryResponse,
  CategoryParams,
  MonthParams,
  PutAllotmentScheduleRequest,
  RunAllotmentRequest,
} from './allotments.dto';

/** 发放 schedules by household category: county admins set them, everyone reads them. */
@ApiTags('points')
@ApiBearerAuth()
@Controller('allotment-schedules')
export class AllotmentSchedulesController {
  constructor(private readonly allotments: AllotmentsService) {}

  @ApiOperation({ summary: 'List the allotment schedules (发放) by household category' })
  @ApiOkResponse({ type: [AllotmentScheduleResponse] })
  @Get()
  async list(): Promise<AllotmentScheduleResponse[]> {
    return (await this.allotments.schedules()).map(view);
  }

  @ApiOperation({ summary: "Set one category's monthly allotment" })
  @ApiOkResponse({ type: AllotmentScheduleResponse })
  @Put(':category')
  @Roles('county_admin')
  async put(
    @CurrentActor() actor: Actor,
    @Param() params: CategoryParams,
    @Body() body: PutAllotmentScheduleRequest,
  ): Promise<AllotmentScheduleResponse> {
    return view(await this.allotments.updateSchedule(actor, params.category, body));
  }
}

/** Monthly 发放 runs: queued for the worker, summarised from the ledger. */
@ApiTags('points')
@ApiBearerAuth()
@Controller('allotments')
export class AllotmentsController {
  constructor(private readonly allotments: AllotmentsService) {}

  /** Queues the month's run and answers at once; the worker pays each household once. */
  @ApiOperation({ summary: "Queue a month's allotment run" })
  @Post('run')
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiAcceptedResponse({ type: AllotmentRunQueuedResponse })
  @Roles('county_admin')
  run(
    @CurrentActor() actor: Actor,
    @Body() body: RunAllotmentRequest,
  ): Promise<AllotmentRunQueuedResponse> {
    return this.allotments.request(actor, body.month);
  }

  @ApiOperation({ summary: "Summarise a month's allotments" })
  @ApiOkResponse({ type: AllotmentSummaryResponse })
  @Get(':month')
  summary(
    @CurrentActor() actor: Actor,
    @Param() params: MonthParams,
  ): Promise<AllotmentSummaryResponse> {
    return this.allotments.summary(actor, params.month);
  }
}

function view(schedule: AllotmentSchedule): AllotmentScheduleResponse {
  return {
    category: schedule.category,
    categoryLabel: CATEGORY_LABELS[schedule.category],
    basePoints: schedule.basePoints,
    perExtraMember: schedule.perExtraMember,
    active: schedule.active,
    updatedBy: schedule.updatedBy,
    updatedAt: schedule.updatedAt,
  };
}
