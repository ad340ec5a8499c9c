import { USER_ALREADY_CHECKED, type Actor, type BatchedCheck, type Role } from '@charity/common';
import {
  applyDecorators,
  createParamDecorator,
  SetMetadata,
  type ExecutionContext,
} from '@nestjs/common';
import { ApiSecurity } from '@nestjs/swagger';
import { actorOf, type ApiRequest } from './request';

export const IS_PUBLIC = 'charity:isPublic';
export const ROLES_KEY = 'charity:roles';
export const STORE_PARAM_KEY = 'charity:storeParam';
export const USER_CHECKED_IN_BATCH = 'charity:userCheckedInBatch';
export const BEFORE_PASSWORD_CHANGE = 'charity:beforePasswordChange';

/**
 * No login needed (login itself, public receipt verification, health); the OpenAPI document says
 * so with an empty security requirement.
 */
export const Public = (): MethodDecorator & ClassDecorator =>
  applyDecorators(SetMetadata(IS_PUBLIC, true), ApiSecurity({}));

/**
 * A signed-in user who still has to set their own password may call the route (the password
 * change itself and /auth/me); every other route answers 403 PASSWORD_CHANGE_REQUIRED.
 */
export const AllowedBeforePasswordChange = (): MethodDecorator =>
  SetMetadata(BEFORE_PASSWORD_CHANGE, true);

/**
 * Only these roles may call the route. Without it any signed-in role may (auditors only read, and
 * send @ReadOnlyWork() requests).
 */
export const Roles = (...roles: Role[]): MethodDecorator & ClassDecorator =>
  SetMetadata(ROLES_KEY, roles);

export const READ_ONLY_WORK = 'charity:readOnlyWork';

/**
 * A POST that only reads the data (queueing a report export): auditors may send it, though they
 * are refused every other write.
 */
export const ReadOnlyWork = (): MethodDecorator => SetMetadata(READ_ONLY_WORK, true);

/**
 * Names the route parameter that holds a store id when it is not `storeId`
 * (e.g. `/stores/:id`), so the store-scope guard checks it.
 */
export const StoreParam = (name: string): MethodDecorator & ClassDecorator =>
  SetMetadata(STORE_PARAM_KEY, name);

/**
 * The route reads the signed-in user in its own first round trip instead of the auth guard's
 * (the till's checkout, where a round trip is a visible share of the time): the guard takes the
 * user from the token and leaves the check to the route (@UserCheck()), which must run it before
 * it writes or answers anything. Tokens without the user's role and store are checked as usual.
 */
export const UserCheckedInBatch = (): MethodDecorator => SetMetadata(USER_CHECKED_IN_BATCH, true);

/**
 * On a @UserCheckedInBatch() route, the check the guard left to it: the user's read, or nothing
 * (USER_ALREADY_CHECKED) when the guard read the user itself.
 */
export const UserCheck = createParamDecorator(
  (_data: unknown, context: ExecutionContext): BatchedCheck =>
    context.switchToHttp().getRequest<ApiRequest>().userCheck ?? USER_ALREADY_CHECKED,
);

export const CurrentActor = createParamDecorator(
  (_data: unknown, context: ExecutionContext): Actor =>
    actorOf(context.switchToHttp().getRequest<ApiRequest>()),
);
