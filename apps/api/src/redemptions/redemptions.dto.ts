import { IntegerFromText, PageQuery } from '@charity/common';
import {
  FULFILMENTS,
  MAX_CART_LINES,
  REDEMPTION_STATUSES,
  type Fulfilment,
  type RedemptionStatus,
} from '@charity/redemptions';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsNotEmpty, IsOptional, IsString, MaxLength, ValidateIf } from 'class-validator';
import { IsInstant } from '../http/date-fields';
import { ArrayOf } from '../http/nested-fields';
import { IsId, IsIntBetween, QueryId } from '../http/number-fields';
import { IsMonth, IsOptionalNotNull, Trim } from '../http/validation';

export class CartLineRequest {
  @ApiPropertyOptional({ description: 'give productId or barcode (a barcode or internal code)' })
  @ValidateIf((o: CartLineRequest) => o.barcode === undefined)
  @IsId()
  productId?: number;

  @ApiPropertyOptional({ example: '6901234567892' })
  @ValidateIf((o: CartLineRequest) => o.productId === undefined)
  @Trim()
  @IsString()
  @IsNotEmpty()
  @MaxLength(48)
  barcode?: string;

  @ApiProperty({ minimum: 1, maximum: 1000, example: 1 })
  @IsIntBetween(1, 1000)
  quantity!: number;
}

export class CartRequest {
  @ApiProperty()
  @IsId()
  storeId!: number;

  @ApiProperty({ example: 'H4819302756', description: 'as scanned or typed' })
  @Trim()
  @IsString()
  @IsNotEmpty()
  @MaxLength(20)
  cardNo!: string;

  @ApiProperty({
    type: [CartLineRequest],
    minItems: 1,
    maxItems: MAX_CART_LINES,
    description: `1-${MAX_CART_LINES} lines; lines of one product are merged`,
  })
  @ArrayOf(() => CartLineRequest, { max: MAX_CART_LINES, notEmpty: true })
  lines!: CartLineRequest[];

  @ApiPropertyOptional({
    enum: FULFILMENTS,
    enumName: 'Fulfilment',
    default: 'pickup',
    description: 'delivery: 上门服务',
  })
  @IsOptionalNotNull()
  @IsIn(FULFILMENTS)
  fulfilment?: Fulfilment;

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    maxLength: 200,
    description: "for a delivery; default the household's registered address",
  })
  @Trim()
  @IsOptional()
  @IsString()
  @MaxLength(200)
  deliveryAddress?: string | null;

  @ApiPropertyOptional({ type: String, nullable: true, maxLength: 200 })
  @Trim()
  @IsOptional()
  @IsString()
  @MaxLength(200)
  deliveryNote?: string | null;

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    maxLength: 200,
    description: 'store manager or county admin: let this one checkout past its limits, recorded',
  })
  @Trim()
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  limitOverrideReason?: string | null;
}

export class ReasonRequest {
  @ApiProperty({ maxLength: 200, example: '扫错商品' })
  @Trim()
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  reason!: string;
}

export class DeliveredRequest {
  @ApiProperty({ maxLength: 50, example: '王秀英', description: 'who took the goods at the door' })
  @Trim()
  @IsString()
  @IsNotEmpty()
  @MaxLength(50)
  receivedBy!: string;

  @ApiPropertyOptional({ type: String, format: 'date-time', description: 'default now' })
  @IsOptional()
  @IsInstant()
  deliveredAt?: string;
}

export class ListRedemptionsQuery extends PageQuery {
  @ApiPropertyOptional() @IsOptional() @QueryId() storeId?: number;
  @ApiPropertyOptional() @IsOptional() @QueryId() householdId?: number;

  @ApiPropertyOptional({ example: '2026-11' })
  @IsOptional()
  @IsMonth()
  month?: string;

  @ApiPropertyOptional({ enum: REDEMPTION_STATUSES, enumName: 'RedemptionStatus' })
  @IsOptional()
  @IsIn(REDEMPTION_STATUSES)
  status?: RedemptionStatus;
}

export class ListDeliveriesQuery extends PageQuery {
  @ApiPropertyOptional() @IsOptional() @QueryId() storeId?: number;

  @ApiPropertyOptional({
    enum: REDEMPTION_STATUSES,
    enumName: 'RedemptionStatus',
    default: 'awaiting_delivery',
  })
  @IsOptional()
  @IsIn(REDEMPTION_STATUSES)
  status?: RedemptionStatus;
}

export class ReceiptQuery {
  @ApiPropertyOptional({ enum: [80, 58], default: 80, description: 'thermal paper width in mm' })
  @IsOptional()
  @IntegerFromText()
  @IsIn([80, 58])
  width?: 80 | 58;
}
