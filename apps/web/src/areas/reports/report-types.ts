// The shapes the reports api answers with. The report's own come from the library that builds
// it (a file of types only, so the web build reads it without the server's code); amounts are
// integer fen, counts and points integers.
export type {
  AidRegisterRow,
  BreakdownRow,
  CategoryValue,
  DonationRegisterRow,
  DonorKindFigures,
  HouseholdCategoryFigures,
  MonthlyReport,
  PeriodFigures,
  ReportRegion,
  TopDonor,
  TrendPoint,
} from '../../../../../libs/reports/src/monthly-report.types';

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
