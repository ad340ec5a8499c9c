import { Controller, Get, HttpStatus, Res, ServiceUnavailableException } from '@nestjs/common';
import {
  ApiOkResponse,
  ApiOperation,
  ApiServiceUnavailableResponse,
  ApiTags,
} from '@nestjs/swagger';
import {
  HealthCheckService,
  TypeOrmHealthIndicator,
  type HealthCheckResult,
} from '@nestjs/terminus';
import type { Response } from 'express';
import { DatabaseTimeout } from '../http/database-deadline';
import { Public } from '../http/decorators';
import { HealthCheckResponse } from './health-check.dto';
import { RedisHealthIndicator } from './redis.health';
import { WorkerHealthIndicator } from './worker.health';

@ApiTags('health')
@Controller('health')
@Public()
// a probe must not hold a connection longer than a till would
@DatabaseTimeout('till')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly db: TypeOrmHealthIndicator,
    private readonly redis: RedisHealthIndicator,
    private readonly workers: WorkerHealthIndicator,
  ) {}

  /** 200 when the database and Redis answer, 503 with the failing part named otherwise. */
  @ApiOperation({ summary: 'Is the api up (database and Redis)' })
  @ApiOkResponse({ type: HealthCheckResponse })
  @ApiServiceUnavailableResponse({ type: HealthCheckResponse, description: 'a part is down' })
  @Get()
  check(@Res({ passthrough: true }) response: Response): Promise<HealthCheckResult> {
    return this.answer(response, [
      () => this.db.pingCheck('database', { timeout: 1500 }),
      () => this.redis.check('redis'),
    ]);
  }

  /**
   * 200 when a worker process takes jobs from every queue (receipts, exports, 发放 …), 503 naming
   * the queues nobody takes. Apart from /health: the api answers without a worker, so a load
   * balancer must not take it out of service when the worker is down.
   */
  @ApiOperation({ summary: 'Is the worker up' })
  @ApiOkResponse({ type: HealthCheckResponse })
  @ApiServiceUnavailableResponse({ type: HealthCheckResponse, description: 'a part is down' })
  @Get('worker')
  worker(@Res({ passthrough: true }) response: Response): Promise<HealthCheckResult> {
    return this.answer(response, [() => this.workers.check('worker')]);
  }

  private async answer(
    response: Response,
    checks: Parameters<HealthCheckService['check']>[0],
  ): Promise<HealthCheckResult> {
    try {
      return await this.health.check(checks);
    } catch (error) {
      if (!(error instanceof ServiceUnavailableException)) throw error;
      response.status(HttpStatus.SERVICE_UNAVAILABLE);
      return error.getResponse() as HealthCheckResult;
    }
  }
}
