import type { ProductCategory } from '@charity/inventory';
import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsInt, IsNotEmpty, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';

/** Leading and trailing blanks would make "粮油 " a second category nobody can tell apart. */
export const trimString = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' ? value.trim() : value;

export class CreateProductCategoryRequest {
  @ApiProperty({ example: '粮油', maxLength: 30 })
  @Transform(trimString)
  @IsString()
  @IsNotEmpty()
  @MaxLength(30)
  name!: string;

  @ApiPropertyOptional({ default: 0, minimum: 0, maximum: 65535, description: 'lower first' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(65535)
  sortOrder?: number;

  @ApiPropertyOptional({
    type: Number,
    nullable: true,
    description: 'most units of this category one household may take in a month; null for none',
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(100_000)
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
