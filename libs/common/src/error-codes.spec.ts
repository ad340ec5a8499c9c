import { httpStatusFor, type ErrorCode } from './error-codes';

describe('httpStatusFor', () => {
  it.each<[ErrorCode, number]>([
    ['VALIDATION_FAILED', 400],
    ['MALFORMED_JSON', 400],
    ['UNAUTHENTICATED', 401],
    ['INVALID_CREDENTIALS', 401],
    ['FORBIDDEN', 403],
    ['NOT_FOUND', 404],
    ['DUPLICATE', 409],
    ['INVALID_REGION_PARENT', 422],
    ['RATE_LIMITED', 429],
  ])('%s is %d', (code, status) => {
    expect(httpStatusFor(code)).toBe(status);
  });
});
