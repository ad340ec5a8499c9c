import type { RouteRecordRaw } from 'vue-router';

export const stockRoutes: RouteRecordRaw[] = [
  {
    path: '/stock',
    component: () => import('./StockView.vue'),
    children: [
      { path: '', component: () => import('./LevelsView.vue') },
      { path: 'alerts', component: () => import('./AlertsView.vue') },
      { path: 'movements', component: () => import('./MovementsView.vue') },
      { path: 'transfers', component: () => import('./TransfersView.vue') },
      { path: 'stocktakes', component: () => import('./StocktakesView.vue') },
      {
        path: 'stocktakes/:id(\\d+)',
        component: () => import('./StocktakeView.vue'),
        props: (route) => ({ stocktakeId: Number(route.params.id) }),
      },
    ],
  },
];
