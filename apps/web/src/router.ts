import { ElMessage } from 'element-plus';
import {
  createRouter,
  createWebHistory,
  type RouteLocationNormalized,
  type RouteRecordRaw,
} from 'vue-router';
import { whenPasswordChangeRequired, whenUnauthorized } from '@/api/client';
import { areaOf } from '@/areas';
import { adminRoutes } from '@/areas/admin/routes';
import { householdsRoutes } from '@/areas/households/routes';
import { intakeRoutes } from '@/areas/intake/routes';
import { reportsRoutes } from '@/areas/reports/routes';
import { stockRoutes } from '@/areas/stock/routes';
import { tillRoutes } from '@/areas/till/routes';
import AppLayout from '@/layout/AppLayout.vue';
import { hasRole, isSignedIn, mustChangePassword, requirePasswordChange } from '@/session';
import ChangePasswordView from '@/views/ChangePasswordView.vue';
import HomeView from '@/views/HomeView.vue';
import LoginView from '@/views/LoginView.vue';

export const PASSWORD_PATH = '/password';

const routes: RouteRecordRaw[] = [
  { path: '/login', component: LoginView, meta: { public: true } },
  { path: PASSWORD_PATH, component: ChangePasswordView },
  {
    path: '/',
    component: AppLayout,
    children: [
      { path: '', component: HomeView },
      ...tillRoutes,
      ...intakeRoutes,
      ...householdsRoutes,
      ...stockRoutes,
      ...reportsRoutes,
      ...adminRoutes,
    ],
  },
  { path: '/:rest(.*)*', redirect: '/' },
];

export const router = createRouter({ history: createWebHistory(), routes });

router.beforeEach((to, from) => {
  if (to.meta.public) return true;
  if (!isSignedIn.value) return { path: '/login', query: { redirect: to.fullPath } };
  // a password someone else set: nowhere else until the user has chosen their own
  if (mustChangePassword.value && to.path !== PASSWORD_PATH) {
    return { path: PASSWORD_PATH, query: { redirect: to.fullPath } };
  }
  const area = areaOf(to.path);
  if (area && !hasRole(...area.roles)) return { path: '/' };
  // a clerk's work is the till: just signed in, they start there, not three Tabs away from it
  // (首页 in the menu still opens the home screen)
  if (to.path === '/' && justSignedIn(from) && hasRole('clerk')) return { path: '/till' };
  return true;
});

/** Coming from the login page or the password change, which hand over to `/` by default. */
function justSignedIn(from: RouteLocationNormalized): boolean {
  return from.path === '/login' || from.path === PASSWORD_PATH;
}

// An expired token: back to login, and from there back to the same screen. Screens that hold
// unfinished work (the till's cart) keep it in sessionStorage, so nothing typed is lost.
whenUnauthorized(() => {
  const current = router.currentRoute.value;
  if (current.meta.public) return;
  // the screen's own error toasts for the refused requests would only repeat the login notice
  void router
    .replace({ path: '/login', query: { redirect: current.fullPath, expired: '1' } })
    .then(() => ElMessage.closeAll('error'));
});

// The api holds the user at the password change (an admin reset it since the session began).
whenPasswordChangeRequired(() => {
  requirePasswordChange();
  const current = router.currentRoute.value;
  if (current.meta.public || current.path === PASSWORD_PATH) return;
  void router
    .replace({ path: PASSWORD_PATH, query: { redirect: current.fullPath } })
    .then(() => ElMessage.closeAll('error'));
});
