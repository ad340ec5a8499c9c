import { AppConfig } from '@charity/config';
import { Injectable, UseGuards, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { InjectThrottlerStorage, type ThrottlerStorage } from '@nestjs/throttler';
import type { Response } from 'express';
import { LookupRateLimitedError } from './http-errors';
import type { ApiRequest } from './request';

const MINUTE_MS = 60_000;

/**
 * Household lookups (a card, a household, a search) per user and minute, LOOKUP_RATE_LIMIT of
 * them, counted in Redis so api replicas share the count. A till looks up one card per customer;
 * a script walking card numbers or ids stops at the limit with 429 RATE_LIMITED for a minute.
 * Without Redis the lookups go on uncounted (RateLimitStorage).
 */
@Injectable()
export class LookupRateLimitGuard implements CanActivate {
  constructor(
    @InjectThrottlerStorage() private readonly storage: ThrottlerStorage,
    private readonly config: AppConfig,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const http = context.switchToHttp();
    const user = http.getRequest<ApiRequest>().user;
    if (!user) return true;
    const { isBlocked, timeToBlockExpire } = await this.storage.increment(
      `lookup:user:${user.id}`,
      MINUTE_MS,
      this.config.lookupRateLimit,
      MINUTE_MS,
      'lookup',
    );
    if (!isBlocked) return true;
    const seconds = Math.max(1, timeToBlockExpire);
    http.getResponse<Response>().setHeader('Retry-After', String(seconds));
    throw new LookupRateLimitedError(seconds, this.config.lookupRateLimit);
  }
}

/** Counts the route as a household lookup (LookupRateLimitGuard). */
export const HouseholdLookup = (): MethodDecorator & ClassDecorator =>
  UseGuards(LookupRateLimitGuard);
