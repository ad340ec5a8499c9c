// The shapes the reports api answers with (apps/api/src/reports, libs/reports/src/monthly-report.types.ts).
// Amounts are integer fen, counts and points integers.

export interface ReportRegion {
  id: number | null;
  level: 'province' | 'county' | 'township' | 'village' | 'store';
  name: string;
}

export interface DonorKindFigures {
  kind: string;
  label: string;
  count: number;
  donors: number;
  totalValueFen: number;
}

export interface CategoryValue {
  categoryId: number;
  name: string;
  quantity: number;
  valueFen: number;
}

export interface TopDonor {
  donorId: number;
  name: string;
  kind: string;
  count: number;
  totalValueFen: number;
}

export interface HouseholdCategoryFigures {
  category: string;
  label: string;
  households: number;
  visits: number;
  pointsRedeemed: number;
  goodsValueFen: number;
}

export interface PeriodFigures {
  stores: { active: number };
  donations: {
    count: number;
    donors: number;
    goodsValueFen: number;
    cashFen: number;
    totalValueFen: number;
    byDonorKind: DonorKindFigures[];
    byCategory: CategoryValue[];
    topDonors: TopDonor[];
    corrections: { count: number; totalValueFen: number };
  };
  aid: {
    households: number;
    visits: number;
    pointsRedeemed: number;
    goodsValueFen: number;
    byCategory: HouseholdCategoryFigures[];
    corrections: { visits: number; pointsRedeemed: number; goodsValueFen: number };
  };
  points: {
    issued: number;
    redeemed: number;
    expired: number;
    adjusted: number;
    outstanding: number;
  };
  stock: { onHandValueFen: number; expiredWriteOffValueFen: number };
}

export interface BreakdownRow {
  regionId: number | null;
  storeId: number | null;
  code: string | null;
  name: string;
  activeStores: number;
  donationCount: number;
  donationValueFen: number;
  households: number;
  visits: number;
  pointsRedeemed: number;
  goodsValueFen: number;
}

export interface TrendPoint {
  month: string;
  donationValueFen: number;
  visits: number;
  households: number;
}

export interface MonthlyReport extends PeriodFigures {
  month: string;
  region: ReportRegion;
  yearToDate: PeriodFigures;
  lastYear: PeriodFigures | null;
  townships: BreakdownRow[];
  storesBreakdown: BreakdownRow[];
  trend: TrendPoint[];
  headline: string;
  source: 'live' | 'snapshot';
  closedAt: string | null;
  generatedAt: string;
}

export interface DonationRegisterRow {
  donationId: number;
  receiptNo: string;
  receivedDate: string;
  storeId: number;
  storeName: string;
  donorId: number;
  donorName: string;
  donorKind: string;
  lineNo: number | null;
  productName: string | null;
  categoryName: string | null;
  quantity: number | null;
  unit: string | null;
  unitValueFen: number | null;
  amountFen: number;
  cashFen: number;
  status: 'active' | 'voided';
}

export interface AidRegisterRow {
  redemptionId: number;
  receiptNo: string;
  businessDate: string;
  storeId: number;
  storeName: string;
  townshipName: string | null;
  cardNo: string;
  householdCategory: string;
  householdCategoryLabel: string;
  fulfilment: string;
  status: string;
  lines: number;
  pointsTotal: number;
  goodsValueFen: number;
}

export type ExportStatus = 'queued' | 'running' | 'done' | 'failed';
export type ExportFormat = 'pdf' | 'xlsx';

export interface ExportView {
  id: number;
  kind: 'monthly' | 'donor_impact';
  month: string;
  regionId: number | null;
  storeId: number | null;
  format: ExportFormat;
  status: ExportStatus;
  progress: number;
  fileName: string | null;
  bytes: number | null;
  error: string | null;
  archived: boolean;
  createdAt: string;
  finishedAt: string | null;
  fileUrl: string | null;
}

export interface MonthState {
  month: string;
  status: 'open' | 'closed';
  closedAt: string | null;
  closedBy: number | null;
  reopenedAt: string | null;
  reopenedBy: number | null;
  reopenReason: string | null;
}

export const DONOR_KIND_LABELS: Record<string, string> = {
  individual: '个人',
  company: '企业',
  organization: '单位/组织',
  union_member: '工会会员',
};

export const EXPORT_STATUS_LABELS: Record<ExportStatus, string> = {
  queued: '排队等候中',
  running: '正在生成',
  done: '已完成',
  failed: '生成失败',
};

export const AID_STATUS_LABELS: Record<string, string> = {
  completed: '已完成',
  awaiting_delivery: '待配送',
  delivered: '已送达',
  cancelled: '已取消',
  voided: '已作废',
};

export const FULFILMENT_LABELS: Record<string, string> = {
  pickup: '到店',
  delivery: '送货上门',
};

/** `2026-10` → `2026年10月` */
export function monthLabel(month: string): string {
  const [year, mon] = month.split('-');
  return `${year}年${Number(mon)}月`;
}

/** A count as people read it: 12,345. */
export function count(value: number | null | undefined): string {
  return value === null || value === undefined ? '—' : value.toLocaleString('zh-CN');
}
