import { normalizeUsername } from '@charity/accounts';
import { Injectable, type ExecutionContext } from '@nestjs/common';
import { ThrottlerGuard, type ThrottlerLimitDetail } from '@nestjs/throttler';
import type { Request } from 'express';
import { LoginRateLimitedError } from './http-errors';

/**
 * Limits login attempts per client address and username, so guessing one account's password is
 * slowed without locking out a whole shop that shares one public IP. Attempts are counted on the
 * username as login looks it up (normalizeUsername), so `admin`, ` Admin ` and `ａｄｍｉｎ` are
 * one account's attempts.
 */
@Injectable()
export class LoginThrottlerGuard extends ThrottlerGuard {
  protected override getTracker(request: Request): Promise<string> {
    const body = request.body as { username?: unknown } | undefined;
    const username = typeof body?.username === 'string' ? normalizeUsername(body.username) : '';
    return Promise.resolve(`${request.ip ?? 'unknown'}|${username}`);
  }

  protected override throwThrottlingException(
    _context: ExecutionContext,
    detail: ThrottlerLimitDetail,
  ): Promise<void> {
    const seconds = Math.max(1, Math.ceil(detail.timeToBlockExpire || detail.timeToExpire));
    throw new LoginRateLimitedError(seconds);
  }
}
