import { type Actor, type Page } from '@charity/common';
import {
  DonorImpactService,
  EXPORT_CONTENT_TYPES,
  MonthlyReportsService,
  ReportExportsService,
  type AidRegisterRow,
  type DonationRegisterRow,
  type DonorImpact,
  type ExportView,
  type MonthState,
  type MonthlyReport,
} from '@charity/reports';
import {
  Body,
  Controller,
  Get,
  HttpCode,
  HttpStatus,
  Param,
  Post,
  Query,
  StreamableFile,
} from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBearerAuth,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiTags,
} from '@nestjs/swagger';
import { DatabaseTimeout } from '../http/database-deadline';
import { CurrentActor, ReadOnlyWork, Roles } from '../http/decorators';
import { IdParam } from '../http/id-param';
import {
  ExportRequestBody,
  MonthParams,
  RegisterQuery,
  ReopenRequest,
  ReportScopeQuery,
  YearQuery,
} from './reports.dto';
import { ApiPdfResponse, PageOf } from '../http/api-responses';
import {
  AidRegisterRowResponse,
  DonationRegisterRowResponse,
  DonorImpactResponse,
  ExportResponse,
  MonthlyReportResponse,
  MonthStateResponse,
} from './report-responses.dto';

/**
 * 统计报表. Everyone may read the regions they can see: county roles any region, store roles
 * their own store. Closing and reopening months is for county admins.
 */
@ApiTags('reports')
@ApiBearerAuth()
@Controller('reports')
// a month of rows: reports, exports, closing and reopening a month
@DatabaseTimeout('report')
export class ReportsController {
  constructor(
    private readonly reports: MonthlyReportsService,
    private readonly exports: ReportExportsService,
    private readonly donors: DonorImpactService,
  ) {}

  @ApiOperation({ summary: 'Monthly totals by region and store' })
  @ApiOkResponse({ type: MonthlyReportResponse })
  @Get('monthly')
  monthly(@CurrentActor() actor: Actor, @Query() query: ReportScopeQuery): Promise<MonthlyReport> {
    return this.reports.monthly(actor, query);
  }

  @ApiOperation({ summary: 'Monthly donations report' })
  @ApiOkResponse({ type: PageOf(DonationRegisterRowResponse) })
  @Get('monthly-donations')
  donations(
    @CurrentActor() actor: Actor,
    @Query() query: RegisterQuery,
  ): Promise<Page<DonationRegisterRow>> {
    return this.reports.donationRegister(actor, query, query);
  }

  @ApiOperation({ summary: 'Monthly aid report' })
  @ApiOkResponse({ type: PageOf(AidRegisterRowResponse) })
  @Get('monthly-aid')
  aid(@CurrentActor() actor: Actor, @Query() query: RegisterQuery): Promise<Page<AidRegisterRow>> {
    return this.reports.aidRegister(actor, query, query);
  }

  /**
   * Queues a PDF or XLSX of the monthly report; poll the answer's id for progress. Auditors may
   * too: an export changes no figure.
   */
  @ApiOperation({ summary: 'Queue a report export (PDF or Excel)' })
  @Post('exports')
  @HttpCode(HttpStatus.ACCEPTED)
  @ReadOnlyWork()
  @ApiAcceptedResponse({ type: ExportResponse, description: 'The export, queued' })
  requestExport(
    @CurrentActor() actor: Actor,
    @Body() body: ExportRequestBody,
  ): Promise<ExportView> {
    return this.exports.request(actor, body);
  }

  @ApiOperation({ summary: "A report export's status" })
  @ApiOkResponse({ type: ExportResponse })
  @Get('exports/:id')
  exportStatus(@CurrentActor() actor: Actor, @IdParam() id: number): Promise<ExportView> {
    return this.exports.get(actor, id);
  }

  @ApiOperation({ summary: "Download a report export's file" })
  @ApiProduces(...Object.values(EXPORT_CONTENT_TYPES))
  @ApiOkResponse({ schema: { type: 'string', format: 'binary' }, description: 'the PDF or XLSX' })
  @Get('exports/:id/file')
  async exportFile(@CurrentActor() actor: Actor, @IdParam() id: number): Promise<StreamableFile> {
    const file = await this.exports.file(actor, id);
    return new StreamableFile(file.content, {
      type: file.contentType,
      disposition: `attachment; filename="report-${id}.${file.fileName.split('.').pop()}"; filename*=UTF-8''${encodeURIComponent(file.fileName)}`,
    });
  }

  /** 月报存档: what the schedule made on the 2nd of each month. */
  @ApiOperation({ summary: 'Archived monthly reports' })
  @ApiOkResponse({ type: [ExportResponse] })
  @Get('archive')
  archive(@CurrentActor() actor: Actor): Promise<ExportView[]> {
    return this.exports.archive(actor);
  }

  @ApiOperation({ summary: 'Which months are closed' })
  @ApiOkResponse({ type: [MonthStateResponse] })
  @Get('months')
  months(@Query() query: YearQuery): Promise<MonthState[]> {
    return this.reports.months(query.year);
  }

  /** 结账 */
  @ApiOperation({ summary: 'Close a month' })
  @ApiOkResponse({ type: MonthStateResponse })
  @Post('months/:month/close')
  @HttpCode(HttpStatus.OK)
  @Roles('county_admin')
  close(@CurrentActor() actor: Actor, @Param() params: MonthParams): Promise<MonthState> {
    return this.reports.close(actor, params.month);
  }

  /** 反结账, audited with its reason. */
  @ApiOperation({ summary: 'Reopen a month' })
  @ApiOkResponse({ type: MonthStateResponse })
  @Post('months/:month/reopen')
  @HttpCode(HttpStatus.OK)
  @Roles('county_admin')
  reopen(
    @CurrentActor() actor: Actor,
    @Param() params: MonthParams,
    @Body() body: ReopenRequest,
  ): Promise<MonthState> {
    return this.reports.reopen(actor, params.month, body.reason);
  }

  /** What a donor's goods did in a year; no household is named. */
  @ApiOperation({ summary: "What a donor's goods did" })
  @ApiOkResponse({ type: DonorImpactResponse })
  @Get('donors/:id/impact')
  @Roles('county_admin', 'auditor')
  impact(@IdParam() id: number, @Query() query: YearQuery): Promise<DonorImpact> {
    return this.donors.impact(id, query.year);
  }

  /** 感谢信 with the same figures. */
  @ApiOperation({ summary: "A donor's thank-you letter as PDF" })
  @ApiPdfResponse()
  @Get('donors/:id/impact.pdf')
  @Roles('county_admin', 'auditor')
  async thanks(@IdParam() id: number, @Query() query: YearQuery): Promise<StreamableFile> {
    const pdf = await this.donors.thanksLetter(id, query.year);
    return new StreamableFile(pdf, {
      type: 'application/pdf',
      disposition: `inline; filename="donor-${id}-${query.year}-thanks.pdf"`,
    });
  }
}
