import { DomainError } from '@charity/common';
import { monthLabel } from './month-label';

/** 结账 waits until a month has ended and its last late writes have had time to land. */
export class MonthNotClosableError extends DomainError {
  constructor(month: string, closableFrom: Date) {
    super('MONTH_NOT_CLOSABLE', `${monthLabel(month)}尚未结束，结束 10 分钟后才能结账`, {
      month,
      closableFrom: closableFrom.toISOString(),
    });
  }
}

/** Closing a month twice. (A write into a closed month is common's MonthClosedError.) */
export class MonthAlreadyClosedError extends DomainError {
  constructor(month: string) {
    super('MONTH_CLOSED', `${monthLabel(month)}已经结账`, { month });
  }
}

/** 反结账 of a month that is open. */
export class MonthNotClosedError extends DomainError {
  constructor(month: string) {
    super('MONTH_NOT_CLOSED', `${monthLabel(month)}没有结账，无需反结账`, { month });
  }
}

/** The export's file is asked for before the worker has written it. */
export class ExportNotReadyError extends DomainError {
  constructor(exportRow: { id: number; status: string; progress: number }) {
    super('EXPORT_NOT_READY', `导出文件还没有生成（当前进度 ${exportRow.progress}%）`, {
      id: exportRow.id,
      status: exportRow.status,
      progress: exportRow.progress,
    });
  }
}
