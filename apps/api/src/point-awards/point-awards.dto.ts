import { PageQuery } from '@charity/common';
import {
  BATCH_STATUSES,
  MAX_AWARD_ROWS,
  MAX_NOTICE_DAYS,
  type AwardBatchDetail,
  type AwardBatchLineView,
  type AwardBatchView,
  type BatchStatus,
  type NoticeBoard,
  type NoticeLine,
  type PublicNotice,
} from '@charity/households';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';
import { ArrayOf } from '../http/nested-fields';
import { IsId, IsIntBetween, QueryId, QueryInt } from '../http/number-fields';
import { IsMonth, IsOptionalNotNull, Trim } from '../http/validation';

/** One household's award: the household by card (or id), the rule by code or name. */
export class AwardBatchRowRequest {
  @ApiPropertyOptional({
    example: 'H4819302756',
    description: 'the household card; or householdId',
  })
  @Trim()
  @IsOptional()
  @IsString()
  @MaxLength(20)
  cardNo?: string;

  @ApiPropertyOptional({ description: 'the household; or cardNo' })
  @IsOptional()
  @IsId()
  householdId?: number;

  @ApiProperty({ example: 'TIDY_YARD', description: 'rule code (or rule name)' })
  @Trim()
  @IsString()
  @IsNotEmpty()
  @MaxLength(60)
  ruleCode!: string;

  @ApiPropertyOptional({ maxLength: 150, example: '院落干净整齐' })
  @Trim()
  @IsOptional()
  @IsString()
  @MaxLength(150)
  note?: string;
}

const REGION_DOC = { description: 'the village, or a township with its villages' };
const NOTICE_DAYS_DOC = {
  minimum: 0,
  maximum: MAX_NOTICE_DAYS,
  default: 0,
  description: '公示 days; 0 applies at once, otherwise the batch posts on today + noticeDays',
};

/** What an evaluation carries besides its rows, its region and its notice days. */
class AwardBatchFields {
  @ApiProperty({ example: '2026-11', description: 'evaluation month; rule caps count in it' })
  @IsMonth()
  month!: string;

  @ApiPropertyOptional({ maxLength: 200, example: '11月份村民代表会议评定' })
  @Trim()
  @IsOptional()
  @IsString()
  @MaxLength(200)
  note?: string;
}

/**
 * The JSON submission: numbers are JSON numbers. `noticeDays` may be left out (0) but not sent
 * as "", "12", true or null: read as 0, any of them would skip 公示 without anyone asking.
 */
export class CreateAwardBatchRequest extends AwardBatchFields {
  @ApiProperty(REGION_DOC)
  @IsId()
  regionId!: number;

  @ApiPropertyOptional(NOTICE_DAYS_DOC)
  @IsOptionalNotNull()
  @IsIntBetween(0, MAX_NOTICE_DAYS)
  noticeDays?: number;

  @ApiProperty({
    type: [AwardBatchRowRequest],
    minItems: 1,
    maxItems: MAX_AWARD_ROWS,
    description: `1 to ${MAX_AWARD_ROWS} rows; a problem is reported with the row's 1-based position`,
  })
  @ArrayOf(() => AwardBatchRowRequest, { max: MAX_AWARD_ROWS, notEmpty: true })
  rows!: AwardBatchRowRequest[];
}

/**
 * The upload's form fields, validated; the sheet itself arrives as `file`. Form fields are text,
 * so the numbers are read from it strictly: an empty `noticeDays` is refused, not taken for 0.
 */
export class UploadAwardBatchRequest extends AwardBatchFields {
  @ApiProperty(REGION_DOC)
  @QueryId()
  regionId!: number;

  @ApiPropertyOptional(NOTICE_DAYS_DOC)
  @IsOptional()
  @QueryInt(0, MAX_NOTICE_DAYS)
  noticeDays?: number;
}

/** What the upload's multipart/form-data carries, for the API docs only. */
export class UploadAwardBatchForm extends UploadAwardBatchRequest {
  @ApiProperty({
    type: 'string',
    format: 'binary',
    description: 'CSV (UTF-8 or GBK) or XLSX with columns 卡号 or 身份证号, 规则, 备注',
  })
  file!: unknown;
}

export class ListAwardBatchesQuery extends PageQuery {
  @ApiPropertyOptional({ description: 'a region and every region below it' })
  @IsOptional()
  @QueryId()
  regionId?: number;

  @ApiPropertyOptional({ enum: BATCH_STATUSES })
  @IsOptional()
  @IsIn(BATCH_STATUSES)
  status?: BatchStatus;

  @ApiPropertyOptional({ example: '2026-11' })
  @IsOptional()
  @IsMonth()
  month?: string;
}

export class WithdrawAwardBatchRequest {
  @ApiProperty({ maxLength: 200, example: '公示期间群众反映情况不实' })
  @Trim()
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  reason!: string;
}

export class NoticeBoardQuery {
  @ApiProperty({ description: 'a village, or a township (or county) with the regions below it' })
  @QueryId()
  regionId!: number;
}

export class AwardBatchResponse implements AwardBatchView {
  @ApiProperty() id!: number;
  @ApiProperty() regionId!: number;
  @ApiProperty({ type: String, nullable: true }) regionName!: string | null;
  @ApiProperty({ example: '2026-11' }) month!: string;
  @ApiProperty({ enum: BATCH_STATUSES }) status!: BatchStatus;
  @ApiProperty() noticeDays!: number;
  @ApiProperty({ example: '2026-11-29', description: '公示截止: posts on this local date' })
  postOn!: string;
  @ApiProperty() lineCount!: number;
  @ApiProperty({ description: 'net points of all lines' }) pointsTotal!: number;
  @ApiProperty({ type: String, nullable: true }) note!: string | null;
  @ApiProperty() createdBy!: number;
  @ApiProperty({ type: String, format: 'date-time' }) createdAt!: Date;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) postedAt!: Date | null;
  @ApiProperty({ type: Number, nullable: true }) withdrawnBy!: number | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  withdrawnAt!: Date | null;
  @ApiProperty({ type: String, nullable: true }) withdrawReason!: string | null;
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'why the last automatic posting failed; the batch stays pending',
  })
  lastError!: string | null;
}

export class AwardBatchLineResponse implements AwardBatchLineView {
  @ApiProperty() rowNo!: number;
  @ApiProperty() householdId!: number;
  @ApiProperty({ example: 'H4819302756' }) cardNo!: string;
  @ApiProperty({ example: '王**' }) headNameMasked!: string;
  @ApiProperty() ruleId!: number;
  @ApiProperty({ example: 'TIDY_YARD' }) ruleCode!: string;
  @ApiProperty({ example: '庭院整洁' }) ruleName!: string;
  @ApiProperty({ description: 'signed' }) points!: number;
  @ApiProperty({ type: String, nullable: true }) note!: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'the award entry once posted' })
  entryId!: string | null;
}

export class AwardBatchDetailResponse extends AwardBatchResponse implements AwardBatchDetail {
  @ApiProperty({
    type: [AwardBatchLineResponse],
    description: "store roles see their own store's households only",
  })
  lines!: AwardBatchLineResponse[];
}

export class AwardBatchPageResponse {
  @ApiProperty({ type: [AwardBatchResponse] }) items!: AwardBatchResponse[];
  @ApiProperty() total!: number;
  @ApiProperty() page!: number;
  @ApiProperty() pageSize!: number;
}

export class NoticeLineResponse implements NoticeLine {
  @ApiProperty() rowNo!: number;
  @ApiProperty({ example: 'H******2756' }) cardNoMasked!: string;
  @ApiProperty({ example: '王**' }) headNameMasked!: string;
  @ApiProperty({ example: '庭院整洁' }) ruleName!: string;
  @ApiProperty({ description: 'signed' }) points!: number;
}

export class PublicNoticeResponse implements PublicNotice {
  @ApiProperty() batchId!: number;
  @ApiProperty() regionId!: number;
  @ApiProperty({ example: '幸福村' }) regionName!: string;
  @ApiProperty({ example: '2026-11' }) month!: string;
  @ApiProperty() noticeDays!: number;
  @ApiProperty({ example: '2026-11-29', description: '公示截止' }) postOn!: string;
  @ApiProperty() lineCount!: number;
  @ApiProperty() pointsTotal!: number;
  @ApiProperty({ type: [NoticeLineResponse] }) lines!: NoticeLineResponse[];
}

export class NoticeBoardResponse implements NoticeBoard {
  @ApiProperty() regionId!: number;
  @ApiProperty() regionName!: string;
  @ApiProperty({ type: [PublicNoticeResponse], description: 'pending batches, soonest first' })
  notices!: PublicNoticeResponse[];
}
