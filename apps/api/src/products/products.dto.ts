import { PageQuery } from '@charity/common';
import { MAX_BARCODE_LENGTH, type CatalogueProduct } from '@charity/inventory';
import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { IsBoolean, IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';
import { IsId, IsIntBetween, MAX_UNIT_VALUE_FEN, QueryId, QueryInt } from '../http/number-fields';
import { BooleanFromText, IsOptionalNotNull, Trim } from '../http/validation';

/** Far above any real price, below the unsigned INT columns, so no input overflows into a 500. */
const MAX_POINTS = 1_000_000;
const MAX_COUNT = 1_000_000;

export class CreateProductRequest {
  @ApiProperty({ example: '东北大米 5kg', maxLength: 80 })
  @Trim()
  @IsString()
  @IsNotEmpty()
  @MaxLength(80)
  name!: string;

  @ApiPropertyOptional({
    example: '粮油',
    description: 'a category name from /product-categories; give this or categoryId',
  })
  @Trim()
  @IsOptionalNotNull()
  @IsString()
  @IsNotEmpty()
  @MaxLength(30)
  category?: string;

  @ApiPropertyOptional({ description: 'give this or category' })
  @IsOptionalNotNull()
  @IsId()
  categoryId?: number;

  @ApiProperty({ example: '袋', maxLength: 10 })
  @Trim()
  @IsString()
  @IsNotEmpty()
  @MaxLength(10)
  unit!: string;

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    example: '6901234567892',
    description: `EAN-13 or EAN-8 with a correct check digit, or Code 128 (1-${MAX_BARCODE_LENGTH} printable ASCII); unique`,
  })
  @IsOptional()
  @IsString()
  // longer codes still reach the barcode check, which says what is wrong with them
  @MaxLength(200)
  barcode?: string | null;

  @ApiProperty({
    example: 45,
    minimum: 0,
    maximum: MAX_POINTS,
    description: 'integer points per unit',
  })
  @IsIntBetween(0, MAX_POINTS)
  pointPrice!: number;

  @ApiProperty({
    example: 4500,
    minimum: 0,
    maximum: MAX_UNIT_VALUE_FEN,
    description: 'reference value of one unit in fen',
  })
  @IsIntBetween(0, MAX_UNIT_VALUE_FEN)
  unitValueFen!: number;

  @ApiPropertyOptional({
    type: Number,
    nullable: true,
    example: 2,
    minimum: 1,
    maximum: MAX_COUNT,
    description: 'null: no limit',
  })
  @IsOptional()
  @IsIntBetween(1, MAX_COUNT)
  monthlyLimitPerHousehold?: number | null;

  @ApiPropertyOptional({ default: 0, minimum: 0, maximum: MAX_COUNT })
  @IsOptionalNotNull()
  @IsIntBetween(0, MAX_COUNT)
  lowStockThreshold?: number;

  @ApiPropertyOptional({ default: true })
  @IsOptionalNotNull()
  @IsBoolean()
  active?: boolean;
}

/**
 * Every field optional. Only `barcode` and `monthlyLimitPerHousehold` may be null (cleared); a
 * null anywhere else gets a 400 instead of reaching a NOT NULL column.
 */
export class UpdateProductRequest extends PartialType(CreateProductRequest, {
  skipNullProperties: false,
}) {}

export class ListProductsQuery extends PageQuery {
  @ApiPropertyOptional({ description: 'part of the name, or a whole barcode or internal code' })
  @IsOptional()
  @IsString()
  @MaxLength(80)
  search?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @QueryId()
  categoryId?: number;

  @ApiPropertyOptional()
  @IsOptional()
  @BooleanFromText()
  @IsBoolean()
  active?: boolean;
}

export class LabelsQuery {
  @ApiPropertyOptional({ default: 1, minimum: 1, maximum: 200 })
  @IsOptional()
  @QueryInt(1, 200)
  copies = 1;
}

export class ProductView {
  @ApiProperty() id!: number;
  @ApiProperty() name!: string;
  @ApiProperty() categoryId!: number;
  @ApiProperty({ description: 'the category name' }) category!: string;
  @ApiProperty() unit!: string;
  @ApiProperty({ type: String, nullable: true }) barcode!: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'EAN-13 in the in-store range 21' })
  internalCode!: string | null;
  @ApiProperty() pointPrice!: number;
  @ApiProperty() unitValueFen!: number;
  @ApiProperty({ type: Number, nullable: true }) monthlyLimitPerHousehold!: number | null;
  @ApiProperty() lowStockThreshold!: number;
  @ApiProperty() active!: boolean;
  @ApiProperty({ type: String, format: 'date-time' }) createdAt!: Date;
  @ApiProperty({ type: String, format: 'date-time' }) updatedAt!: Date;

  static of(product: CatalogueProduct): ProductView {
    return {
      id: product.id,
      name: product.name,
      categoryId: product.categoryId,
      category: product.category.name,
      unit: product.unit,
      barcode: product.barcode,
      internalCode: product.internalCode,
      pointPrice: product.pointPrice,
      unitValueFen: product.unitValueFen,
      monthlyLimitPerHousehold: product.monthlyLimitPerHousehold,
      lowStockThreshold: product.lowStockThreshold,
      active: product.active,
      createdAt: product.createdAt,
      updatedAt: product.updatedAt,
    };
  }
}
