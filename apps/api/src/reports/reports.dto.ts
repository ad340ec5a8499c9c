import { PageQuery } from '@charity/common';
import { EXPORT_FORMATS, EXPORT_KINDS, type ExportFormat, type ExportKind } from '@charity/reports';
import { ApiProperty, ApiPropertyOptional, IntersectionType } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, MaxLength, MinLength } from 'class-validator';
import { IsId, QueryId, QueryInt } from '../http/number-fields';
import { IsMonth, Trim } from '../http/validation';

/** A month and, optionally, the region or store it covers (nothing: everything one may see). */
export class ReportScopeQuery {
  @ApiProperty({ example: '2026-10', description: 'Asia/Shanghai calendar month' })
  @IsMonth()
  month!: string;

  @ApiPropertyOptional({ description: 'A county, township or village region' })
  @IsOptional()
  @QueryId()
  regionId?: number;

  @ApiPropertyOptional({ description: 'A single store' })
  @IsOptional()
  @QueryId()
  storeId?: number;
}

/** A month's register for a scope, a page at a time. */
export class RegisterQuery extends IntersectionType(PageQuery, ReportScopeQuery) {}

export class ExportRequestBody {
  @ApiProperty({ enum: EXPORT_KINDS, example: 'monthly' })
  @IsIn(['monthly'])
  kind!: ExportKind;

  @ApiProperty({ example: '2026-10' })
  @IsMonth()
  month!: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsId()
  regionId?: number;

  @ApiPropertyOptional()
  @IsOptional()
  @IsId()
  storeId?: number;

  @ApiProperty({ enum: EXPORT_FORMATS, example: 'pdf' })
  @IsIn(EXPORT_FORMATS)
  format!: ExportFormat;
}

export class MonthParams {
  @ApiProperty({ example: '2026-10' })
  @IsMonth()
  month!: string;
}

export class YearQuery {
  @ApiProperty({ example: 2026, minimum: 2000, maximum: 2100 })
  @QueryInt(2000, 2100)
  year!: number;
}

export class ReopenRequest {
  @ApiProperty({ example: '补录上月漏登的捐赠', minLength: 2, maxLength: 200 })
  @Trim()
  @IsString()
  @MinLength(2)
  @MaxLength(200)
  reason!: string;
}
