import { HOUSEHOLD_CATEGORIES, type HouseholdCategory } from '@charity/households';
import { ApiProperty } from '@nestjs/swagger';
import { IsBoolean, IsIn } from 'class-validator';
import { IsIntBetween } from '../http/number-fields';
import { IsMonth } from '../http/validation';

export class CategoryParams {
  @ApiProperty({
    enum: HOUSEHOLD_CATEGORIES,
    enumName: 'HouseholdCategory',
    description: 'wubao 五保, dibao 低保, tekun 特困, other 建档立卡',
  })
  @IsIn(HOUSEHOLD_CATEGORIES)
  category!: HouseholdCategory;
}

export class MonthParams {
  @ApiProperty({ example: '2026-11' })
  @IsMonth()
  month!: string;
}

export class PutAllotmentScheduleRequest {
  @ApiProperty({
    example: 30,
    minimum: 1,
    maximum: 10000,
    description: 'points a month for one person',
  })
  @IsIntBetween(1, 10000)
  basePoints!: number;

  @ApiProperty({
    example: 10,
    minimum: 0,
    maximum: 10000,
    description: 'added per member beyond the first',
  })
  @IsIntBetween(0, 10000)
  perExtraMember!: number;

  @ApiProperty({ description: 'whether runs pay this category' })
  @IsBoolean()
  active!: boolean;
}

export class AllotmentScheduleResponse {
  @ApiProperty({ enum: HOUSEHOLD_CATEGORIES, enumName: 'HouseholdCategory' })
  category!: HouseholdCategory;
  @ApiProperty({ example: '五保' }) categoryLabel!: string;
  @ApiProperty({ example: 30 }) basePoints!: number;
  @ApiProperty({ example: 10 }) perExtraMember!: number;
  @ApiProperty() active!: boolean;
  @ApiProperty({ type: Number, nullable: true }) updatedBy!: number | null;
  @ApiProperty({ type: String, format: 'date-time' }) updatedAt!: Date;
}

export class RunAllotmentRequest {
  @ApiProperty({ example: '2026-11', description: 'the month to pay; not a month still to come' })
  @IsMonth()
  month!: string;
}

export class AllotmentRunQueuedResponse {
  @ApiProperty({ example: 'points-allotment:2026-11' }) jobId!: string;
  @ApiProperty({ example: '2026-11' }) month!: string;
  @ApiProperty({ example: 'waiting', description: 'the queued job: waiting, active, completed …' })
  state!: string;
}

export class AllotmentStoreTotal {
  @ApiProperty() storeId!: number;
  @ApiProperty({ type: String, nullable: true }) storeName!: string | null;
  @ApiProperty() households!: number;
  @ApiProperty() points!: number;
}

export class AllotmentReversedTotal {
  @ApiProperty() households!: number;
  @ApiProperty() points!: number;
}

export class AllotmentRunResult {
  @ApiProperty({ example: '2026-11' }) month!: string;
  @ApiProperty({ description: 'households paid by this run' }) households!: number;
  @ApiProperty() points!: number;
  @ApiProperty({ description: 'households already paid for the month' }) skipped!: number;
}

export class AllotmentRunProgress extends AllotmentRunResult {
  @ApiProperty({ description: 'households up to this id have been dealt with' })
  lastHouseholdId!: number;
}

export class AllotmentRunStatusResponse {
  @ApiProperty({ example: 'points-allotment:2026-11' }) jobId!: string;
  @ApiProperty({
    example: 'active',
    description: 'waiting, active, delayed (retrying), completed, failed',
  })
  state!: string;
  @ApiProperty({ type: AllotmentRunProgress, nullable: true, description: 'after each chunk' })
  progress!: AllotmentRunProgress | null;
  @ApiProperty({ type: AllotmentRunResult, nullable: true, description: 'once completed' })
  result!: AllotmentRunResult | null;
  @ApiProperty({ type: String, nullable: true, description: "the last attempt's error" })
  failedReason!: string | null;
  @ApiProperty({ description: 'attempts that failed so far; a run is tried up to 5 times' })
  failedAttempts!: number;
}

export class AllotmentSummaryResponse {
  @ApiProperty({ example: '2026-11' }) month!: string;
  @ApiProperty({ type: Number, nullable: true, description: "a store user's own store, or null" })
  storeId!: number | null;
  @ApiProperty({ description: 'households paid for the month' }) households!: number;
  @ApiProperty({ description: 'points paid, reversed ones included' }) points!: number;
  @ApiProperty({ type: AllotmentReversedTotal, description: 'taken back since by reversals' })
  reversed!: AllotmentReversedTotal;
  @ApiProperty({ type: [AllotmentStoreTotal] }) byStore!: AllotmentStoreTotal[];
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) firstPaidAt!: Date | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) lastPaidAt!: Date | null;
  @ApiProperty({
    type: AllotmentRunStatusResponse,
    nullable: true,
    description: "the month's queued run, while its job is kept",
  })
  run!: AllotmentRunStatusResponse | null;
}
