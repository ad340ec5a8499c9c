// What the admin screens share: the shapes the api returns, Chinese labels for its codes, and
// the store and region lists most screens look names up in.
import { computed, ref } from 'vue';
import { get, type Page } from '@/api/client';
import type { Schema } from '@/api/types';
import { hasRole, type Role } from '@/session';

/** Only a county admin changes anything here; an auditor reads everything. */
export const canEdit = computed(() => hasRole('county_admin'));

export const ROLE_OPTIONS: Role[] = ['clerk', 'store_manager', 'county_admin', 'auditor'];

export function isStoreRole(role: Role): boolean {
  return role === 'clerk' || role === 'store_manager';
}

export type UserRow = Schema<'UserView'>;

export type RegionLevel = 'county' | 'township' | 'village';

export const LEVEL_LABELS: Record<RegionLevel, string> = {
  county: '县',
  township: '乡镇/街道',
  village: '村/社区',
};

export type Region = Schema<'RegionView'>;

export type Store = Schema<'StoreView'>;

export type PointRule = Schema<'PointRuleResponse'>;

export type CardNameDisplay = PointsPolicy['cardNameDisplay'];

export type PointsPolicy = Schema<'PointsPolicyResponse'>;

export type AllotmentSchedule = Schema<'AllotmentScheduleResponse'>;

export type AllotmentSummary = Schema<'AllotmentSummaryResponse'>;

/** The month's queued run (GET /allotments/:month `run`). */
export type AllotmentRunStatus = Schema<'AllotmentRunStatusResponse'>;

/** A run's state as the county admin reads it. */
export function runStatusText(run: AllotmentRunStatus): string {
  const progress = run.progress;
  switch (run.state) {
    case 'waiting':
      return '排队中，等待后台发放';
    case 'active':
      return progress ? `发放中：已发 ${progress.households} 户，${progress.points} 分` : '发放中';
    case 'delayed':
      return `出错，稍后自动重试（已失败 ${run.failedAttempts} 次：${run.failedReason ?? '原因未知'}）`;
    case 'completed':
      return run.result
        ? `已完成：本次发放 ${run.result.households} 户，${run.result.points} 分；此前已发放、跳过 ${run.result.skipped} 户`
        : '已完成';
    case 'failed':
      return `发放失败（${run.failedReason ?? '原因未知'}），请稍后重新发放或联系管理员`;
    case 'paused':
      return '后台任务队列已暂停，恢复后继续发放';
    default:
      return '正在查询任务状态…';
  }
}

export type AuditEntry = Schema<'AuditEntryView'>;

/** The dotted verbs the api records, as a person would say them. */
export const ACTION_LABELS: Record<string, string> = {
  'auth.login': '登录',
  'auth.login_failed': '登录失败',
  'user.create': '新建用户',
  'user.update': '修改用户',
  'user.password_reset': '重置密码',
  'region.create': '新建区域',
  'store.create': '新建超市',
  'store.update': '修改超市',
  'point_rule.create': '新建积分规则',
  'point_rule.update': '修改积分规则',
  'points.policy': '修改积分政策',
  'points.award': '积分评定',
  'points.allotment': '积分发放',
  'points.allotment.request': '申请积分发放',
  'points.adjustment': '积分调整',
  'points.reversal': '积分冲正',
  'points.expiry': '积分过期',
  'allotment.schedule': '修改发放标准',
  'point_award_batch.create': '新建评定批次',
  'point_award_batch.post': '发布评定批次',
  'point_award_batch.withdraw': '撤回评定批次',
  'household.create': '登记困难户',
  'household.update': '修改困难户',
  'household.import': '导入困难户',
  'household.reveal': '查看完整身份证号',
  'donor.create': '新建捐赠人',
  'donor.update': '修改捐赠人',
  'donation.create': '登记捐赠',
  'donation.void': '作废捐赠',
  'product.create': '新建商品',
  'product.update': '修改商品',
  'product_category.create': '新建商品分类',
  'product_category.update': '修改商品分类',
  'stock.adjust': '库存调整',
  'transfer.create': '新建调拨',
  'transfer.receive': '调拨收货',
  'transfer.cancel': '取消调拨',
  'stocktake.open': '开始盘点',
  'stocktake.count': '录入盘点',
  'stocktake.finalize': '完成盘点',
  'stocktake.cancel': '取消盘点',
  'redemption.create': '兑换',
  'redemption.deliver': '送货上门',
  'redemption.void': '作废兑换',
  'redemption.cancel': '取消兑换',
};

/** What an entry acted on, by the api's entity type. */
export const ENTITY_LABELS: Record<string, string> = {
  user: '用户',
  region: '区域',
  store: '超市',
  point_rule: '积分规则',
  point_award_batch: '评定批次',
  report_month: '月度报表',
  points_policy: '积分政策',
  allotment: '积分发放',
  allotment_schedule: '发放标准',
  household: '困难户',
  donor: '捐赠人',
  donation: '捐赠',
  product: '商品',
  product_category: '商品分类',
  transfer: '调拨',
  stocktake: '盘点',
  redemption: '兑换',
};

export const ACTOR_ROLE_LABELS: Record<string, string> = {
  county_admin: '县总工会管理员',
  store_manager: '店长',
  clerk: '店员',
  auditor: '审计',
  system: '系统',
  anonymous: '未登录',
};

/** Every store the county has (one page of 200 covers a county's ~50 shops). */
export const stores = ref<Store[]>([]);
export const regions = ref<Region[]>([]);

export async function loadStores(): Promise<void> {
  stores.value = (await get<Page<Store>>('/stores', { pageSize: 200 })).items;
}

export async function loadRegions(): Promise<void> {
  regions.value = (await get<{ items: Region[] }>('/regions')).items;
}

export function storeName(id: number | null): string {
  if (id === null) return '—';
  return stores.value.find((store) => store.id === id)?.name ?? `#${id}`;
}

/** "城关镇 / 河东村": a region named with its parents below the county. */
export function regionPath(id: number | null): string {
  const names: string[] = [];
  let region = regions.value.find((r) => r.id === id);
  while (region) {
    names.unshift(region.name);
    const parentId = region.parentId;
    region = parentId === null ? undefined : regions.value.find((r) => r.id === parentId);
  }
  return names.join(' / ') || '—';
}
