import type { RouteRecordRaw } from 'vue-router';

export const stockRoutes: RouteRecordRaw[] = [
  { path: '/stock', component: () => import('./StockView.vue') },
];
