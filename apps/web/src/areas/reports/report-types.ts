// The shapes the reports api answers with, generated from its OpenAPI document (docs/api.md);
// amounts are integer fen, counts and points integers.
import type { Schema } from '@/api/types';

export type AidRegisterRow = Schema<'AidRegisterRowResponse'>;
export type BreakdownRow = Schema<'BreakdownRowResponse'>;
export type CategoryValue = Schema<'CategoryValueResponse'>;
export type DonationRegisterRow = Schema<'DonationRegisterRowResponse'>;
export type DonorKindFigures = Schema<'DonorKindFiguresResponse'>;
export type HouseholdCategoryFigures = Schema<'HouseholdCategoryFiguresResponse'>;
export type MonthlyReport = Schema<'MonthlyReportResponse'>;
export type PeriodFigures = Schema<'PeriodFiguresResponse'>;
export type ReportRegion = Schema<'ReportRegionResponse'>;
export type TopDonor = Schema<'TopDonorResponse'>;
export type TrendPoint = Schema<'TrendPointResponse'>;

export type ExportView = Schema<'ExportResponse'>;
export type ExportStatus = ExportView['status'];
export type ExportFormat = ExportView['format'];

export type MonthState = Schema<'MonthStateResponse'>;

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
