import { DomainError } from '@charity/common';

/** A write that must not run twice (a checkout) came without its `Idempotency-Key` header. */
export class IdempotencyKeyRequiredError extends DomainError {
  constructor() {
    super('IDEMPOTENCY_KEY_REQUIRED', '必须带 Idempotency-Key 请求头，以免重复提交', {
      fields: [
        { field: 'Idempotency-Key', constraints: ['required'], messages: ['header required'] },
      ],
    });
  }
}

/** An uploaded file over the route's limit (multer stopped reading it). */
export class UploadTooLargeError extends DomainError {
  constructor(field: string, maxBytes: number) {
    const megabytes = Math.round(maxBytes / 1024 / 1024);
    super('PAYLOAD_TOO_LARGE', `文件过大：上限 ${megabytes} MB`, { field, maxBytes });
  }
}

/** A multipart body multer could not read; `reason` is multer's own words. */
export class UnreadableUploadError extends DomainError {
  constructor(reason: string) {
    super('BAD_REQUEST', '上传的内容无法解析：multipart/form-data 格式有误或字段过多', { reason });
  }
}

/** Too many logins for one address and username: the next may come after `seconds`. */
export class LoginRateLimitedError extends DomainError {
  constructor(seconds: number) {
    super('RATE_LIMITED', `登录尝试过于频繁，请 ${seconds} 秒后再试`, {
      retryAfterSeconds: seconds,
    });
  }
}

/** A user's household lookups used up this minute's `limit`: the next may come after `seconds`. */
export class LookupRateLimitedError extends DomainError {
  constructor(seconds: number, limit: number) {
    super('RATE_LIMITED', `查询困难户过于频繁，请 ${seconds} 秒后再试`, {
      retryAfterSeconds: seconds,
      limit,
    });
  }
}
