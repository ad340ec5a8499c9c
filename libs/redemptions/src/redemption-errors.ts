import {
  DomainError,
  ForbiddenError,
  NotFoundError,
  ValidationFailedError,
  type ErrorDetails,
} from '@charity/common';
import { formatYuan } from '@charity/documents';
import { HouseholdInactiveError, InsufficientPointsError } from '@charity/households';
import { InsufficientStockError, UnknownBarcodeError } from '@charity/inventory';
import {
  DELIVERY_ADDRESS_MESSAGE,
  limitMessage,
  type CartProblem,
  type FieldProblem,
  type LimitProblem,
} from './cart-rules';

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

/** A store that has been closed takes no checkouts. */
export class LimitOverrideForbiddenError extends ForbiddenError {
  constructor() {
    super('只有店长或县级管理员可以放行超限兑换', { field: 'limitOverrideReason' });
  }
}

export class ProductInactiveError extends DomainError {
  constructor(product: { id: number; name: string }) {
    super('PRODUCT_INACTIVE', `商品“${product.name}”已停用，不能兑换`, {
      productId: product.id,
      name: product.name,
    });
  }
}

/** A delivery with no address from the clerk and none registered for the household. */
export class DeliveryAddressRequiredError extends ValidationFailedError {
  constructor(fields: FieldProblem[]) {
    super(DELIVERY_ADDRESS_MESSAGE, { fields });
  }
}

/**
 * The error a checkout fails with: the problem to fix first (see firstProblem), thrown as its own
 * class, with every problem of the cart beside its facts so the till can show them all.
 */
export function cartProblemError(first: CartProblem, problems: CartProblem[]): DomainError {
  if (first.code === 'LIMIT_EXCEEDED') {
    return new LimitExceededError(
      problems.flatMap((problem) => (problem.code === 'LIMIT_EXCEEDED' ? [problem.details] : [])),
    );
  }
  const error = problemError(first);
  const details: ErrorDetails = error.details;
  details.problems = problems;
  return error;
}

function problemError(problem: Exclude<CartProblem, { code: 'LIMIT_EXCEEDED' }>): DomainError {
  switch (problem.code) {
    case 'HOUSEHOLD_INACTIVE': {
      const { householdId, cardNo, status } = problem.details;
      return new HouseholdInactiveError({ id: householdId, cardNo, status });
    }
    case 'UNKNOWN_BARCODE':
      return new UnknownBarcodeError(problem.details.barcode);
    case 'NOT_FOUND':
      return new NotFoundError(problem.details.entity, problem.details.id);
    case 'PRODUCT_INACTIVE':
      return new ProductInactiveError({
        id: problem.details.productId,
        name: problem.details.name,
      });
    case 'INSUFFICIENT_STOCK': {
      const { productId, name, requested, available } = problem.details;
      return new InsufficientStockError(productId, name, requested, available);
    }
    case 'INSUFFICIENT_POINTS': {
      const { householdId, balance, needed } = problem.details;
      return new InsufficientPointsError(householdId, balance, needed);
    }
    case 'VALIDATION_FAILED':
      return new DeliveryAddressRequiredError(problem.details.fields);
  }
}
