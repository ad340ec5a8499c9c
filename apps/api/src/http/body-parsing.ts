import { httpStatusFor, type ErrorCode } from '@charity/common';
import type { INestApplication } from '@nestjs/common';
import express, { type NextFunction, type Request, type Response } from 'express';
import { MAX_JSON_DEPTH, nestsDeeperThan } from './json-depth';

export const BODY_LIMIT = '2mb';

const TOO_DEEP = 'entity.too.deep';

/** The too-deep answer names the body as a field, as every VALIDATION_FAILED names its fields. */
const DEPTH_PROBLEM = {
  field: 'body',
  constraints: ['maxDepth'],
  messages: [`the body must not nest objects and arrays more than ${MAX_JSON_DEPTH} deep`],
};

/**
 * body-parser's `verify` hook: refuses JSON nested deeper than MAX_JSON_DEPTH before it is
 * parsed. A UTF-16 body is measured as UTF-8; a charset the platform cannot decode (UTF-32) is
 * refused rather than parsed unmeasured.
 */
function refuseDeepJson(_request: Request, _response: Response, raw: Buffer, charset: string) {
  let utf8: Uint8Array = raw;
  if (charset !== 'utf-8') {
    try {
      utf8 = Buffer.from(new TextDecoder(charset).decode(raw), 'utf8');
    } catch {
      throw Object.assign(new Error(`unsupported charset ${charset}`), {
        status: 415,
        type: 'charset.unsupported',
      });
    }
  }
  if (nestsDeeperThan(utf8, MAX_JSON_DEPTH)) {
    throw Object.assign(new Error(`JSON nested deeper than ${MAX_JSON_DEPTH} levels`), {
      status: 400,
      type: TOO_DEEP,
    });
  }
}

function isClientError(error: unknown): boolean {
  const status = (error as { status?: unknown } | null)?.status;
  return typeof status === 'number' && status >= 400 && status < 500;
}

/**
 * JSON and form bodies, with parse failures answered in the API's error shape right here:
 * Nest would otherwise turn invalid JSON into a generic 400 that no longer says what happened.
 * The app must be created with `bodyParser: false`.
 */
export function useBodyParsing(app: INestApplication): void {
  app.use(express.json({ limit: BODY_LIMIT, verify: refuseDeepJson }));
  app.use(express.urlencoded({ extended: false, limit: BODY_LIMIT }));
  app.use((error: unknown, _request: Request, response: Response, next: NextFunction) => {
    const type = (error as { type?: unknown } | null)?.type;
    let code: ErrorCode;
    let message: string;
    let details: Record<string, unknown> = { type };
    if (type === TOO_DEEP) {
      code = 'VALIDATION_FAILED';
      message = `请求体嵌套过深：对象和数组最多嵌套 ${MAX_JSON_DEPTH} 层`;
      details = { type, maxDepth: MAX_JSON_DEPTH, fields: [DEPTH_PROBLEM] };
    } else if (type === 'entity.parse.failed') {
      code = 'MALFORMED_JSON';
      message = '请求体不是有效的 JSON';
    } else if (type === 'entity.too.large') {
      code = 'PAYLOAD_TOO_LARGE';
      message = `请求体过大（上限 ${BODY_LIMIT}）`;
    } else if (typeof type === 'string' || isClientError(error)) {
      // e.g. a body that claims to be gzip but is not
      code = 'BAD_REQUEST';
      message = '请求体无法解析';
    } else {
      return next(error);
    }
    const statusCode = httpStatusFor(code);
    response.status(statusCode).json({ statusCode, code, message, details });
  });
}
