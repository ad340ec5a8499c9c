import {
  DONOR_KINDS,
  type DonorKind,
  type HonorBoard,
  type HonorBoardOtherEntry,
  type HonorBoardRankedEntry,
} from '@charity/donations';
import { REGION_LEVELS, type RegionLevel } from '@charity/organisation';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional } from 'class-validator';
import { QueryId, QueryInt } from '../http/number-fields';

export class HonorBoardQueryDto {
  @ApiPropertyOptional({
    minimum: 2000,
    maximum: 2100,
    example: 2026,
    description: 'calendar year of the donations; the current year when left out',
  })
  @IsOptional()
  @QueryInt(2000, 2100)
  year?: number;

  @ApiPropertyOptional({
    description: 'only donations to stores in this county, township (with its villages) or village',
  })
  @IsOptional()
  @QueryId()
  regionId?: number;
}

export class HonorBoardRegion {
  @ApiProperty() id!: number;
  @ApiProperty() name!: string;
  @ApiProperty({ enum: REGION_LEVELS }) level!: RegionLevel;
}

export class HonorBoardRankedDto implements HonorBoardRankedEntry {
  @ApiProperty({ description: 'equal totals share a rank (1, 2, 2, 4)' }) rank!: number;
  @ApiProperty({ example: '张*', description: 'masked for individuals and union members' })
  name!: string;
  @ApiProperty({ enum: DONOR_KINDS, enumName: 'DonorKind' }) kind!: DonorKind;
  @ApiProperty({ description: 'goods and cash of the year, in fen' }) totalValueFen!: number;
  @ApiProperty({ description: 'number of donations in the total' }) donations!: number;
}

export class HonorBoardOtherDto implements HonorBoardOtherEntry {
  @ApiProperty({ example: '白*' }) name!: string;
  @ApiProperty({ enum: DONOR_KINDS, enumName: 'DonorKind' }) kind!: DonorKind;
}

export class HonorBoardResponse implements HonorBoard {
  @ApiProperty() year!: number;
  @ApiProperty({ type: HonorBoardRegion, nullable: true }) region!: HonorBoardRegion | null;
  @ApiProperty({ type: [HonorBoardRankedDto], description: 'the top 50 by value, ties included' })
  ranked!: HonorBoardRankedDto[];
  @ApiProperty({
    type: [HonorBoardOtherDto],
    description: 'every other consenting donor of the year, in pinyin order',
  })
  others!: HonorBoardOtherDto[];
}
