// What the report screens show: one month and one scope (the whole county, a region or a store),
// shared by the figures and the registers so switching tabs keeps the choice.
import { reactive } from 'vue';
import { currentMonth } from '@/format';

export interface ReportScope {
  month: string;
  /** `''` for everything one may see, `region:<id>` or `store:<id>`. */
  target: string;
}

export const reportScope = reactive<ReportScope>({ month: currentMonth(), target: '' });

/** The scope as the api's query: month plus regionId or storeId. */
export function scopeQuery(scope: ReportScope): {
  month: string;
  regionId?: number;
  storeId?: number;
} {
  const [kind, id] = scope.target.split(':');
  if (kind === 'region') return { month: scope.month, regionId: Number(id) };
  if (kind === 'store') return { month: scope.month, storeId: Number(id) };
  return { month: scope.month };
}
