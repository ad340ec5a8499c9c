import { ValidationFailedError, type Actor } from '@charity/common';
import {
  HouseholdImportService,
  householdSheetTemplate,
  MAX_SHEET_BYTES,
} from '@charity/households';
import { Body, Controller, Get, Post, Query, StreamableFile, UploadedFile } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiBody,
  ApiConsumes,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiTags,
} from '@nestjs/swagger';
import { CurrentActor, Roles } from '../http/decorators';
import { FileUpload, type UploadedSheetFile } from '../http/file-upload';
import {
  HouseholdImportResponse,
  ImportHouseholdsForm,
  ImportHouseholdsRequest,
  ImportTemplateQuery,
} from './household-import.dto';

const CONTENT_TYPES = {
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  csv: 'text/csv; charset=utf-8',
} as const;

/**
 * 困难户 bulk import from the roster county staff keep in Excel. The whole file is checked
 * first and imported whole or not at all (422 IMPORT_REJECTED lists every row and column).
 */
@ApiTags('households')
@ApiBearerAuth()
@Controller('households')
export class HouseholdImportController {
  constructor(private readonly imports: HouseholdImportService) {}

  @ApiOperation({ summary: 'Import households from a spreadsheet' })
  @Post('import')
  @Roles('county_admin', 'store_manager')
  @FileUpload('file', MAX_SHEET_BYTES)
  @ApiConsumes('multipart/form-data')
  @ApiBody({ type: ImportHouseholdsForm })
  @ApiCreatedResponse({ type: HouseholdImportResponse })
  async import(
    @CurrentActor() actor: Actor,
    @UploadedFile() file: UploadedSheetFile | undefined,
    @Body() body: ImportHouseholdsRequest,
  ): Promise<HouseholdImportResponse> {
    if (!file) {
      throw new ValidationFailedError('请上传困难户名单文件（字段 file，CSV 或 XLSX）', {
        fields: [{ field: 'file', constraints: ['isDefined'], messages: ['file is required'] }],
      });
    }
    return this.imports.importFile(
      actor,
      { buffer: file.buffer, fileName: file.originalname },
      { homeStoreId: body.homeStoreId ?? null },
    );
  }

  /** A roster to fill in: header and an example row; the XLSX adds a 说明 sheet. */
  @ApiOperation({ summary: 'The household import template' })
  @Get('import/template')
  @Roles('county_admin', 'store_manager')
  @ApiProduces(CONTENT_TYPES.xlsx, CONTENT_TYPES.csv)
  @ApiOkResponse({ schema: { type: 'string', format: 'binary' } })
  async template(@Query() query: ImportTemplateQuery): Promise<StreamableFile> {
    const format = query.format ?? 'xlsx';
    const content = await householdSheetTemplate(format);
    const name = `困难户导入模板.${format}`;
    return new StreamableFile(content, {
      type: CONTENT_TYPES[format],
      disposition: `attachment; filename="household-import-template.${format}"; filename*=UTF-8''${encodeURIComponent(name)}`,
      length: content.length,
    });
  }
}
