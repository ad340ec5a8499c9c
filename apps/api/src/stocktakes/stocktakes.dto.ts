import { PageQuery } from '@charity/common';
import {
  COUNT_MODES,
  STOCKTAKE_STATUSES,
  type CountMode,
  type StocktakeStatus,
} from '@charity/inventory';
import { ApiProperty, ApiPropertyOptional, OmitType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayNotEmpty,
  IsArray,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';

export class OpenStocktakeRequest {
  @ApiPropertyOptional({ example: '2026 年 11 月月末盘点' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  note?: string;
}

export class CountLineRequest {
  @ApiProperty()
  @IsInt()
  @Min(1)
  productId!: number;

  @ApiProperty({ description: "the count (mode 'set') or what to add to it (mode 'add')" })
  @IsInt()
  @Min(0)
  @Max(1_000_000)
  countedQuantity!: number;
}

export class CountRequest {
  @ApiProperty({ type: [CountLineRequest] })
  @IsArray()
  @ArrayNotEmpty()
  @ArrayMaxSize(500)
  @ValidateNested({ each: true })
  @Type(() => CountLineRequest)
  lines!: CountLineRequest[];

  @ApiPropertyOptional({
    enum: COUNT_MODES,
    default: 'set',
    description: "'set' replaces a product's count; 'add' adds to it (a scan adds 1)",
  })
  @IsOptional()
  @IsIn(COUNT_MODES)
  mode?: CountMode;
}

export class ListStocktakesQuery extends PageQuery {
  @ApiPropertyOptional({ enum: STOCKTAKE_STATUSES })
  @IsOptional()
  @IsIn(STOCKTAKE_STATUSES)
  status?: StocktakeStatus;
}

export class StocktakeLineView {
  @ApiProperty() productId!: number;
  @ApiProperty() name!: string;
  @ApiProperty() unit!: string;
  @ApiProperty() counted!: number;
  @ApiProperty({
    type: Number,
    nullable: true,
    description:
      'on-hand incl. expired lots: live while open, as at finalizing afterwards, null when cancelled',
  })
  system!: number | null;
  @ApiProperty({ type: Number, nullable: true, description: 'counted − system' })
  variance!: number | null;
  @ApiProperty({ type: String, format: 'date-time' }) countedAt!: Date;
}

export class StocktakeSummaryView {
  @ApiProperty() id!: number;
  @ApiProperty() storeId!: number;
  @ApiProperty({ enum: STOCKTAKE_STATUSES }) status!: StocktakeStatus;
  @ApiProperty({ type: String, nullable: true }) note!: string | null;
  @ApiProperty() openedBy!: number;
  @ApiProperty({ type: String, format: 'date-time' }) openedAt!: Date;
  @ApiProperty({ type: Number, nullable: true }) closedBy!: number | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) closedAt!: Date | null;
  @ApiProperty({ description: 'products counted' }) lineCount!: number;
}

export class StocktakeView extends OmitType(StocktakeSummaryView, ['lineCount'] as const) {
  @ApiProperty({ type: [StocktakeLineView] }) lines!: StocktakeLineView[];
  @ApiProperty({
    type: Number,
    nullable: true,
    description:
      'while open: products with stock that nobody has counted; finalizing leaves them untouched',
  })
  uncountedProducts!: number | null;
}

export class StocktakePage {
  @ApiProperty({ type: [StocktakeSummaryView] }) items!: StocktakeSummaryView[];
  @ApiProperty() total!: number;
  @ApiProperty() page!: number;
  @ApiProperty() pageSize!: number;
}
