import { PageQuery } from '@charity/common';
import {
  HOUSEHOLD_CATEGORIES,
  HOUSEHOLD_PHONE_PATTERN,
  HOUSEHOLD_STATUSES,
  MAX_MEMBER_COUNT,
  POINTS_ENTRY_KINDS,
  type CardHolderView,
  type HouseholdCategory,
  type HouseholdStatus,
  type HouseholdView,
  type PointsEntryKind,
  type PointsEntryView,
  type PointsStatement,
} from '@charity/households';
import { ApiProperty, ApiPropertyOptional, OmitType, PartialType } from '@nestjs/swagger';
import {
  IsIn,
  IsNotEmpty,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  NotEquals,
  ValidateIf,
} from 'class-validator';
import { IsDateOnly } from '../http/date-fields';
import { IsId, IsIntBetween, QueryId } from '../http/number-fields';
import { IsMonth, IsOptionalNotNull, Trim } from '../http/validation';

export class CreateHouseholdRequest {
  @ApiProperty({ example: '王秀英', maxLength: 50, description: '户主姓名' })
  @Trim()
  @IsString()
  @IsNotEmpty()
  @MaxLength(50)
  headName!: string;

  @ApiProperty({
    example: '410423195803120021',
    description:
      '18-digit 居民身份证号, check character validated; unique (409 DUPLICATE_HOUSEHOLD). Never returned except by the admin reveal.',
  })
  @Trim()
  @IsString()
  @IsNotEmpty()
  @MaxLength(30)
  idNumber!: string;

  @ApiProperty({
    enum: HOUSEHOLD_CATEGORIES,
    enumName: 'HouseholdCategory',
    description: 'wubao 五保, dibao 低保, tekun 特困, other 建档立卡',
  })
  @IsIn(HOUSEHOLD_CATEGORIES)
  category!: HouseholdCategory;

  @ApiProperty({ minimum: 1, maximum: MAX_MEMBER_COUNT, example: 2 })
  @IsIntBetween(1, MAX_MEMBER_COUNT)
  memberCount!: number;

  @ApiProperty({ description: 'the village, or the township where villages are not set up' })
  @IsId()
  regionId!: number;

  @ApiProperty({ description: 'the store the household belongs to' })
  @IsId()
  homeStoreId!: number;

  @ApiPropertyOptional({ type: String, nullable: true, example: '13812345678' })
  @Trim()
  @IsOptional()
  @IsString()
  @Matches(HOUSEHOLD_PHONE_PATTERN, {
    message: 'phone must be an 11-digit mobile number or a landline with its area code',
  })
  phone?: string | null;

  @ApiPropertyOptional({ type: String, nullable: true, maxLength: 200 })
  @Trim()
  @IsOptional()
  @IsString()
  @MaxLength(200)
  address?: string | null;
}

/** Every field optional; only `phone`, `address`, `exitedOn` and `statusReason` may be null. */
export class UpdateHouseholdRequest extends PartialType(CreateHouseholdRequest, {
  skipNullProperties: false,
}) {
  @ApiPropertyOptional({
    enum: HOUSEHOLD_STATUSES,
    enumName: 'HouseholdStatus',
    description: 'exited is 已脱贫',
  })
  @IsOptionalNotNull()
  @IsIn(HOUSEHOLD_STATUSES)
  status?: HouseholdStatus;

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    example: '2026-11-01',
    description: 'with status exited: the local date; default today',
  })
  @IsOptional()
  @IsDateOnly()
  exitedOn?: string | null;

  @ApiPropertyOptional({ type: String, nullable: true, maxLength: 200 })
  @Trim()
  @IsOptional()
  @IsString()
  @MaxLength(200)
  statusReason?: string | null;
}

export class ListHouseholdsQuery extends PageQuery {
  @ApiPropertyOptional({
    description:
      'a name or part of it, a card number, a whole ID number or phone, or the last four of either',
  })
  @Trim()
  @IsOptional()
  @IsString()
  @MaxLength(50)
  search?: string;

  @ApiPropertyOptional({ enum: HOUSEHOLD_CATEGORIES, enumName: 'HouseholdCategory' })
  @IsOptional()
  @IsIn(HOUSEHOLD_CATEGORIES)
  category?: HouseholdCategory;

  @ApiPropertyOptional({ enum: HOUSEHOLD_STATUSES, enumName: 'HouseholdStatus' })
  @IsOptional()
  @IsIn(HOUSEHOLD_STATUSES)
  status?: HouseholdStatus;

  @ApiPropertyOptional({ description: "a village, or a township with its villages' households" })
  @IsOptional()
  @QueryId()
  regionId?: number;

  @ApiPropertyOptional()
  @IsOptional()
  @QueryId()
  homeStoreId?: number;
}

/** ID number and phone are always masked. */
export class HouseholdResponse implements HouseholdView {
  @ApiProperty() id!: number;
  @ApiProperty({ example: 'H4819302756' }) cardNo!: string;
  @ApiProperty({ example: '王秀英' }) headName!: string;
  @ApiProperty({ example: '410423********0021' }) idNumberMasked!: string;
  @ApiProperty({ enum: HOUSEHOLD_CATEGORIES, enumName: 'HouseholdCategory' })
  category!: HouseholdCategory;
  @ApiProperty() memberCount!: number;
  @ApiProperty() regionId!: number;
  @ApiProperty({ type: String, nullable: true }) regionName!: string | null;
  @ApiProperty() homeStoreId!: number;
  @ApiProperty({ type: String, nullable: true }) homeStoreName!: string | null;
  @ApiProperty({ type: String, nullable: true, example: '138****5678' })
  phoneMasked!: string | null;
  @ApiProperty({ type: String, nullable: true }) address!: string | null;
  @ApiProperty({ enum: HOUSEHOLD_STATUSES, enumName: 'HouseholdStatus' }) status!: HouseholdStatus;
  @ApiProperty({ type: String, nullable: true }) exitedOn!: string | null;
  @ApiProperty({ type: String, nullable: true }) statusReason!: string | null;
  @ApiProperty({ description: 'points: the sum of the ledger' }) balance!: number;
  @ApiProperty({ type: String, format: 'date-time' }) createdAt!: Date;
  @ApiProperty({ type: String, format: 'date-time' }) updatedAt!: Date;
}

/** A card scanned at another store: what the till needs, the name masked. */
export class CardHolderResponse implements CardHolderView {
  @ApiProperty() id!: number;
  @ApiProperty({ example: 'H4819302756' }) cardNo!: string;
  @ApiProperty({ example: '王**', description: 'masked' }) name!: string;
  @ApiProperty({ enum: HOUSEHOLD_CATEGORIES, enumName: 'HouseholdCategory' })
  category!: HouseholdCategory;
  @ApiProperty({ enum: HOUSEHOLD_STATUSES, enumName: 'HouseholdStatus' }) status!: HouseholdStatus;
  @ApiProperty({ description: 'points: the sum of the ledger' }) balance!: number;
}

export class RevealedIdentityResponse {
  @ApiProperty() id!: number;
  @ApiProperty({ example: '410423195803120021' }) idNumber!: string;
  @ApiProperty({ type: String, nullable: true }) phone!: string | null;
}

/** `{ruleCode}` for an award by rule; `{points, reason}` for a manual adjustment. */
export class RecordPointsRequest {
  @ApiPropertyOptional({ example: 'TIDY_YARD', description: 'award by this rule' })
  @ValidateIf((o: RecordPointsRequest) => o.points === undefined || o.ruleCode !== undefined)
  @IsString()
  @IsNotEmpty()
  @MaxLength(30)
  ruleCode?: string;

  @ApiPropertyOptional({
    example: -5,
    description: 'signed manual adjustment (store manager or county admin); needs a reason',
  })
  @ValidateIf((o: RecordPointsRequest) => o.ruleCode === undefined)
  @IsIntBetween(-100_000, 100_000)
  @NotEquals(0)
  points?: number;

  @ApiPropertyOptional({ maxLength: 150, description: 'required with points; a note for an award' })
  @ValidateIf((o: RecordPointsRequest) => o.ruleCode === undefined || o.reason !== undefined)
  @Trim()
  @IsString()
  @IsNotEmpty()
  @MaxLength(150)
  reason?: string;

  @ApiPropertyOptional({
    example: '2026-11',
    description: 'evaluation month of an award; default this month',
  })
  @IsOptional()
  @IsMonth()
  period?: string;
}

export class ReverseEntryRequest {
  @ApiProperty({ maxLength: 150, example: '重复录入' })
  @Trim()
  @IsString()
  @IsNotEmpty()
  @MaxLength(150)
  reason!: string;
}

export class PointsEntryResponse implements PointsEntryView {
  @ApiProperty({ example: '1024' }) id!: string;
  @ApiProperty({ enum: POINTS_ENTRY_KINDS }) kind!: PointsEntryKind;
  @ApiProperty({ description: 'signed' }) points!: number;
  @ApiProperty() balanceAfter!: number;
  @ApiProperty() storeId!: number;
  @ApiProperty({ type: Number, nullable: true }) actorId!: number | null;
  @ApiProperty({ type: String, nullable: true }) actorName!: string | null;
  @ApiProperty({ type: String, format: 'date-time' }) occurredAt!: Date;
  @ApiProperty({ example: '2026-11-22' }) businessDate!: string;
  @ApiProperty() reason!: string;
  @ApiProperty({ example: { type: 'rule', id: 'TIDY_YARD' } })
  source!: { type: string; id: string | null };
  @ApiProperty({ type: Number, nullable: true }) ruleId!: number | null;
  @ApiProperty({ type: Number, nullable: true }) batchId!: number | null;
  @ApiProperty({ type: String, nullable: true }) period!: string | null;
  @ApiProperty({ type: String, nullable: true }) reversesEntryId!: string | null;
  @ApiProperty({ type: String, nullable: true }) reversedByEntryId!: string | null;
}

export class StatementQuery extends OmitType(PageQuery, [] as const) {}

export class PointsStatementResponse implements PointsStatement {
  @ApiProperty() householdId!: number;
  @ApiProperty() cardNo!: string;
  @ApiProperty({ description: 'sum of the ledger' }) balance!: number;
  @ApiProperty({ description: 'balance less points past their date not yet posted as expired' })
  spendable!: number;
  @ApiProperty({
    example: { points: 30, withinDays: 30, grants: [{ expiresOn: '2026-12-01', points: 30 }] },
  })
  expiringSoon!: PointsStatement['expiringSoon'];
  @ApiProperty({ description: 'paged, newest first: { items, total, page, pageSize }' })
  entries!: PointsStatement['entries'];
}
