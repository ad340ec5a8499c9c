import { AppConfig } from '@charity/config';
import { currentDatabaseDeadline, DatabaseDeadline, withDatabaseDeadline } from '@charity/database';
import { Injectable, SetMetadata, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { NextFunction, Request, Response } from 'express';

export const DATABASE_TIMEOUT_KEY = 'charity:databaseTimeout';

/**
 * Which limit bounds a route's database work: `till` (DATABASE_TILL_TIMEOUT_MS: the till must hear
 * back within 5 s, 503 rather than a spinner), `report` (DATABASE_REPORT_TIMEOUT_MS: reports,
 * exports, closing a month); unmarked routes have DATABASE_TIMEOUT_MS.
 */
export type DatabaseTimeoutKind = 'till' | 'report';

export const DatabaseTimeout = (kind: DatabaseTimeoutKind): MethodDecorator & ClassDecorator =>
  SetMetadata(DATABASE_TIMEOUT_KEY, kind);

/**
 * Express middleware that puts every request under a DatabaseDeadline from its start (with the
 * standard limit until DatabaseDeadlineGuard gives it its route's). Mounted after the body
 * parsers: their callbacks would otherwise carry the request out of the deadline's async context.
 */
export function databaseDeadlines(
  config: AppConfig,
): (request: Request, response: Response, next: NextFunction) => void {
  return (_request, _response, next) =>
    withDatabaseDeadline(new DatabaseDeadline(config.databaseTimeouts.standardMs), next);
}

/**
 * Gives the request the limit of its route, counted from the request's start. A guard, and the
 * first one, because the next (AuthGuard) reads the user from the database: a till request must
 * be bounded from there on, a report must not be cut short there. It refuses nothing.
 */
@Injectable()
export class DatabaseDeadlineGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly config: AppConfig,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    const kind = this.reflector.getAllAndOverride<DatabaseTimeoutKind | undefined>(
      DATABASE_TIMEOUT_KEY,
      [context.getHandler(), context.getClass()],
    );
    currentDatabaseDeadline()?.setLimit(this.limitFor(kind));
    return true;
  }

  private limitFor(kind: DatabaseTimeoutKind | undefined): number {
    const { tillMs, standardMs, reportMs } = this.config.databaseTimeouts;
    switch (kind) {
      case 'till':
        return tillMs;
      case 'report':
        return reportMs;
      case undefined:
        return standardMs;
    }
  }
}
