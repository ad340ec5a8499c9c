import type { RouteRecordRaw } from 'vue-router';

export const reportsRoutes: RouteRecordRaw[] = [
  {
    path: '/reports',
    component: () => import('./ReportsView.vue'),
    children: [
      { path: '', component: () => import('./MonthlyFiguresView.vue') },
      { path: '/reports/registers', component: () => import('./RegistersView.vue') },
      { path: '/reports/archive', component: () => import('./ArchiveView.vue') },
      { path: '/reports/months', component: () => import('./MonthCloseView.vue') },
    ],
  },
];
