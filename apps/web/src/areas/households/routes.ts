import type { RouteRecordRaw } from 'vue-router';
import { hasRole } from '@/session';

/** Register, edit and import are for county admins and store managers (the api's @Roles). */
const writersOnly = (): true | string => hasRole('county_admin', 'store_manager') || '/households';

export const householdsRoutes: RouteRecordRaw[] = [
  { path: '/households', component: () => import('./HouseholdsView.vue') },
  {
    path: '/households/new',
    component: () => import('./HouseholdFormView.vue'),
    beforeEnter: writersOnly,
  },
  {
    path: '/households/import',
    component: () => import('./HouseholdImportView.vue'),
    beforeEnter: writersOnly,
  },
  { path: '/households/awards', component: () => import('./AwardBatchesView.vue') },
  {
    path: '/households/:id(\\d+)',
    component: () => import('./HouseholdDetailView.vue'),
  },
  {
    path: '/households/:id(\\d+)/edit',
    component: () => import('./HouseholdFormView.vue'),
    beforeEnter: writersOnly,
  },
];
