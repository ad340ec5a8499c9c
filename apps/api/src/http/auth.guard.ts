import { AuthService, UnauthenticatedError } from '@charity/accounts';
import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { BEFORE_PASSWORD_CHANGE, IS_PUBLIC, USER_CHECKED_IN_BATCH } from './decorators';
import type { ApiRequest } from './request';

export function bearerToken(header: string | undefined): string | undefined {
  const match = /^Bearer\s+(\S+)$/i.exec(header ?? '');
  return match?.[1];
}

/**
 * Every route needs a valid bearer token unless marked @Public(), and a user who has to set their
 * own password first gets only the routes marked @AllowedBeforePasswordChange().
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly auth: AuthService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const isPublic = this.reflector.getAllAndOverride<boolean | undefined>(IS_PUBLIC, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (isPublic) return true;
    const request = context.switchToHttp().getRequest<ApiRequest>();
    const token = bearerToken(request.headers.authorization);
    if (!token) throw new UnauthenticatedError('请先登录（缺少 Authorization: Bearer 令牌）');
    if (this.reflector.get<boolean | undefined>(USER_CHECKED_IN_BATCH, context.getHandler())) {
      const provisional = await this.auth.authenticateInBatch(token);
      if (provisional) {
        request.user = provisional.user;
        request.userCheck = provisional.check;
        return true;
      }
    }
    request.user = await this.auth.authenticate(token);
    if (!this.reflector.get<boolean | undefined>(BEFORE_PASSWORD_CHANGE, context.getHandler())) {
      this.auth.assertPasswordSettled(request.user);
    }
    return true;
  }
}
