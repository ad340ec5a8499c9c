import { PageQuery } from '@charity/common';
import { TRANSFER_STATUSES, type TransferStatus } from '@charity/inventory';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import { ArrayOf } from '../http/nested-fields';
import { IsId, IsIntBetween, QueryId } from '../http/number-fields';

export class TransferLineRequest {
  @ApiProperty()
  @IsId()
  productId!: number;

  @ApiProperty({ example: 20, minimum: 1, maximum: 100_000 })
  @IsIntBetween(1, 100_000)
  quantity!: number;
}

export class CreateTransferRequest {
  @ApiProperty({ description: 'the sending store (a store user may send only from their own)' })
  @IsId()
  fromStoreId!: number;

  @ApiProperty({ description: 'any other active store' })
  @IsId()
  toStoreId!: number;

  @ApiProperty({ type: [TransferLineRequest], minItems: 1, maxItems: 200 })
  @ArrayOf(() => TransferLineRequest, { max: 200, notEmpty: true })
  lines!: TransferLineRequest[];

  @ApiPropertyOptional({ example: '县中心仓补货' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  note?: string;
}

export class ListTransfersQuery extends PageQuery {
  @ApiPropertyOptional({ description: 'transfers this store sends or receives' })
  @IsOptional()
  @QueryId()
  storeId?: number;

  @ApiPropertyOptional({ enum: TRANSFER_STATUSES })
  @IsOptional()
  @IsIn(TRANSFER_STATUSES)
  status?: TransferStatus;
}

export class TransferLineView {
  @ApiProperty() productId!: number;
  @ApiProperty() name!: string;
  @ApiProperty() quantity!: number;
  @ApiProperty({ type: String, nullable: true, example: '2027-03-31' }) expiryDate!: string | null;
  @ApiProperty({ description: 'value of one unit in fen, kept from the sender lot' })
  unitValueFen!: number;
  @ApiProperty({ description: "the sender's lot the goods left" }) fromLotId!: number;
  @ApiProperty({ type: Number, nullable: true, description: "the receiver's lot, once received" })
  toLotId!: number | null;
}

export class TransferView {
  @ApiProperty() id!: number;
  @ApiProperty() fromStoreId!: number;
  @ApiProperty() toStoreId!: number;
  @ApiProperty({ enum: TRANSFER_STATUSES, description: 'pending = in transit' })
  status!: TransferStatus;
  @ApiProperty({ type: String, nullable: true }) note!: string | null;
  @ApiProperty({ type: [TransferLineView], description: 'one line per sender lot used' })
  lines!: TransferLineView[];
  @ApiProperty() createdBy!: number;
  @ApiProperty({ type: String, format: 'date-time' }) createdAt!: Date;
  @ApiProperty({ type: Number, nullable: true }) closedBy!: number | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) closedAt!: Date | null;
}

export class TransferPage {
  @ApiProperty({ type: [TransferView] }) items!: TransferView[];
  @ApiProperty() total!: number;
  @ApiProperty() page!: number;
  @ApiProperty() pageSize!: number;
}
