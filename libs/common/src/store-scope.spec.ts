import type { Actor } from './actor';
import { ForbiddenError } from './domain-error';
import { assertStoreAccess, canAccessStore, storeScopeOf } from './store-scope';

const actor = (role: Actor['role'], storeId: number | null): Actor => ({
  userId: 1,
  username: 'u',
  role,
  storeId,
});

describe('store scope', () => {
  it.each([
    ['county_admin', null, 7, true],
    ['auditor', null, 7, true],
    ['store_manager', 3, 3, true],
    ['store_manager', 3, 7, false],
    ['clerk', 3, 3, true],
    ['clerk', 3, 7, false],
  ] as const)('%s of store %s reaching store %s: %s', (role, own, target, allowed) => {
    expect(canAccessStore(actor(role, own), target)).toBe(allowed);
  });

  it('throws FORBIDDEN naming the store for another store', () => {
    expect(() => assertStoreAccess(actor('clerk', 3), 7)).toThrow(ForbiddenError);
  });

  it('limits lists to the own store for store roles only', () => {
    expect(storeScopeOf(actor('clerk', 3))).toBe(3);
    expect(storeScopeOf(actor('auditor', null))).toBeNull();
  });
});
