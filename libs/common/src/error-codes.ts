/** Stable error codes clients switch on. Adding one forces a decision in `httpStatusFor`. */
export type ErrorCode =
  | 'VALIDATION_FAILED'
  | 'MALFORMED_JSON'
  | 'BAD_REQUEST'
  | 'PAYLOAD_TOO_LARGE'
  | 'UNAUTHENTICATED'
  | 'INVALID_CREDENTIALS'
  | 'ACCOUNT_DISABLED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'ROUTE_NOT_FOUND'
  | 'DUPLICATE'
  | 'CONFLICT'
  | 'INVALID_REGION_PARENT'
  | 'INSUFFICIENT_STOCK'
  | 'DUPLICATE_BARCODE'
  | 'INVALID_BARCODE'
  | 'UNKNOWN_BARCODE'
  | 'LOT_EXPIRED'
  | 'PRODUCT_INACTIVE'
  | 'TRANSFER_NOT_PENDING'
  | 'INVALID_TRANSFER'
  | 'STOCKTAKE_NOT_OPEN'
  | 'IDEMPOTENCY_KEY_REUSED'
  | 'IDEMPOTENCY_KEY_REQUIRED'
  | 'DONATION_VOIDED'
  | 'DONATION_GOODS_CONSUMED'
  | 'INVALID_CREDIT_CODE'
  | 'RATE_LIMITED'
  | 'SERVICE_UNAVAILABLE'
  | 'INTERNAL_ERROR';

export function httpStatusFor(code: ErrorCode): number {
  switch (code) {
    case 'VALIDATION_FAILED':
    case 'MALFORMED_JSON':
    case 'BAD_REQUEST':
    case 'IDEMPOTENCY_KEY_REQUIRED':
      return 400;
    case 'UNAUTHENTICATED':
    case 'INVALID_CREDENTIALS':
    case 'ACCOUNT_DISABLED':
      return 401;
    case 'FORBIDDEN':
      return 403;
    case 'NOT_FOUND':
    case 'ROUTE_NOT_FOUND':
    case 'UNKNOWN_BARCODE':
      return 404;
    case 'DUPLICATE':
    case 'CONFLICT':
    case 'DUPLICATE_BARCODE':
    case 'INSUFFICIENT_STOCK':
    case 'LOT_EXPIRED':
    case 'PRODUCT_INACTIVE':
    case 'TRANSFER_NOT_PENDING':
    case 'STOCKTAKE_NOT_OPEN':
    case 'DONATION_VOIDED':
    case 'DONATION_GOODS_CONSUMED':
      return 409;
    case 'PAYLOAD_TOO_LARGE':
      return 413;
    case 'INVALID_REGION_PARENT':
    case 'INVALID_BARCODE':
    case 'INVALID_TRANSFER':
    case 'IDEMPOTENCY_KEY_REUSED':
    case 'INVALID_CREDIT_CODE':
      return 422;
    case 'RATE_LIMITED':
      return 429;
    case 'SERVICE_UNAVAILABLE':
      return 503;
    case 'INTERNAL_ERROR':
      return 500;
  }
}
