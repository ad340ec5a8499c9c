import { httpStatusFor, type ErrorCode } from '@charity/common';
import type { INestApplication } from '@nestjs/common';
import express, { type NextFunction, type Request, type Response } from 'express';

export const BODY_LIMIT = '2mb';

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
  app.use(express.json({ limit: BODY_LIMIT }));
  app.use(express.urlencoded({ extended: false, limit: BODY_LIMIT }));
  app.use((error: unknown, _request: Request, response: Response, next: NextFunction) => {
    const type = (error as { type?: unknown } | null)?.type;
    let code: ErrorCode;
    let message: string;
    if (type === 'entity.parse.failed') {
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
    response.status(statusCode).json({ statusCode, code, message, details: { type } });
  });
}
