import { isStoreRole, type Actor } from './actor';
import { ForbiddenError } from './domain-error';

/**
 * The store-scope rule every module reuses: county roles reach every store, store roles only
 * their own. Route parameters and request fields named `storeId` are checked by the api's guard;
 * services call this for stores they learn from the data (a transfer's receiver, a donation's store).
 */
export function canAccessStore(actor: Actor, storeId: number): boolean {
  return !isStoreRole(actor.role) || actor.storeId === storeId;
}

export function assertStoreAccess(actor: Actor, storeId: number): void {
  if (!canAccessStore(actor, storeId)) {
    throw new ForbiddenError('无权访问其他门店的数据', { storeId });
  }
}

/** The store a list must be limited to for this actor, or null when the actor sees all stores. */
export function storeScopeOf(actor: Actor): number | null {
  return isStoreRole(actor.role) ? actor.storeId : null;
}
