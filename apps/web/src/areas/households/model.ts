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

export interface PointsEntry {
  id: string;
  kind: PointsEntryKind;
  points: number;
  balanceAfter: number;
  storeId: number;
  actorId: number | null;
  actorName: string | null;
  occurredAt: string;
  businessDate: string;
  reason: string;
  source: { type: string; id: string | null };
  ruleId: number | null;
  batchId: number | null;
  period: string | null;
  reversesEntryId: string | null;
  reversedByEntryId: string | null;
}

export interface PointsStatement {
  householdId: number;
  cardNo: string;
  balance: number;
  spendable: number;
  expiringSoon: {
    points: number;
    withinDays: number;
    grants: { expiresOn: string; points: number }[];
  };
  entries: { items: PointsEntry[]; total: number; page: number; pageSize: number };
}

export interface PointsWrite {
  entry: PointsEntry;
  balance: number;
}

export interface PointRule {
  id: number;
  code: string;
  name: string;
  points: number;
  monthlyCap: number | null;
  description: string | null;
  active: boolean;
}

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

export interface AwardBatch {
  id: number;
  regionId: number;
  regionName: string | null;
  month: string;
  status: BatchStatus;
  noticeDays: number;
  postOn: string;
  lineCount: number;
  pointsTotal: number;
  note: string | null;
  createdBy: number;
  createdAt: string;
  postedAt: string | null;
  withdrawnAt: string | null;
  withdrawReason: string | null;
  lastError: string | null;
}

export interface AwardBatchLine {
  rowNo: number;
  householdId: number;
  cardNo: string;
  headNameMasked: string;
  ruleCode: string;
  ruleName: string;
  points: number;
  note: string | null;
  entryId: string | null;
}

export interface AwardBatchDetail extends AwardBatch {
  lines: AwardBatchLine[];
}

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
