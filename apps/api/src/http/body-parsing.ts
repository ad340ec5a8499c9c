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
 * body-parser's `verify` hook, on the raw bytes: JSON must be UTF-8 (RFC 8259 asks it of JSON
 * between systems; a UTF-16 body could not be measured as the parser will read it), and may not
 * nest deeper than MAX_JSON_DEPTH, refused before the parser builds it.
 */
function measureJson(_request: Request, _response: Response, raw: Buffer, charset: string): void {
  if (charset !== 'utf-8') {
    throw Object.assign(new Error(`unsupported charset ${charset}`), {
      status: 415,
      type: 'charset.unsupported',
    });
  }
  if (nestsDeeperThan(raw, MAX_JSON_DEPTH)) {
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
  app.use(express.json({ limit: BODY_LIMIT, verify: measureJson }));
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
    } else if (type === 'charset.unsupported') {
      code = 'BAD_REQUEST';
      message = '请求体必须是 UTF-8 编码';
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
