import { PageQuery } from '@charity/common';
import type { Store, StoreDirectoryEntry } from '@charity/organisation';
import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { IsBoolean, IsNotEmpty, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { IsId, QueryId } from '../http/number-fields';
import { BooleanFromText, IsOptionalNotNull, Trim } from '../http/validation';

const STORE_CODE = /^[A-Z0-9]{2,10}$/;
const STORE_CODE_RULE = { message: 'code must be 2-10 capital letters or digits' };

export class CreateStoreRequest {
  @ApiProperty({ example: 'QS05', description: 'printed in receipt numbers' })
  @Matches(STORE_CODE, STORE_CODE_RULE)
  code!: string;

  @ApiProperty({ example: '河东村爱心超市' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(80)
  @Trim()
  name!: string;

  @ApiProperty({ description: 'a township or village' })
  @IsId()
  regionId!: number;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(200)
  @Trim()
  address?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @Matches(/^[0-9+\- ]{5,30}$/, { message: 'phone must be 5-30 digits, spaces, + or -' })
  phone?: string;
}

/**
 * Every field optional; a store manager may send only `address` and `phone`. Only those two may be
 * null (cleared): a null code, name or region gets a 400 instead of reaching a NOT NULL column.
 */
export class UpdateStoreRequest extends PartialType(CreateStoreRequest, {
  skipNullProperties: false,
}) {
  @ApiPropertyOptional({ description: 'false closes the store (county_admin only)' })
  @IsOptionalNotNull()
  @IsBoolean()
  active?: boolean;
}

export class ListStoresQuery extends PageQuery {
  @ApiPropertyOptional({ description: 'stores in this region or below it' })
  @IsOptional()
  @QueryId()
  regionId?: number;

  @ApiPropertyOptional()
  @IsOptional()
  @BooleanFromText()
  @IsBoolean()
  active?: boolean;
}

export class StoreView {
  @ApiProperty() id!: number;
  @ApiProperty() code!: string;
  @ApiProperty() name!: string;
  @ApiProperty() regionId!: number;
  @ApiProperty({ type: String, nullable: true }) address!: string | null;
  @ApiProperty({ type: String, nullable: true }) phone!: string | null;
  @ApiProperty() active!: boolean;
  @ApiProperty({ type: String, format: 'date-time' }) createdAt!: Date;
  @ApiProperty({ type: String, format: 'date-time' }) updatedAt!: Date;

  static of(store: Store): StoreView {
    const { id, code, name, regionId, address, phone, active, createdAt, updatedAt } = store;
    return { id, code, name, regionId, address, phone, active, createdAt, updatedAt };
  }
}

/** What a store picker needs of every store the user may see. */
export class StoreDirectoryEntryView implements StoreDirectoryEntry {
  @ApiProperty() id!: number;
  @ApiProperty() code!: string;
  @ApiProperty() name!: string;
  @ApiProperty() regionId!: number;
}
