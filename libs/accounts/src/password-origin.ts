import { DEV_DEFAULTS } from '@charity/config';

/**
 * Where a user's current password came from: the demo county's published password, the first
 * admin's ADMIN_PASSWORD, an admin (creation, reset, the reset command), or the user themself.
 */
export const PASSWORD_ORIGINS = ['demo', 'bootstrap', 'admin', 'self'] as const;
export type PasswordOrigin = (typeof PASSWORD_ORIGINS)[number];

/** Every demo staff account's password, printed in the README. */
export const DEMO_STAFF_PASSWORD = 'Demo@2026';

/**
 * Passwords anyone who has read the README knows: never accepted as a new password, and a
 * production database refuses to start while an account still has one of them.
 */
export const PUBLISHED_PASSWORDS: readonly string[] = [
  DEMO_STAFF_PASSWORD,
  DEV_DEFAULTS.ADMIN_PASSWORD,
];

export interface PasswordState {
  passwordOrigin: PasswordOrigin;
  mustChangePassword: boolean;
}

/**
 * Whether the user has to set their own password before doing anything else. Demo accounts are
 * let through outside production, so the demo county logs straight in; production never has
 * them (it refuses to start).
 */
export function passwordChangeRequired(
  user: PasswordState,
  nodeEnv: 'development' | 'production' | 'test',
): boolean {
  if (!user.mustChangePassword) return false;
  return user.passwordOrigin !== 'demo' || nodeEnv === 'production';
}
