import {
  MAX_SHEET_ROWS,
  type HouseholdImportResult,
  type ImportedHousehold,
  type SheetFormat,
} from '@charity/households';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { QueryId } from '../http/number-fields';

/** The text fields of the multipart upload (the file itself is `file`). */
export class ImportHouseholdsRequest {
  @ApiPropertyOptional({
    description:
      'store of rows without a 门店 cell; default: a store manager’s own store, for a county admin the only store of the row’s township',
  })
  @IsOptional()
  @QueryId()
  homeStoreId?: number;
}

/** Swagger's picture of the multipart form. */
export class ImportHouseholdsForm extends ImportHouseholdsRequest {
  @ApiProperty({
    type: 'string',
    format: 'binary',
    description: `CSV (UTF-8 or GBK) or XLSX, at most 10 MB and ${MAX_SHEET_ROWS} rows: header 姓名, 身份证号, 类别, 人口, 村 and optionally 电话, 地址, 门店`,
  })
  file!: unknown;
}

export class ImportedHouseholdResponse implements ImportedHousehold {
  @ApiProperty({ example: 2, description: 'the sheet row (the header is row 1)' })
  row!: number;
  @ApiProperty() id!: number;
  @ApiProperty({ example: 'H4819302756' }) cardNo!: string;
}

export class HouseholdImportResponse implements HouseholdImportResult {
  @ApiProperty({ example: 3 }) imported!: number;
  @ApiProperty({ type: [ImportedHouseholdResponse] }) households!: ImportedHouseholdResponse[];
  @ApiProperty({
    type: [Number],
    example: [],
    description: 'rows skipped as the template’s example (姓名 starting with 示例)',
  })
  exampleRows!: number[];
}

export const TEMPLATE_FORMATS = ['xlsx', 'csv'] as const satisfies readonly SheetFormat[];

export class ImportTemplateQuery {
  @ApiPropertyOptional({ enum: TEMPLATE_FORMATS, default: 'xlsx' })
  @IsOptional()
  @IsIn(TEMPLATE_FORMATS)
  format?: SheetFormat;
}
