import { httpStatusFor, type ErrorCode } from './error-codes';

describe('httpStatusFor', () => {
  it.each<[ErrorCode, number]>([
    ['VALIDATION_FAILED', 400],
    ['MALFORMED_JSON', 400],
    ['UNAUTHENTICATED', 401],
    ['INVALID_CREDENTIALS', 401],
    ['FORBIDDEN', 403],
    ['PASSWORD_CHANGE_REQUIRED', 403],
    ['CURRENT_PASSWORD_INCORRECT', 422],
    ['NOT_FOUND', 404],
    ['DUPLICATE', 409],
    ['INVALID_REGION_PARENT', 422],
    ['RATE_LIMITED', 429],
    ['CARD_NOT_FOUND', 404],
    ['DUPLICATE_HOUSEHOLD', 409],
    ['INSUFFICIENT_POINTS', 409],
    ['HOUSEHOLD_INACTIVE', 409],
    ['IMPORT_REJECTED', 422],
  ])('%s is %d', (code, status) => {
    expect(httpStatusFor(code)).toBe(status);
  });
});
