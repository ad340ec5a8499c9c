import type { RouteRecordRaw } from 'vue-router';

export const adminRoutes: RouteRecordRaw[] = [
  {
    path: '/admin',
    component: () => import('./AdminView.vue'),
    children: [
      { path: '', redirect: '/admin/users' },
      { path: '/admin/users', component: () => import('./UsersTab.vue') },
      { path: '/admin/stores', component: () => import('./StoresTab.vue') },
      { path: '/admin/point-rules', component: () => import('./PointRulesTab.vue') },
      { path: '/admin/allotments', component: () => import('./AllotmentsTab.vue') },
      { path: '/admin/audit-log', component: () => import('./AuditLogTab.vue') },
    ],
  },
];
