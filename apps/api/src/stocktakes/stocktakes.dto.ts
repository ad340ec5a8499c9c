import { PageQuery } from '@charity/common';
import {
  COUNT_MODES,
  MAX_COUNTED_QUANTITY,
  STOCKTAKE_STATUSES,
  type CountMode,
  type StocktakeStatus,
} from '@charity/inventory';
import { ApiProperty, ApiPropertyOptional, OmitType } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import { ArrayOf } from '../http/nested-fields';
import { IsId, IsIntBetween } from '../http/number-fields';

export class OpenStocktakeRequest {
  @ApiPropertyOptional({ example: '2026 年 11 月月末盘点' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  note?: string;
}

export class CountLineRequest {
  @ApiProperty()
  @IsId()
  productId!: number;

  @ApiProperty({
    minimum: 0,
    maximum: MAX_COUNTED_QUANTITY,
    description: "the count (mode 'set') or what to add to it (mode 'add')",
  })
  @IsIntBetween(0, MAX_COUNTED_QUANTITY)
  countedQuantity!: number;
}

export class CountRequest {
  @ApiProperty({ type: [CountLineRequest], minItems: 1, maxItems: 500 })
  @ArrayOf(() => CountLineRequest, { max: 500, notEmpty: true })
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
