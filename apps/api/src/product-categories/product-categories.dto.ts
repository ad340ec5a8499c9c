import type { ProductCategory } from '@charity/inventory';
import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';
import { IsIntBetween, SMALLINT_UNSIGNED_MAX } from '../http/number-fields';
import { IsOptionalNotNull, Trim } from '../http/validation';

export class CreateProductCategoryRequest {
  /** Leading and trailing blanks would make "粮油 " a second category nobody can tell apart. */
  @ApiProperty({ example: '粮油', maxLength: 30 })
  @Trim()
  @IsString()
  @IsNotEmpty()
  @MaxLength(30)
  name!: string;

  @ApiPropertyOptional({
    default: 0,
    minimum: 0,
    maximum: SMALLINT_UNSIGNED_MAX,
    description: 'lower first; never null',
  })
  @IsOptionalNotNull()
  @IsIntBetween(0, SMALLINT_UNSIGNED_MAX)
  sortOrder?: number;

  @ApiPropertyOptional({
    type: Number,
    nullable: true,
    description: 'most units of this category one household may take in a month; null for none',
  })
  @IsOptional()
  @IsIntBetween(1, 100_000)
  monthlyLimitPerHousehold?: number | null;
}

/** Every field optional; `monthlyLimitPerHousehold: null` removes the limit. */
export class UpdateProductCategoryRequest extends PartialType(CreateProductCategoryRequest, {
  skipNullProperties: false,
}) {}

export class ProductCategoryView {
  @ApiProperty() id!: number;
  @ApiProperty() name!: string;
  @ApiProperty() sortOrder!: number;
  @ApiProperty({ type: Number, nullable: true }) monthlyLimitPerHousehold!: number | null;
  @ApiProperty({ type: String, format: 'date-time' }) createdAt!: Date;

  static of(category: ProductCategory): ProductCategoryView {
    const { id, name, sortOrder, monthlyLimitPerHousehold, createdAt } = category;
    return { id, name, sortOrder, monthlyLimitPerHousehold, createdAt };
  }
}
