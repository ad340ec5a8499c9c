import type { Actor, Role } from '@charity/common';
import { createParamDecorator, SetMetadata, type ExecutionContext } from '@nestjs/common';
import { actorOf, type ApiRequest } from './request';

export const IS_PUBLIC = 'charity:isPublic';
export const ROLES_KEY = 'charity:roles';
export const STORE_PARAM_KEY = 'charity:storeParam';

/** No login needed (login itself, public receipt verification, health). */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(IS_PUBLIC, true);

/** Only these roles may call the route. Without it any signed-in role may (auditors only read). */
export const Roles = (...roles: Role[]): MethodDecorator & ClassDecorator =>
  SetMetadata(ROLES_KEY, roles);

/**
 * Names the route parameter that holds a store id when it is not `storeId`
 * (e.g. `/stores/:id`), so the store-scope guard checks it.
 */
export const StoreParam = (name: string): MethodDecorator & ClassDecorator =>
  SetMetadata(STORE_PARAM_KEY, name);

export const CurrentActor = createParamDecorator(
  (_data: unknown, context: ExecutionContext): Actor =>
    actorOf(context.switchToHttp().getRequest<ApiRequest>()),
);
