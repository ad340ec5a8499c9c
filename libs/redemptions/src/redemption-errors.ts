import { DomainError } from '@charity/common';

export type LimitKind = 'product' | 'category' | 'visits';

/** One limit a checkout would break. */
export interface LimitProblem {
  limit: LimitKind;
  /** The product or category limited; absent for visits. */
  productId?: number;
  categoryId?: number;
  name?: string;
  /** Already taken this month (units, or checkouts for visits). */
  used: number;
  /** What this checkout adds. */
  requested: number;
  allowed: number;
}

export function limitMessage(problem: LimitProblem): string {
  switch (problem.limit) {
    case 'product':
      return `“${problem.name}”每户每月限兑 ${problem.allowed}，本月已兑 ${problem.used}，本次 ${problem.requested}`;
    case 'category':
      return `“${problem.name}”类商品每户每月限兑 ${problem.allowed}，本月已兑 ${problem.used}，本次 ${problem.requested}`;
    case 'visits':
      return `每户每月最多兑换 ${problem.allowed} 次，本月已兑换 ${problem.used} 次`;
  }
}

export class LimitExceededError extends DomainError {
  constructor(problems: LimitProblem[]) {
    const first = problems[0];
    super('LIMIT_EXCEEDED', first ? limitMessage(first) : '超出兑换限额', {
      ...(first ?? {}),
      problems,
    });
  }
}

export class RedemptionNotVoidableError extends DomainError {
  constructor(redemption: { id: number; receiptNo: string; status: string }, message: string) {
    super('REDEMPTION_NOT_VOIDABLE', message, {
      redemptionId: redemption.id,
      receiptNo: redemption.receiptNo,
      status: redemption.status,
    });
  }
}

export class DeliveryNotPendingError extends DomainError {
  constructor(redemption: { id: number; receiptNo: string; status: string }) {
    super('DELIVERY_NOT_PENDING', `兑换单 ${redemption.receiptNo} 不是待配送状态`, {
      redemptionId: redemption.id,
      receiptNo: redemption.receiptNo,
      status: redemption.status,
    });
  }
}
