import { IDEMPOTENCY_KEY_PATTERN, ValidationFailedError } from '@charity/common';
import { IdempotencyKeyRequiredError } from './http-errors';

/**
 * The `Idempotency-Key` header as a write takes it: absent is allowed unless `required` (then a
 * 400 IDEMPOTENCY_KEY_REQUIRED), and a present one must be 8–100 of A-Z a-z 0-9 _ . : -.
 */
export function idempotencyKey(header: string | undefined, required: true): string;
export function idempotencyKey(header: string | undefined, required: false): string | undefined;
export function idempotencyKey(header: string | undefined, required: boolean): string | undefined {
  if (header === undefined || header === '') {
    if (!required) return undefined;
    throw new IdempotencyKeyRequiredError();
  }
  if (!IDEMPOTENCY_KEY_PATTERN.test(header)) {
    throw new ValidationFailedError('Idempotency-Key 格式不正确（8–100 位字母、数字或 _ . : -）', {
      fields: [
        {
          field: 'Idempotency-Key',
          constraints: ['matches'],
          messages: ['bad Idempotency-Key header'],
        },
      ],
    });
  }
  return header;
}
