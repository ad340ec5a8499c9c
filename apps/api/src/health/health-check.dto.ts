import { ApiProperty, ApiPropertyOptional, type ApiPropertyOptions } from '@nestjs/swagger';
import type { HealthCheckResult, HealthCheckStatus, HealthIndicatorResult } from '@nestjs/terminus';

const PARTS: ApiPropertyOptions = {
  type: 'object',
  additionalProperties: {
    type: 'object',
    properties: { status: { type: 'string', enum: ['up', 'down'] } },
    required: ['status'],
    additionalProperties: true,
  },
};

/** Terminus's answer: each part checked (database, redis, worker) by name, with its status. */
export class HealthCheckResponse implements HealthCheckResult {
  @ApiProperty({ enum: ['error', 'ok', 'shutting_down'] }) status!: HealthCheckStatus;
  @ApiPropertyOptional({ ...PARTS, description: 'the parts that are up' })
  info?: HealthIndicatorResult;
  @ApiPropertyOptional({ ...PARTS, description: 'the parts that are down, with why' })
  error?: HealthIndicatorResult;
  @ApiProperty({ ...PARTS, description: 'every part' }) details!: HealthIndicatorResult;
}
