import { PageQuery } from '@charity/common';
import {
  DONATION_STATUSES,
  DONOR_KINDS,
  type DonationStatus,
  type DonorKind,
} from '@charity/donations';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Matches, MaxLength, MinLength } from 'class-validator';
import { CreateDonorRequest } from '../donors/donors.dto';
import { IsDateOnly } from '../http/date-fields';
import { ArrayOf, NestedObject } from '../http/nested-fields';
import { IsId, IsIntBetween, MAX_UNIT_VALUE_FEN, QueryId } from '../http/number-fields';
import { IsMonth, IsOptionalNotNull, Trim } from '../http/validation';
import { CreateProductRequest } from '../products/products.dto';

export class IntakeLineRequest {
  @ApiPropertyOptional({ description: 'give one of productId, barcode or product' })
  @IsOptionalNotNull()
  @IsId()
  productId?: number;

  @ApiPropertyOptional({
    description: 'a scanned barcode or internal code',
    example: '6901234567892',
  })
  @IsOptionalNotNull()
  @IsString()
  @MinLength(1)
  @MaxLength(48)
  barcode?: string;

  @ApiPropertyOptional({ type: CreateProductRequest, description: 'new goods registered inline' })
  @IsOptionalNotNull()
  @NestedObject(() => CreateProductRequest)
  product?: CreateProductRequest;

  @ApiProperty({ example: 2, minimum: 1, maximum: 100_000 })
  @IsIntBetween(1, 100_000)
  quantity!: number;

  @ApiPropertyOptional({
    description: 'scan once, "×20": quantity is multiplied by it',
    example: 20,
    minimum: 1,
    maximum: 1000,
  })
  @IsOptional()
  @IsIntBetween(1, 1000)
  multiplier?: number;

  @ApiPropertyOptional({
    minimum: 0,
    maximum: MAX_UNIT_VALUE_FEN,
    description: 'value of one unit in fen; defaults to the reference value',
  })
  @IsOptional()
  @IsIntBetween(0, MAX_UNIT_VALUE_FEN)
  unitValueFen?: number;

  @ApiPropertyOptional({ example: '2027-06-30' })
  @IsOptional()
  @IsDateOnly()
  expiryDate?: string;
}

export class CreateDonationRequest {
  @ApiProperty()
  @IsId()
  storeId!: number;

  @ApiPropertyOptional({ description: 'an existing donor; or give `donor` to register one' })
  @IsOptionalNotNull()
  @IsId()
  donorId?: number;

  @ApiPropertyOptional({ type: CreateDonorRequest })
  @IsOptionalNotNull()
  @NestedObject(() => CreateDonorRequest)
  donor?: CreateDonorRequest;

  @ApiPropertyOptional({ description: 'local date the goods arrived; default today' })
  @IsOptional()
  @IsDateOnly()
  receivedDate?: string;

  @ApiPropertyOptional({ type: [IntakeLineRequest], maxItems: 200 })
  @IsOptional()
  @ArrayOf(() => IntakeLineRequest, { max: 200, notEmpty: false })
  lines?: IntakeLineRequest[];

  @ApiPropertyOptional({
    minimum: 0,
    maximum: 100_000_000_000,
    description: 'cash donated, in fen',
  })
  @IsOptional()
  @IsIntBetween(0, 100_000_000_000)
  cashFen?: number;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(200)
  @Trim()
  note?: string;
}

export class VoidDonationRequest {
  @ApiProperty({ example: '登记错误，重复录入' })
  @IsString()
  @MinLength(2)
  @MaxLength(200)
  @Trim()
  reason!: string;
}

export class ListDonationsQuery extends PageQuery {
  @ApiPropertyOptional() @IsOptional() @QueryId() storeId?: number;
  @ApiPropertyOptional() @IsOptional() @QueryId() donorId?: number;

  @ApiPropertyOptional({ example: '2026-11' })
  @IsOptional()
  @IsMonth()
  month?: string;

  @ApiPropertyOptional({ enum: DONOR_KINDS, enumName: 'DonorKind', description: 'the donor kind' })
  @IsOptional()
  @IsIn(DONOR_KINDS)
  kind?: DonorKind;

  @ApiPropertyOptional({ enum: DONATION_STATUSES, enumName: 'DonationStatus' })
  @IsOptional()
  @IsIn(DONATION_STATUSES)
  status?: DonationStatus;
}

export class VerifyReceiptQuery {
  @ApiProperty({ description: 'the code printed in the receipt QR link' })
  @IsString()
  @Matches(/^[A-Za-z0-9_-]{1,64}$/, { message: 'code must be the code from the receipt link' })
  code!: string;
}
