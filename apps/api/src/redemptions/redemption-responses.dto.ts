import {
  FULFILMENTS,
  REDEMPTION_STATUSES,
  type Allowance,
  type AllowanceLimit,
  type Fulfilment,
  type Problem,
  type Quote,
  type QuoteLine,
  type RedemptionLineView,
  type RedemptionStatus,
  type RedemptionView,
  type TillHousehold,
} from '@charity/redemptions';
import type { ErrorCode } from '@charity/common';
import { ApiProperty } from '@nestjs/swagger';
import { CardHolderResponse } from '../households/households.dto';

/** One reason a cart, or one of its lines, cannot go through as it is. */
export class ProblemResponse {
  @ApiProperty({ type: String, example: 'INSUFFICIENT_STOCK', description: 'a stable error code' })
  code!: ErrorCode;
  @ApiProperty({ example: '大米 5kg: 库存只剩 2' }) message!: string;
  @ApiProperty({ type: 'object', additionalProperties: true }) details!: object;
}

/** The household as the till shows it: the head's name masked. */
export class TillHouseholdResponse extends CardHolderResponse implements TillHousehold {
  @ApiProperty({ description: 'points that may be spent today' }) spendable!: number;
}

export class QuoteLineResponse {
  @ApiProperty({ description: '1-based position in the request' }) line!: number;
  @ApiProperty({ type: Number, nullable: true }) productId!: number | null;
  @ApiProperty({ type: String, nullable: true }) barcode!: string | null;
  @ApiProperty({ type: String, nullable: true }) name!: string | null;
  @ApiProperty({ type: String, nullable: true }) unit!: string | null;
  @ApiProperty() quantity!: number;
  @ApiProperty({ type: Number, nullable: true }) pointPrice!: number | null;
  @ApiProperty() points!: number;
  @ApiProperty({
    type: Number,
    nullable: true,
    description: 'units the store can hand out now (unexpired lots)',
  })
  available!: number | null;
  @ApiProperty({ type: [ProblemResponse] }) problems!: ProblemResponse[];
}

export class QuoteResponse {
  @ApiProperty({ type: TillHouseholdResponse }) household!: TillHouseholdResponse;
  @ApiProperty({ type: [QuoteLineResponse] }) lines!: QuoteLineResponse[];
  @ApiProperty() pointsTotal!: number;
  @ApiProperty() balanceAfter!: number;
  @ApiProperty({
    type: [ProblemResponse],
    description: 'problems of the whole cart (household inactive, not enough points, visits)',
  })
  problems!: ProblemResponse[];
  @ApiProperty({ description: 'no problem anywhere: the cart may be checked out' }) ok!: boolean;
}

/**
 * The library's problems are a union of exact shapes (one per code), so the documented classes
 * cannot `implements` them; instead every value the library can answer must fit the documented
 * shape, or this stops compiling.
 */
type Fits<Value, Documented> = [Value] extends [Documented] ? true : never;
export const QUOTE_RESPONSES_FIT: [
  Fits<Problem, ProblemResponse>,
  Fits<QuoteLine, QuoteLineResponse>,
  Fits<Quote, QuoteResponse>,
] = [true, true, true];

export class ExpiringGrantResponse {
  @ApiProperty({ format: 'date' }) expiresOn!: string;
  @ApiProperty() points!: number;
}

export class ExpiringSoonResponse {
  @ApiProperty() points!: number;
  @ApiProperty() withinDays!: number;
  @ApiProperty({ type: [ExpiringGrantResponse] }) grants!: ExpiringGrantResponse[];
}

/** 人次 this month. */
export class VisitsResponse {
  @ApiProperty() used!: number;
  @ApiProperty({ type: Number, nullable: true, description: 'null: the policy sets no limit' })
  allowed!: number | null;
}

export class AllowanceLimitResponse implements AllowanceLimit {
  @ApiProperty({ enum: ['product', 'category'] }) limit!: 'product' | 'category';
  @ApiProperty() id!: number;
  @ApiProperty() name!: string;
  @ApiProperty() used!: number;
  @ApiProperty() allowed!: number;
}

export class AllowanceResponse {
  @ApiProperty({ type: TillHouseholdResponse }) household!: TillHouseholdResponse;
  @ApiProperty({ type: ExpiringSoonResponse }) expiringSoon!: ExpiringSoonResponse;
  @ApiProperty({ example: '2026-03', description: 'the Asia/Shanghai month usage is counted in' })
  month!: string;
  @ApiProperty({ type: VisitsResponse }) visits!: VisitsResponse;
  @ApiProperty({
    type: [AllowanceLimitResponse],
    description: 'limited products and categories already taken from this month',
  })
  limits!: AllowanceLimitResponse[];
  @ApiProperty({
    type: ProblemResponse,
    nullable: true,
    description: 'why no checkout can go through (HOUSEHOLD_INACTIVE); else null',
  })
  refusal!: ProblemResponse | null;
}

export class RedemptionLotResponse {
  @ApiProperty() lotId!: number;
  @ApiProperty() quantity!: number;
  @ApiProperty() unitValueFen!: number;
  @ApiProperty({ type: Number, nullable: true }) donationId!: number | null;
}

export class RedemptionLineResponse implements RedemptionLineView {
  @ApiProperty() lineNo!: number;
  @ApiProperty() productId!: number;
  @ApiProperty() name!: string;
  @ApiProperty() unit!: string;
  @ApiProperty() quantity!: number;
  @ApiProperty() pointPrice!: number;
  @ApiProperty() points!: number;
  @ApiProperty() valueFen!: number;
  @ApiProperty({ type: [RedemptionLotResponse], description: 'the lots it came from (FEFO)' })
  lots!: RedemptionLotResponse[];
}

export class DeliveryResponse {
  @ApiProperty({ type: String, nullable: true }) address!: string | null;
  @ApiProperty({ type: String, nullable: true }) note!: string | null;
  @ApiProperty({ type: String, nullable: true }) receivedBy!: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) deliveredAt!: Date | null;
}

/** 兑换: one checkout. */
export class RedemptionResponse implements RedemptionView {
  @ApiProperty() id!: number;
  @ApiProperty() receiptNo!: string;
  @ApiProperty() storeId!: number;
  @ApiProperty() householdId!: number;
  @ApiProperty() cardNo!: string;
  @ApiProperty() householdName!: string;
  @ApiProperty({ enum: REDEMPTION_STATUSES, enumName: 'RedemptionStatus' })
  status!: RedemptionStatus;
  @ApiProperty({ enum: FULFILMENTS, enumName: 'Fulfilment' }) fulfilment!: Fulfilment;
  @ApiProperty({ type: [RedemptionLineResponse] }) lines!: RedemptionLineResponse[];
  @ApiProperty() pointsTotal!: number;
  @ApiProperty() goodsValueFen!: number;
  @ApiProperty() balanceBefore!: number;
  @ApiProperty() balanceAfter!: number;
  @ApiProperty({ type: String, format: 'date-time' }) occurredAt!: Date;
  @ApiProperty({ format: 'date' }) businessDate!: string;
  @ApiProperty() createdBy!: number;
  @ApiProperty({ type: String, nullable: true }) limitOverrideReason!: string | null;
  @ApiProperty({ type: DeliveryResponse, nullable: true }) delivery!: DeliveryResponse | null;
  @ApiProperty({ type: String, nullable: true }) voidReason!: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) voidedAt!: Date | null;
  @ApiProperty() receiptUrl!: string;
}

export const ALLOWANCE_RESPONSE_FITS: Fits<Allowance, AllowanceResponse> = true;
