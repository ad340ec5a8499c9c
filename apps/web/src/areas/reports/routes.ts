import type { RouteRecordRaw } from 'vue-router';

export const reportsRoutes: RouteRecordRaw[] = [
  { path: '/reports', component: () => import('./ReportsView.vue') },
];
