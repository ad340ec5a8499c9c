import { DomainError, ValidationFailedError } from '@charity/common';
import { formatYuan } from '@charity/documents';

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

/** A redemption line's value is kept in an INT UNSIGNED column (`redemption_lines.value_fen`). */
export const MAX_LINE_VALUE_FEN = 4_294_967_295;

/**
 * The goods of one line are worth more than a line can record (43 units of a ¥1,000,000 lot):
 * refused before anything is written, naming the line's quantity.
 */
export class LineValueTooLargeError extends ValidationFailedError {
  constructor(
    line: { index: number; productId: number; name: string; quantity: number },
    valueFen: number,
  ) {
    const field = `lines.${line.index}.quantity`;
    super(
      `第 ${line.index + 1} 行“${line.name}”${line.quantity} 件价值 ${formatYuan(valueFen)} 元，超过单行上限 ${formatYuan(MAX_LINE_VALUE_FEN)} 元，请减少数量分次兑换`,
      {
        productId: line.productId,
        quantity: line.quantity,
        valueFen,
        maxValueFen: MAX_LINE_VALUE_FEN,
        fields: [
          {
            field,
            constraints: ['max'],
            messages: [`the line's goods are worth more than ${MAX_LINE_VALUE_FEN} fen`],
          },
        ],
      },
    );
  }
}
