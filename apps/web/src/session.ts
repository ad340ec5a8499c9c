// Who is logged in. Kept in localStorage so a reload keeps the session; dropped when the api
// answers 401 (expired or revoked token), which sends the user back to the login page.
import { computed, reactive } from 'vue';

export type Role = 'county_admin' | 'store_manager' | 'clerk' | 'auditor';

export interface SessionUser {
  id: number;
  username: string;
  displayName: string;
  role: Role;
  storeId: number | null;
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

export function hasRole(...roles: Role[]): boolean {
  return session.user !== null && roles.includes(session.user.role);
}
