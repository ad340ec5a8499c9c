import type { RouteRecordRaw } from 'vue-router';

export const tillRoutes: RouteRecordRaw[] = [
  { path: '/till', component: () => import('./TillView.vue') },
];
