import { type Actor } from '@charity/common';
import { DonorStatementsService } from '@charity/donations';
import { Controller, Get, Query, StreamableFile } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentActor, Roles } from '../http/decorators';
import { IdParam } from '../http/id-param';
import { QueryInt } from '../http/number-fields';
import { ApiPdfResponse } from '../http/api-responses';

export class StatementQuery {
  @QueryInt(2000, 2100)
  year!: number;
}

@ApiTags('donors')
@ApiBearerAuth()
@Controller('donors')
export class DonorStatementsController {
  constructor(private readonly statements: DonorStatementsService) {}

  /** 年度捐赠证明 (A4): a store manager's copy lists only their store's receipts. */
  @ApiOperation({ summary: "A donor's annual statement as PDF" })
  @ApiPdfResponse()
  @Get(':id/statement.pdf')
  @Roles('county_admin', 'auditor', 'store_manager')
  async statement(
    @CurrentActor() actor: Actor,
    @IdParam() id: number,
    @Query() query: StatementQuery,
  ): Promise<StreamableFile> {
    const pdf = await this.statements.statement(actor, id, query.year);
    return new StreamableFile(pdf, {
      type: 'application/pdf',
      disposition: `inline; filename="donor-${id}-${query.year}.pdf"`,
    });
  }
}
