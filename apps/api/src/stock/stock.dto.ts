import { PageQuery } from '@charity/common';
import {
  ADJUSTMENT_REASONS,
  LOT_SOURCES,
  MOVEMENT_KINDS,
  type AdjustmentReason,
  type LotSource,
  type MovementKind,
  type StockMovement,
} from '@charity/inventory';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsIn,
  IsInt,
  IsISO8601,
  IsOptional,
  IsString,
  Max,
  MaxLength,
  Min,
  NotEquals,
} from 'class-validator';
import { DATE_ONLY } from '../http/validation';

export class StockAdjustmentRequest {
  @ApiProperty()
  @IsInt()
  @Min(1)
  productId!: number;

  @ApiProperty({ description: 'signed: negative removes goods, positive adds a lot', example: -2 })
  @IsInt()
  @NotEquals(0)
  @Min(-100_000)
  @Max(100_000)
  quantity!: number;

  @ApiProperty({ enum: ADJUSTMENT_REASONS })
  @IsIn(ADJUSTMENT_REASONS)
  reason!: AdjustmentReason;

  @ApiPropertyOptional({ example: '搬运时包装破损' })
  @IsOptional()
  @IsString()
  @MaxLength(150)
  note?: string;

  @ApiPropertyOptional({ description: 'remove from this lot only' })
  @IsOptional()
  @IsInt()
  @Min(1)
  lotId?: number;

  @ApiPropertyOptional({ description: 'for added goods: YYYY-MM-DD' })
  @IsOptional()
  @IsISO8601(DATE_ONLY)
  expiryDate?: string;

  @ApiPropertyOptional({ description: 'for added goods: value of one unit in fen' })
  @IsOptional()
  @IsInt()
  @Min(0)
  unitValueFen?: number;
}

export class ListMovementsQuery extends PageQuery {
  @ApiPropertyOptional()
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  productId?: number;

  @ApiPropertyOptional({ enum: MOVEMENT_KINDS })
  @IsOptional()
  @IsIn(MOVEMENT_KINDS)
  kind?: MovementKind;

  @ApiPropertyOptional({ description: 'local business date YYYY-MM-DD, inclusive' })
  @IsOptional()
  @IsISO8601(DATE_ONLY)
  from?: string;

  @ApiPropertyOptional({ description: 'local business date YYYY-MM-DD, inclusive' })
  @IsOptional()
  @IsISO8601(DATE_ONLY)
  to?: string;
}

export class LotViewDto {
  @ApiProperty() lotId!: number;
  @ApiProperty() quantity!: number;
  @ApiProperty({ type: String, nullable: true, example: '2027-03-31' }) expiryDate!: string | null;
  @ApiProperty() expired!: boolean;
  @ApiProperty() unitValueFen!: number;
  @ApiProperty({ enum: LOT_SOURCES }) source!: LotSource;
  @ApiProperty({ type: String, format: 'date-time' }) receivedAt!: Date;
}

export class StockLevelView {
  @ApiProperty() productId!: number;
  @ApiProperty() name!: string;
  @ApiProperty() unit!: string;
  @ApiProperty({ type: String, nullable: true }) category!: string | null;
  @ApiProperty({ description: 'all goods in the store, expired lots included' }) onHand!: number;
  @ApiProperty({ description: 'goods that may still be handed out' }) available!: number;
  @ApiProperty({ description: 'onHand at the reference value' }) valueFen!: number;
  @ApiProperty() lowStockThreshold!: number;
  @ApiProperty({ type: [LotViewDto] }) lots!: LotViewDto[];
}

export class StockMovementView {
  @ApiProperty() id!: number;
  @ApiProperty() storeId!: number;
  @ApiProperty() productId!: number;
  @ApiProperty() lotId!: number;
  @ApiProperty({ enum: MOVEMENT_KINDS }) kind!: MovementKind;
  @ApiProperty() quantity!: number;
  @ApiProperty({ type: Number, nullable: true }) actorId!: number | null;
  @ApiProperty() refType!: string;
  @ApiProperty() refId!: string;
  @ApiProperty({ type: Number, nullable: true }) reversesMovementId!: number | null;
  @ApiProperty({ type: String, nullable: true }) note!: string | null;
  @ApiProperty({ type: String, format: 'date-time' }) occurredAt!: Date;
  @ApiProperty({ example: '2026-11-22' }) businessDate!: string;

  static of(movement: StockMovement): StockMovementView {
    return {
      ...movement,
      id: Number(movement.id),
      reversesMovementId:
        movement.reversesMovementId === null ? null : Number(movement.reversesMovementId),
    };
  }
}
