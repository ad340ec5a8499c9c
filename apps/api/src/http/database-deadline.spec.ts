import { loadConfig } from '@charity/config';
import { currentDatabaseDeadline, DatabaseDeadline, withDatabaseDeadline } from '@charity/database';
import type { ExecutionContext, Type } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { HealthController } from '../health/health.controller';
import { HouseholdsController } from '../households/households.controller';
import { RedemptionsController } from '../redemptions/redemptions.controller';
import { ReportsController } from '../reports/reports.controller';
import { DatabaseDeadlineGuard } from './database-deadline';

const config = loadConfig({
  DATABASE_TILL_TIMEOUT_MS: '4000',
  DATABASE_TIMEOUT_MS: '30000',
  DATABASE_REPORT_TIMEOUT_MS: '300000',
});
const guard = new DatabaseDeadlineGuard(new Reflector(), config);

/** The limit the guard gives a request to `controller.method`. */
function limitOf(controller: Type, method: string): number {
  const context = {
    getHandler: () => (controller.prototype as Record<string, unknown>)[method],
    getClass: () => controller,
  } as ExecutionContext;
  return withDatabaseDeadline(new DatabaseDeadline(1), () => {
    expect(guard.canActivate(context)).toBe(true);
    return currentDatabaseDeadline()?.limit ?? NaN;
  });
}

type Route = { controller: Type; method: string };

describe('DatabaseDeadlineGuard', () => {
  it.each<Route>([
    { controller: HouseholdsController, method: 'byCard' },
    { controller: RedemptionsController, method: 'allowance' },
    { controller: RedemptionsController, method: 'quote' },
    { controller: RedemptionsController, method: 'checkout' },
    { controller: HealthController, method: 'check' },
  ])('gives the till route $controller.name $method the till limit', ({ controller, method }) => {
    expect(limitOf(controller, method)).toBe(4000);
  });

  it.each<Route>([
    { controller: ReportsController, method: 'monthly' },
    { controller: ReportsController, method: 'requestExport' },
    { controller: ReportsController, method: 'exportFile' },
    { controller: ReportsController, method: 'close' },
    { controller: ReportsController, method: 'reopen' },
  ])(
    'gives the report route $controller.name $method the report limit',
    ({ controller, method }) => {
      expect(limitOf(controller, method)).toBe(300000);
    },
  );

  it.each<Route>([
    { controller: HouseholdsController, method: 'list' },
    { controller: RedemptionsController, method: 'receipt' },
    { controller: RedemptionsController, method: 'void' },
  ])(
    'gives any other route $controller.name $method the standard limit',
    ({ controller, method }) => {
      expect(limitOf(controller, method)).toBe(30000);
    },
  );
});
