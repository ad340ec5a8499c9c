import { canAccessStore, ForbiddenError } from '@charity/common';
import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { actorOf, type ApiRequest } from './request';
import { STORE_PARAM_KEY } from './decorators';

function storeIdsIn(value: unknown): number[] {
  if (typeof value === 'number' && Number.isInteger(value)) return [value];
  // read a string as the pipes will (Number('2e0') === 2), so no spelling of an id slips past
  if (typeof value === 'string' && value.trim() !== '' && Number.isInteger(Number(value))) {
    return [Number(value)];
  }
  if (Array.isArray(value)) return value.flatMap(storeIdsIn);
  return [];
}

/**
 * A store user reaches only their own store. Any store id the request acts for — the route
 * parameter (`:storeId`, or the one named by @StoreParam), or a `storeId`/`fromStoreId` field in
 * the query or body — must be theirs; otherwise 403 FORBIDDEN. A destination such as a
 * transfer's `toStoreId` may be another store. Resources found by their own id are checked in
 * the service with `assertStoreAccess`.
 */
@Injectable()
export class StoreScopeGuard implements CanActivate {
  static readonly FIELDS = ['storeId', 'fromStoreId'];

  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<ApiRequest>();
    if (!request.user) return true;
    const actor = actorOf(request);
    const paramName =
      this.reflector.getAllAndOverride<string | undefined>(STORE_PARAM_KEY, [
        context.getHandler(),
        context.getClass(),
      ]) ?? 'storeId';
    const params = request.params as Record<string, string | undefined>;
    const named = [
      ...storeIdsIn(params[paramName]),
      ...this.fieldsOf(request.query),
      ...this.fieldsOf(request.body),
    ];
    const foreign = named.filter((id) => !canAccessStore(actor, id));
    if (foreign.length > 0) {
      throw new ForbiddenError('无权访问其他门店的数据', { storeId: foreign[0] });
    }
    return true;
  }

  private fieldsOf(source: unknown): number[] {
    if (typeof source !== 'object' || source === null) return [];
    const record = source as Record<string, unknown>;
    return StoreScopeGuard.FIELDS.flatMap((field) => storeIdsIn(record[field]));
  }
}
