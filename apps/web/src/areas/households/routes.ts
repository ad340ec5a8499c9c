import type { RouteRecordRaw } from 'vue-router';

export const householdsRoutes: RouteRecordRaw[] = [
  { path: '/households', component: () => import('./HouseholdsView.vue') },
];
