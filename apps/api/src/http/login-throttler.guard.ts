import { DomainError } from '@charity/common';
import { Injectable, type ExecutionContext } from '@nestjs/common';
import { ThrottlerGuard, type ThrottlerLimitDetail } from '@nestjs/throttler';
import type { Request } from 'express';

/**
 * Limits login attempts per client address and username, so guessing one account's password is
 * slowed without locking out a whole shop that shares one public IP.
 */
@Injectable()
export class LoginThrottlerGuard extends ThrottlerGuard {
  protected override getTracker(request: Request): Promise<string> {
    const body = request.body as { username?: unknown } | undefined;
    const username = typeof body?.username === 'string' ? body.username.toLowerCase() : '';
    return Promise.resolve(`${request.ip ?? 'unknown'}|${username}`);
  }

  protected override throwThrottlingException(
    _context: ExecutionContext,
    detail: ThrottlerLimitDetail,
  ): Promise<void> {
    const seconds = Math.max(1, Math.ceil(detail.timeToBlockExpire || detail.timeToExpire));
    throw new DomainError('RATE_LIMITED', `登录尝试过于频繁，请 ${seconds} 秒后再试`, {
      retryAfterSeconds: seconds,
    });
  }
}
