import type { AuditEntry } from '@charity/audit';
import { PageQuery } from '@charity/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsISO8601, IsInt, IsOptional, IsString, Matches, MaxLength, Min } from 'class-validator';

export class ListAuditLogQuery extends PageQuery {
  @ApiPropertyOptional() @IsOptional() @Type(() => Number) @IsInt() @Min(1) actorId?: number;
  @ApiPropertyOptional() @IsOptional() @Type(() => Number) @IsInt() @Min(1) storeId?: number;

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

  @ApiPropertyOptional({ description: 'ISO 8601 instant, inclusive' })
  @IsOptional()
  @IsISO8601()
  from?: string;

  @ApiPropertyOptional({ description: 'ISO 8601 instant, exclusive' })
  @IsOptional()
  @IsISO8601()
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
      ip,
    };
  }
}
