// Who is logged in. Kept in localStorage so a reload keeps the session; dropped when the api
// answers 401 (expired or revoked token), which sends the user back to the login page. A user
// whose password someone else set is held at the 修改密码 page until they set their own.
import { computed, reactive } from 'vue';

export type Role = 'county_admin' | 'store_manager' | 'clerk' | 'auditor';

export interface SessionUser {
  id: number;
  username: string;
  displayName: string;
  role: Role;
  storeId: number | null;
  /** The api refuses everything but the password change until the user sets their own. */
  mustChangePassword: boolean;
}

interface SessionState {
  token: string | null;
  user: SessionUser | null;
}

const STORAGE_KEY = 'charity.session';

function restore(): SessionState {
  try {
    const saved = JSON.parse(localStorage.getItem(STORAGE_KEY) ?? 'null') as SessionState | null;
    if (saved?.token && saved.user) return saved;
  } catch {
    // a damaged entry is the same as none
  }
  return { token: null, user: null };
}

export const session = reactive<SessionState>(restore());

export const ROLE_LABELS: Record<Role, string> = {
  county_admin: '县总工会管理员',
  store_manager: '店长',
  clerk: '店员',
  auditor: '审计',
};

export function signIn(token: string, user: SessionUser): void {
  session.token = token;
  session.user = user;
  localStorage.setItem(STORAGE_KEY, JSON.stringify({ token, user }));
}

export function signOut(): void {
  session.token = null;
  session.user = null;
  localStorage.removeItem(STORAGE_KEY);
}

export const isSignedIn = computed(() => session.token !== null && session.user !== null);

/** The signed-in user may do nothing but change the password (see ChangePasswordView). */
export const mustChangePassword = computed(() => session.user?.mustChangePassword === true);

/** The api said so (403 PASSWORD_CHANGE_REQUIRED): the saved session was out of date. */
export function requirePasswordChange(): void {
  if (session.token && session.user)
    signIn(session.token, { ...session.user, mustChangePassword: true });
}

export function hasRole(...roles: Role[]): boolean {
  return session.user !== null && roles.includes(session.user.role);
}
