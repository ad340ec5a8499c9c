import { createHash } from 'node:crypto';
import { DomainError } from './domain-error';

/** `Idempotency-Key` header values the API accepts. */
export const IDEMPOTENCY_KEY_PATTERN = /^[A-Za-z0-9_.:-]{8,100}$/;

/** Canonical JSON of a request body, so a replay with the same body is recognised as the same. */
export function hashRequest(input: unknown): string {
  const canonical = (value: unknown): unknown =>
    Array.isArray(value)
      ? value.map(canonical)
      : value && typeof value === 'object'
        ? Object.fromEntries(
            Object.entries(value as Record<string, unknown>)
              .filter(([, v]) => v !== undefined)
              .sort(([a], [b]) => a.localeCompare(b))
              .map(([k, v]) => [k, canonical(v)]),
          )
        : value;
  return createHash('sha256')
    .update(JSON.stringify(canonical(input)))
    .digest('hex');
}

export class IdempotencyKeyReusedError extends DomainError {
  constructor(key: string) {
    super(
      'IDEMPOTENCY_KEY_REUSED',
      `Idempotency-Key “${key}” 已用于另一笔不同内容的请求，请为新的请求生成新的键`,
      { idempotencyKey: key },
    );
  }
}
