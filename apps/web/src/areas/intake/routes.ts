import type { RouteRecordRaw } from 'vue-router';

export const intakeRoutes: RouteRecordRaw[] = [
  { path: '/intake', component: () => import('./IntakeView.vue') },
];
