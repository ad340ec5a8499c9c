import type { BatchedCheck } from './statement-batch';

export const ROLES = ['county_admin', 'store_manager', 'clerk', 'auditor'] as const;
export type Role = (typeof ROLES)[number];

/** Roles that belong to one store; the others belong to the county. */
export const STORE_ROLES: readonly Role[] = ['store_manager', 'clerk'];

export function isStoreRole(role: Role): boolean {
  return STORE_ROLES.includes(role);
}

/** Who is doing something, carried from the request into services and the audit log. */
export interface Actor {
  userId: number;
  username: string;
  role: Role;
  /** Set for store roles, null for county roles. */
  storeId: number | null;
  requestId?: string;
  ip?: string;
}

/** The actor for work the system does on its own (schedules, bootstrap). */
export const SYSTEM_ACTOR: Actor = {
  userId: 0,
  username: 'system',
  role: 'county_admin',
  storeId: null,
};

/**
 * The check of the signed-in user that a checkout runs with its first reads, when there is nothing
 * left to check: the api's guard read the user itself, or no one signed in (the system, the demo).
 */
export const USER_ALREADY_CHECKED: BatchedCheck = () => () => undefined;
