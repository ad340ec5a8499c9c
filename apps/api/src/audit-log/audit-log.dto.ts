import { clientAddress, type AuditEntry } from '@charity/audit';
import { PageQuery } from '@charity/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { IsInstant } from '../http/date-fields';
import { QueryId } from '../http/number-fields';

export class ListAuditLogQuery extends PageQuery {
  @ApiPropertyOptional() @IsOptional() @QueryId() actorId?: number;
  @ApiPropertyOptional() @IsOptional() @QueryId() storeId?: number;

  @ApiPropertyOptional({ example: 'store.create' })
  @IsOptional()
  @Matches(/^[a-z_]+\.[a-z_]+$/, { message: 'action must look like store.create' })
  action?: string;

  @ApiPropertyOptional({ example: 'store' })
  @IsOptional()
  @IsString()
  @MaxLength(40)
  entityType?: string;

  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(40) entityId?: string;

  @ApiPropertyOptional({
    description:
      'ISO 8601 instant, inclusive (2026-11-01T00:00:00+08:00); a date is its UTC midnight',
  })
  @IsOptional()
  @IsInstant()
  from?: string;

  @ApiPropertyOptional({ description: 'ISO 8601 instant, exclusive' })
  @IsOptional()
  @IsInstant()
  to?: string;
}

export class AuditEntryView {
  @ApiProperty() id!: number;
  @ApiProperty({ type: String, format: 'date-time' }) occurredAt!: Date;
  @ApiProperty({ type: Number, nullable: true }) actorId!: number | null;
  @ApiProperty() actorUsername!: string;
  @ApiProperty() actorRole!: string;
  @ApiProperty({ type: Number, nullable: true }) storeId!: number | null;
  @ApiProperty() action!: string;
  @ApiProperty() entityType!: string;
  @ApiProperty({ type: String, nullable: true }) entityId!: string | null;
  @ApiProperty() summary!: string;
  @ApiProperty({ type: String, nullable: true }) requestId!: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'client address of the request' })
  ip!: string | null;

  static of(entry: AuditEntry): AuditEntryView {
    const { id, occurredAt, actorId, actorUsername, actorRole, storeId, action } = entry;
    const { entityType, entityId, summary, requestId, ip } = entry;
    return {
      id: Number(id),
      occurredAt,
      actorId,
      actorUsername,
      actorRole,
      storeId,
      action,
      entityType,
      entityId,
      summary,
      requestId,
      // entries written before addresses were normalised still hold `::ffff:…`
      ip: clientAddress(ip),
    };
  }
}
