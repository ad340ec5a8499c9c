import type { ErrorCode } from './error-codes';

export type ErrorDetails = Record<string, unknown>;

/**
 * Base of every business failure. Services throw these (never HTTP exceptions); the api's
 * exception filter turns the code into a status. Messages are for people (zh-CN).
 */
export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details: ErrorDetails = {},
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** Entity names in Chinese for messages such as "门店不存在". */
const ENTITY_LABELS: Record<string, string> = {
  region: '区域',
  store: '门店',
  user: '用户',
  product: '商品',
  productCategory: '商品类别',
  lot: '批次',
  transfer: '调拨单',
  stocktake: '盘点单',
  donor: '捐赠人',
  donation: '捐赠记录',
  household: '困难户',
  pointRule: '评定规则',
  pointsEntry: '积分记录',
  batch: '评定批次',
  redemption: '兑换单',
};

export class NotFoundError extends DomainError {
  constructor(entity: string, id: number | string) {
    super('NOT_FOUND', `${ENTITY_LABELS[entity] ?? entity}不存在（ID ${id}）`, { entity, id });
  }
}

export class ForbiddenError extends DomainError {
  constructor(message = '没有权限执行此操作', details: ErrorDetails = {}) {
    super('FORBIDDEN', message, details);
  }
}

export class DuplicateError extends DomainError {
  constructor(message: string, details: ErrorDetails = {}) {
    super('DUPLICATE', message, details);
  }
}

/** One refused input field, in the shape the validation pipe reports (`details.fields`). */
export interface FieldProblem {
  field: string;
  /** Constraint names (isInt, whitelistValidation …) a client can switch on. */
  constraints: string[];
  /** A service's words for people, or the validator's own English from a request decorator. */
  messages: string[];
}

export class ValidationFailedError extends DomainError {
  constructor(message: string, details: ErrorDetails = {}) {
    super('VALIDATION_FAILED', message, details);
  }

  /**
   * A rule the service checks itself (beyond the request's decorators) refusing one field: the
   * message is for people and also stands beside the field, as the web forms show it.
   */
  static field(field: string, message: string, constraint: string): ValidationFailedError {
    const problem: FieldProblem = { field, constraints: [constraint], messages: [message] };
    return new ValidationFailedError(message, { fields: [problem] });
  }
}
