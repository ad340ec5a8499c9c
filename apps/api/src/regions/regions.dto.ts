import { REGION_LEVELS, type Region, type RegionLevel } from '@charity/organisation';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsNotEmpty, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { IsId, QueryId } from '../http/number-fields';
import { Trim } from '../http/validation';

export class CreateRegionRequest {
  @ApiProperty({ example: '城关镇' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(60)
  @Trim()
  name!: string;

  @ApiProperty({ enum: REGION_LEVELS })
  @IsIn(REGION_LEVELS)
  level!: RegionLevel;

  @ApiPropertyOptional({ type: Number, nullable: true, description: 'required below county level' })
  @IsOptional()
  @IsId()
  parentId?: number | null;

  @ApiPropertyOptional({ example: '410523100', description: '行政区划代码' })
  @IsOptional()
  @Matches(/^\d{6,12}$/, { message: 'code must be 6-12 digits' })
  code?: string;
}

export class ListRegionsQuery {
  @ApiPropertyOptional({ enum: REGION_LEVELS })
  @IsOptional()
  @IsIn(REGION_LEVELS)
  level?: RegionLevel;

  @ApiPropertyOptional()
  @IsOptional()
  @QueryId()
  parentId?: number;
}

export class RegionView {
  @ApiProperty() id!: number;
  @ApiProperty() name!: string;
  @ApiProperty({ enum: REGION_LEVELS }) level!: RegionLevel;
  @ApiProperty({ type: Number, nullable: true }) parentId!: number | null;
  @ApiProperty({ type: String, nullable: true }) code!: string | null;

  static of(region: Region): RegionView {
    const { id, name, level, parentId, code } = region;
    return { id, name, level, parentId, code };
  }
}
