import { PageQuery } from '@charity/common';
import {
  DONOR_KINDS,
  DONOR_PHONE_PATTERN,
  RECEIPT_PREFERENCES,
  type DonorKind,
  type DonorView,
  type ReceiptPreference,
} from '@charity/donations';
import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import {
  IsBoolean,
  IsEmail,
  IsIn,
  IsNotEmpty,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
} from 'class-validator';
import { IsOptionalNotNull, Trim } from '../http/validation';

export class CreateDonorRequest {
  @ApiProperty({ enum: DONOR_KINDS, enumName: 'DonorKind', example: 'company' })
  @IsIn(DONOR_KINDS)
  kind!: DonorKind;

  @ApiProperty({ example: '青山粮油有限公司', maxLength: 100 })
  @Trim()
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  name!: string;

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    example: '13812345678',
    description: 'an 11-digit mobile starting 1, or a landline with area code (0571-87654321)',
  })
  @Trim()
  @IsOptional()
  @IsString()
  @Matches(DONOR_PHONE_PATTERN, {
    message: 'phone must be an 11-digit mobile number or a landline with its area code',
  })
  phone?: string | null;

  @ApiPropertyOptional({ type: String, nullable: true, example: 'juanzeng@example.com' })
  @Trim()
  @IsOptional()
  @IsEmail()
  @MaxLength(100)
  email?: string | null;

  @ApiPropertyOptional({ type: String, nullable: true, maxLength: 200 })
  @Trim()
  @IsOptional()
  @IsString()
  @MaxLength(200)
  address?: string | null;

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    example: '91350100M000100Y43',
    description:
      '统一社会信用代码, companies and organisations only; 18 characters with a valid check character (422 INVALID_CREDIT_CODE otherwise), unique (409 DUPLICATE)',
  })
  @IsOptional()
  @IsString()
  // a wrong length still reaches the code check, which says what is wrong with it
  @MaxLength(64)
  creditCode?: string | null;

  @ApiPropertyOptional({ default: false, description: 'may appear on the public 荣誉榜' })
  @IsOptionalNotNull()
  @IsBoolean()
  honorConsent?: boolean;

  @ApiPropertyOptional({ enum: RECEIPT_PREFERENCES, default: 'per_donation' })
  @IsOptionalNotNull()
  @IsIn(RECEIPT_PREFERENCES)
  receiptPreference?: ReceiptPreference;
}

/**
 * Every field optional. Only the contact fields and `creditCode` may be null (cleared); a null
 * anywhere else gets a 400 instead of reaching a NOT NULL column.
 */
export class UpdateDonorRequest extends PartialType(CreateDonorRequest, {
  skipNullProperties: false,
}) {}

export class ListDonorsQuery extends PageQuery {
  @ApiPropertyOptional({
    description: 'part of the name, a whole phone number, or its last four digits',
  })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  search?: string;

  @ApiPropertyOptional({ enum: DONOR_KINDS, enumName: 'DonorKind' })
  @IsOptional()
  @IsIn(DONOR_KINDS)
  kind?: DonorKind;
}

/** A person's name, phone, email and address come masked to everyone but a county admin. */
export class DonorResponse implements DonorView {
  @ApiProperty() id!: number;
  @ApiProperty({ enum: DONOR_KINDS, enumName: 'DonorKind' }) kind!: DonorKind;
  @ApiProperty({ example: '张*' }) name!: string;
  @ApiProperty({ type: String, nullable: true, example: '138****5678' }) phone!: string | null;
  @ApiProperty({ type: String, nullable: true }) email!: string | null;
  @ApiProperty({ type: String, nullable: true }) address!: string | null;
  @ApiProperty({ type: String, nullable: true }) creditCode!: string | null;
  @ApiProperty() honorConsent!: boolean;
  @ApiProperty({ enum: RECEIPT_PREFERENCES }) receiptPreference!: ReceiptPreference;
  @ApiProperty({ description: 'true when name and contact data are masked' }) masked!: boolean;
  @ApiProperty({ type: String, format: 'date-time' }) createdAt!: Date;
  @ApiProperty({ type: String, format: 'date-time' }) updatedAt!: Date;
}
