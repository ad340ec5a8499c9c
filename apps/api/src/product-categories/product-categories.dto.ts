import type { ProductCategory } from '@charity/inventory';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
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
}

export class ProductCategoryView {
  @ApiProperty() id!: number;
  @ApiProperty() name!: string;
  @ApiProperty() sortOrder!: number;
  @ApiProperty({ type: String, format: 'date-time' }) createdAt!: Date;

  static of(category: ProductCategory): ProductCategoryView {
    const { id, name, sortOrder, createdAt } = category;
    return { id, name, sortOrder, createdAt };
  }
}
