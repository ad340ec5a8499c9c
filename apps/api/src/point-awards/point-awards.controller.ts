import { ValidationFailedError, type Actor } from '@charity/common';
import { PointAwardBatchesService } from '@charity/households';
import {
  Body,
  Controller,
  Get,
  HttpCode,
  HttpStatus,
  Post,
  Query,
  UploadedFile,
} from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiBody,
  ApiConsumes,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { CurrentActor, Roles } from '../http/decorators';
import { FileUpload, type UploadedSheetFile } from '../http/file-upload';
import { IdParam } from '../http/id-param';
import {
  AwardBatchDetailResponse,
  AwardBatchPageResponse,
  CreateAwardBatchRequest,
  ListAwardBatchesQuery,
  UploadAwardBatchForm,
  UploadAwardBatchRequest,
  WithdrawAwardBatchRequest,
} from './point-awards.dto';

/** An evaluation sheet is a few hundred rows; anything near this is the wrong file. */
const SHEET_LIMIT_BYTES = 2 * 1024 * 1024;

/**
 * 积分评定 by batch: a village's month in one all-or-nothing submission, applied at once or put
 * on 公示 first. County admins and store managers submit and withdraw; county admins post early.
 */
@ApiTags('points')
@ApiBearerAuth()
@Controller('point-awards')
export class PointAwardsController {
  constructor(private readonly batches: PointAwardBatchesService) {}

  @ApiOperation({ summary: 'Propose a batch of awards (积分评定)' })
  @ApiCreatedResponse({ type: AwardBatchDetailResponse })
  @Post('batch')
  @Roles('county_admin', 'store_manager')
  submit(
    @CurrentActor() actor: Actor,
    @Body() body: CreateAwardBatchRequest,
  ): Promise<AwardBatchDetailResponse> {
    const { rows, ...header } = body;
    return this.batches.submit(actor, {
      ...header,
      rows: rows.map((row, index) => ({
        row: index + 1,
        cardNo: row.cardNo,
        householdId: row.householdId,
        rule: row.ruleCode,
        note: row.note,
      })),
    });
  }

  /** The same, from an uploaded sheet; problems name the sheet's rows and columns. */
  @ApiOperation({ summary: 'Propose a batch of awards from a spreadsheet' })
  @ApiCreatedResponse({ type: AwardBatchDetailResponse })
  @Post('batch/upload')
  @Roles('county_admin', 'store_manager')
  @ApiConsumes('multipart/form-data')
  @ApiBody({ type: UploadAwardBatchForm })
  @FileUpload('file', SHEET_LIMIT_BYTES)
  submitSheet(
    @CurrentActor() actor: Actor,
    @UploadedFile() file: UploadedSheetFile | undefined,
    @Body() body: UploadAwardBatchRequest,
  ): Promise<AwardBatchDetailResponse> {
    if (!file) {
      throw new ValidationFailedError('请上传评定表文件（file）', {
        fields: [{ field: 'file', constraints: ['isDefined'], messages: ['file is required'] }],
      });
    }
    const { regionId, month, noticeDays, note } = body;
    return this.batches.submitSheet(
      actor,
      { regionId, month, noticeDays, note },
      { buffer: file.buffer, fileName: file.originalname },
    );
  }

  @ApiOperation({ summary: 'List award batches' })
  @Get('batches')
  @ApiOkResponse({ type: AwardBatchPageResponse })
  list(
    @CurrentActor() actor: Actor,
    @Query() query: ListAwardBatchesQuery,
  ): Promise<AwardBatchPageResponse> {
    return this.batches.list(actor, query, query);
  }

  @ApiOperation({ summary: 'Get one award batch with its lines' })
  @ApiOkResponse({ type: AwardBatchDetailResponse })
  @Get('batches/:id')
  get(@CurrentActor() actor: Actor, @IdParam() id: number): Promise<AwardBatchDetailResponse> {
    return this.batches.get(actor, id);
  }

  /** 撤回 during 公示; 409 BATCH_NOT_PENDING once posted or withdrawn. */
  @ApiOperation({ summary: 'Withdraw an award batch' })
  @ApiOkResponse({ type: AwardBatchDetailResponse })
  @Post('batches/:id/withdraw')
  @HttpCode(HttpStatus.OK)
  @Roles('county_admin', 'store_manager')
  withdraw(
    @CurrentActor() actor: Actor,
    @IdParam() id: number,
    @Body() body: WithdrawAwardBatchRequest,
  ): Promise<AwardBatchDetailResponse> {
    return this.batches.withdraw(actor, id, body.reason);
  }

  /** 提前生效: ends the 公示 now, after checking every line again. */
  @ApiOperation({ summary: 'Post an award batch to the points ledger' })
  @ApiOkResponse({ type: AwardBatchDetailResponse })
  @Post('batches/:id/post')
  @HttpCode(HttpStatus.OK)
  @Roles('county_admin')
  post(@CurrentActor() actor: Actor, @IdParam() id: number): Promise<AwardBatchDetailResponse> {
    return this.batches.postNow(actor, id);
  }
}
