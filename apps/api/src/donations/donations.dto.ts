import { PageQuery } from '@charity/common';
import {
  DONATION_STATUSES,
  DONOR_KINDS,
  type DonationStatus,
  type DonorKind,
} from '@charity/donations';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsInt,
  IsISO8601,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { CreateDonorRequest } from '../donors/donors.dto';
import { DATE_ONLY, IsMonth, Trim } from '../http/validation';
import { CreateProductRequest } from '../products/products.dto';

export class IntakeLineRequest {
  @ApiPropertyOptional({ description: 'give one of productId, barcode or product' })
  @IsOptional()
  @IsInt()
  @Min(1)
  productId?: number;

  @ApiPropertyOptional({
    description: 'a scanned barcode or internal code',
    example: '6901234567892',
  })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(48)
  barcode?: string;

  @ApiPropertyOptional({ type: CreateProductRequest, description: 'new goods registered inline' })
  @IsOptional()
  @ValidateNested()
  @Type(() => CreateProductRequest)
  product?: CreateProductRequest;

  @ApiProperty({ example: 2 })
  @IsInt()
  @Min(1)
  @Max(100_000)
  quantity!: number;

  @ApiPropertyOptional({
    description: 'scan once, "×20": quantity is multiplied by it',
    example: 20,
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(1000)
  multiplier?: number;

  @ApiPropertyOptional({ description: 'value of one unit in fen; defaults to the reference value' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(100_000_000)
  unitValueFen?: number;

  @ApiPropertyOptional({ example: '2027-06-30' })
  @IsOptional()
  @IsISO8601(DATE_ONLY)
  expiryDate?: string;
}

export class CreateDonationRequest {
  @ApiProperty()
  @IsInt()
  @Min(1)
  storeId!: number;

  @ApiPropertyOptional({ description: 'an existing donor; or give `donor` to register one' })
  @IsOptional()
  @IsInt()
  @Min(1)
  donorId?: number;

  @ApiPropertyOptional({ type: CreateDonorRequest })
  @IsOptional()
  @ValidateNested()
  @Type(() => CreateDonorRequest)
  donor?: CreateDonorRequest;

  @ApiPropertyOptional({ description: 'local date the goods arrived; default today' })
  @IsOptional()
  @IsISO8601(DATE_ONLY)
  receivedDate?: string;

  @ApiPropertyOptional({ type: [IntakeLineRequest] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(200)
  @ValidateNested({ each: true })
  @Type(() => IntakeLineRequest)
  lines?: IntakeLineRequest[];

  @ApiPropertyOptional({ description: 'cash donated, in fen' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(100_000_000_000)
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
  @ApiPropertyOptional() @IsOptional() @Type(() => Number) @IsInt() @Min(1) storeId?: number;
  @ApiPropertyOptional() @IsOptional() @Type(() => Number) @IsInt() @Min(1) donorId?: number;

  @ApiPropertyOptional({ example: '2026-11' })
  @IsOptional()
  @IsMonth()
  month?: string;

  @ApiPropertyOptional({ enum: DONOR_KINDS, description: 'the donor kind' })
  @IsOptional()
  @IsIn(DONOR_KINDS)
  kind?: DonorKind;

  @ApiPropertyOptional({ enum: DONATION_STATUSES })
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
