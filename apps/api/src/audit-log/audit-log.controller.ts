import { AuditService } from '@charity/audit';
import type { Page } from '@charity/common';
import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Roles } from '../http/decorators';
import { AuditEntryView, ListAuditLogQuery } from './audit-log.dto';
import { PageOf } from '../http/api-responses';

@ApiTags('audit-log')
@ApiBearerAuth()
@Controller('audit-log')
@Roles('county_admin', 'auditor')
export class AuditLogController {
  constructor(private readonly audit: AuditService) {}

  @ApiOperation({ summary: 'List audit log entries' })
  @ApiOkResponse({ type: PageOf(AuditEntryView) })
  @Get()
  async list(@Query() query: ListAuditLogQuery): Promise<Page<AuditEntryView>> {
    const page = await this.audit.list(
      {
        actorId: query.actorId,
        storeId: query.storeId,
        action: query.action,
        entityType: query.entityType,
        entityId: query.entityId,
        from: query.from ? new Date(query.from) : undefined,
        to: query.to ? new Date(query.to) : undefined,
      },
      query,
    );
    return { ...page, items: page.items.map((entry) => AuditEntryView.of(entry)) };
  }
}
