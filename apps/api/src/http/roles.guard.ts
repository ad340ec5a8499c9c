import { ForbiddenError, type Role } from '@charity/common';
import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { READ_ONLY_WORK, ROLES_KEY } from './decorators';
import type { ApiRequest } from './request';

export const ROLE_LABELS: Record<Role, string> = {
  county_admin: '县总工会管理员',
  store_manager: '店长',
  clerk: '店员',
  auditor: '审计员',
};

const READ_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Declarative roles (@Roles) and the rule that auditors read everything and write nothing,
 * whatever a route declares; a @ReadOnlyWork() request (a report export) is reading.
 */
@Injectable()
export class RolesGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<ApiRequest>();
    const user = request.user;
    if (!user) return true; // public route
    if (user.role === 'auditor' && !READ_METHODS.has(request.method)) {
      const readOnlyWork = this.reflector.get<boolean | undefined>(
        READ_ONLY_WORK,
        context.getHandler(),
      );
      if (!readOnlyWork) {
        throw new ForbiddenError('审计员只能查看，不能修改数据', { role: user.role });
      }
    }
    const allowed = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (allowed && !allowed.includes(user.role)) {
      throw new ForbiddenError(`当前角色（${ROLE_LABELS[user.role]}）无权执行此操作`, {
        role: user.role,
        allowedRoles: allowed,
      });
    }
    return true;
  }
}
