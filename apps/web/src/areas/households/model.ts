// What the households screens read from the api (shapes of apps/api/src/households, point-rules,
// point-awards, regions and redemptions), and the Chinese labels of their codes.
import type { HouseholdStatus, RedemptionStatus, Schema } from '@/api/types';

export type { HouseholdStatus, RedemptionStatus };
export type PointsEntryKind =
  'award' | 'allotment' | 'adjustment' | 'redemption' | 'reversal' | 'expiry';
export type BatchStatus = 'pending' | 'posted' | 'withdrawn';

export const STATUS_LABELS: Record<HouseholdStatus, string> = {
  active: '正常',
  suspended: '暂停',
  exited: '已脱贫',
};

export const STATUS_TAG: Record<HouseholdStatus, 'success' | 'warning' | 'info'> = {
  active: 'success',
  suspended: 'warning',
  exited: 'info',
};

export const ENTRY_KIND_LABELS: Record<PointsEntryKind, string> = {
  award: '积分评定',
  allotment: '积分发放',
  adjustment: '手工调整',
  redemption: '兑换',
  reversal: '冲正',
  expiry: '过期',
};

/** Entries a manager may reverse (冲正); redemptions are voided at the till instead. */
export const REVERSIBLE_KINDS: readonly PointsEntryKind[] = ['award', 'allotment', 'adjustment'];

export const BATCH_STATUS_LABELS: Record<BatchStatus, string> = {
  pending: '公示中',
  posted: '已生效',
  withdrawn: '已撤回',
};

export const REDEMPTION_STATUS_LABELS: Record<RedemptionStatus, string> = {
  completed: '已完成',
  awaiting_delivery: '待配送',
  delivered: '已送达',
  cancelled: '已取消',
  voided: '已作废',
};

export const STATUSES = Object.keys(STATUS_LABELS) as HouseholdStatus[];

export type Household = Schema<'HouseholdResponse'>;

export type PointsEntry = Schema<'PointsEntryResponse'>;

export type PointsStatement = Schema<'PointsStatementResponse'>;

export type PointsWrite = Schema<'PointsWriteResponse'>;

export type PointRule = Schema<'PointRuleResponse'>;

export interface Region {
  id: number;
  name: string;
  level: 'county' | 'township' | 'village';
  parentId: number | null;
  code: string | null;
}

export interface StoreOption {
  id: number;
  code: string;
  name: string;
  regionId: number;
}

export interface Redemption {
  id: number;
  receiptNo: string;
  storeId: number;
  status: RedemptionStatus;
  fulfilment: 'pickup' | 'delivery';
  pointsTotal: number;
  balanceBefore: number;
  balanceAfter: number;
  occurredAt: string;
  businessDate: string;
  lines: { lineNo: number; name: string; unit: string; quantity: number; points: number }[];
}

export type AwardBatch = Schema<'AwardBatchResponse'>;

export type AwardBatchLine = Schema<'AwardBatchLineResponse'>;

export type AwardBatchDetail = Schema<'AwardBatchDetailResponse'>;

/** A row problem of an import or a batch (IMPORT_REJECTED / BATCH_REJECTED details). */
export interface RowProblem {
  row: number;
  column: string;
  message: string;
}

/** Signed points as people write them: +5, -3. */
export function signed(points: number): string {
  return points > 0 ? `+${points}` : String(points);
}
