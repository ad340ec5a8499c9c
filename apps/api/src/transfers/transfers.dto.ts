import { PageQuery } from '@charity/common';
import { TRANSFER_STATUSES, type TransferStatus } from '@charity/inventory';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
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

export class TransferLineRequest {
  @ApiProperty()
  @IsInt()
  @Min(1)
  productId!: number;

  @ApiProperty({ example: 20 })
  @IsInt()
  @Min(1)
  @Max(100_000)
  quantity!: number;
}

export class CreateTransferRequest {
  @ApiProperty({ description: 'the sending store (a store user may send only from their own)' })
  @IsInt()
  @Min(1)
  fromStoreId!: number;

  @ApiProperty({ description: 'any other active store' })
  @IsInt()
  @Min(1)
  toStoreId!: number;

  @ApiProperty({ type: [TransferLineRequest] })
  @IsArray()
  @ArrayNotEmpty()
  @ArrayMaxSize(200)
  @ValidateNested({ each: true })
  @Type(() => TransferLineRequest)
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
  @Type(() => Number)
  @IsInt()
  @Min(1)
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
