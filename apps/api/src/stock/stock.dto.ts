import { PageQuery } from '@charity/common';
import {
  ADJUSTMENT_REASONS,
  LOT_SOURCES,
  MOVEMENT_DOCUMENT_KINDS,
  MOVEMENT_KINDS,
  type AdjustmentReason,
  type AdjustmentResult,
  type DocumentedMovement,
  type ExpiryBucket,
  type MovementDocumentKind,
  type LotSource,
  type MovementKind,
  type StockAlerts,
} from '@charity/inventory';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, MaxLength, NotEquals } from 'class-validator';
import { IsDateOnly } from '../http/date-fields';
import { IsId, IsIntBetween, MAX_UNIT_VALUE_FEN, QueryId } from '../http/number-fields';

export class StockAdjustmentRequest {
  @ApiProperty()
  @IsId()
  productId!: number;

  @ApiProperty({
    description: 'signed: negative removes goods, positive adds a lot',
    example: -2,
    minimum: -100_000,
    maximum: 100_000,
  })
  @IsIntBetween(-100_000, 100_000)
  @NotEquals(0)
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
  @IsId()
  lotId?: number;

  @ApiPropertyOptional({ description: 'for added goods: YYYY-MM-DD' })
  @IsOptional()
  @IsDateOnly()
  expiryDate?: string;

  @ApiPropertyOptional({
    minimum: 0,
    maximum: MAX_UNIT_VALUE_FEN,
    description: 'for added goods: value of one unit in fen',
  })
  @IsOptional()
  @IsIntBetween(0, MAX_UNIT_VALUE_FEN)
  unitValueFen?: number;
}

export class ListMovementsQuery extends PageQuery {
  @ApiPropertyOptional()
  @IsOptional()
  @QueryId()
  productId?: number;

  @ApiPropertyOptional({ enum: MOVEMENT_KINDS })
  @IsOptional()
  @IsIn(MOVEMENT_KINDS)
  kind?: MovementKind;

  @ApiPropertyOptional({ description: 'local business date YYYY-MM-DD, inclusive' })
  @IsOptional()
  @IsDateOnly()
  from?: string;

  @ApiPropertyOptional({ description: 'local business date YYYY-MM-DD, inclusive' })
  @IsOptional()
  @IsDateOnly()
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

/** The paper behind a movement (单据), as people know it. */
export class MovementDocumentDto {
  @ApiProperty({ enum: MOVEMENT_DOCUMENT_KINDS }) kind!: MovementDocumentKind;
  @ApiProperty({
    type: Number,
    nullable: true,
    description: 'the donation, redemption, transfer or stocktake id; null for adjustments',
  })
  id!: number | null;
  @ApiProperty({
    type: String,
    nullable: true,
    example: 'DH-QS01-2026-000083',
    description: 'receipt number (JZ-… / DH-…), transfer or stocktake id, expiry date; else null',
  })
  number!: string | null;
  @ApiProperty({ type: Number, nullable: true, description: 'for till receipts: whose they are' })
  householdId!: number | null;
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
  @ApiProperty({ type: MovementDocumentDto, nullable: true })
  document!: MovementDocumentDto | null;

  static of(movement: DocumentedMovement): StockMovementView {
    return {
      ...movement,
      id: Number(movement.id),
      reversesMovementId:
        movement.reversesMovementId === null ? null : Number(movement.reversesMovementId),
    };
  }
}

// every bucket, and only those: a key missing from or added to ExpiryBucket is a type error
const EXPIRY_BUCKETS = Object.keys({
  expired: 0,
  within30: 0,
  within60: 0,
  within90: 0,
} satisfies Record<ExpiryBucket, 0>);

export class LowStockAlert {
  @ApiProperty() productId!: number;
  @ApiProperty() name!: string;
  @ApiProperty() available!: number;
  @ApiProperty({ description: "the product's low-stock threshold" }) threshold!: number;
}

export class ExpiringLotAlert {
  @ApiProperty() lotId!: number;
  @ApiProperty() productId!: number;
  @ApiProperty() name!: string;
  @ApiProperty() quantity!: number;
  @ApiProperty({ format: 'date' }) expiryDate!: string;
  @ApiProperty({ description: 'negative once expired' }) daysLeft!: number;
  @ApiProperty({ enum: EXPIRY_BUCKETS }) bucket!: ExpiryBucket;
}

export class StockAlertsView implements StockAlerts {
  @ApiProperty({ type: [LowStockAlert] }) lowStock!: LowStockAlert[];
  @ApiProperty({ type: [ExpiringLotAlert], description: 'expired or expiring within 90 days' })
  expiring!: ExpiringLotAlert[];
}

export class AdjustedLot {
  @ApiProperty() lotId!: number;
  @ApiProperty({ description: 'signed' }) quantity!: number;
}

export class AdjustmentView implements AdjustmentResult {
  @ApiProperty({ description: 'the movement id (a bigint, as a string)' }) id!: string;
  @ApiProperty() storeId!: number;
  @ApiProperty() productId!: number;
  @ApiProperty({ description: 'signed' }) quantity!: number;
  @ApiProperty({ enum: ADJUSTMENT_REASONS }) reason!: AdjustmentReason;
  @ApiProperty({ type: [AdjustedLot] }) lots!: AdjustedLot[];
  @ApiProperty({ description: 'units of the product on hand after the adjustment' })
  onHand!: number;
}
