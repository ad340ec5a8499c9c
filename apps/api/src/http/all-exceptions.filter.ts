import {
  DatabaseUnavailableError,
  DomainError,
  databaseOutage,
  httpStatusFor,
  isDuplicateKeyError,
  isLockConflict,
  type ErrorCode,
  type ErrorDetails,
} from '@charity/common';
import {
  Catch,
  HttpException,
  NotFoundException,
  Logger,
  type ArgumentsHost,
  type ExceptionFilter,
} from '@nestjs/common';
import { ThrottlerException } from '@nestjs/throttler';
import type { Response } from 'express';
import type { ApiRequest } from './request';

export interface ErrorBody {
  statusCode: number;
  code: ErrorCode;
  message: string;
  details: ErrorDetails;
}

function codeForStatus(status: number): ErrorCode {
  switch (status) {
    case 400:
      return 'VALIDATION_FAILED';
    case 401:
      return 'UNAUTHENTICATED';
    case 403:
      return 'FORBIDDEN';
    case 404:
      return 'NOT_FOUND';
    case 409:
      return 'CONFLICT';
    case 413:
      return 'PAYLOAD_TOO_LARGE';
    case 429:
      return 'RATE_LIMITED';
    case 503:
      return 'SERVICE_UNAVAILABLE';
    default:
      return status >= 500 ? 'INTERNAL_ERROR' : 'BAD_REQUEST';
  }
}

/** The one place errors become HTTP: `{ statusCode, code, message, details }`. */
@Catch()
export class AllExceptionsFilter implements ExceptionFilter {
  private readonly logger = new Logger('HttpError');

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<ApiRequest>();
    const response = http.getResponse<Response>();
    const body = this.toBody(exception, request);
    if (body.statusCode === 503) {
      // an outage, not a bug: one line per refused request, the cause named
      this.logger.warn(
        { requestId: request.id, path: request.originalUrl, details: body.details },
        `Service unavailable: ${exception instanceof Error ? exception.message : String(exception)}`,
      );
    } else if (body.statusCode >= 500) {
      this.logger.error(
        { err: exception, requestId: request.id, path: request.originalUrl },
        'Unhandled error',
      );
    }
    if (!response.headersSent) response.status(body.statusCode).json(body);
  }

  private toBody(exception: unknown, request: ApiRequest): ErrorBody {
    if (exception instanceof DomainError) return this.fromDomainError(exception);
    // a database that cannot be reached or stopped answering: a 503, whatever was running
    const outage = databaseOutage(exception);
    if (outage) return this.fromDomainError(new DatabaseUnavailableError(outage));
    if (exception instanceof ThrottlerException) {
      return this.body('RATE_LIMITED', '请求过于频繁，请稍后再试');
    }
    if (exception instanceof HttpException) return this.fromHttpException(exception, request);
    if (isLockConflict(exception)) {
      return this.body('CONFLICT', '操作与其他请求冲突，未做任何更改，请重试');
    }
    if (isDuplicateKeyError(exception)) {
      return this.body('DUPLICATE', '数据重复：已存在相同的记录');
    }
    return this.body('INTERNAL_ERROR', '服务器内部错误，请稍后重试', {
      requestId: typeof request.id === 'string' ? request.id : undefined,
    });
  }

  private fromDomainError(error: DomainError): ErrorBody {
    return {
      statusCode: httpStatusFor(error.code),
      code: error.code,
      message: error.message,
      details: error.details,
    };
  }

  private fromHttpException(exception: HttpException, request: ApiRequest): ErrorBody {
    const status = exception.getStatus();
    // services throw domain errors, so Nest's own NotFoundException means no route matched
    if (exception instanceof NotFoundException) {
      return this.body('ROUTE_NOT_FOUND', `接口不存在：${request.method} ${request.path}`);
    }
    const code = codeForStatus(status);
    const original = exception.getResponse();
    const message =
      typeof original === 'object' && original !== null && 'message' in original
        ? String(original.message)
        : exception.message;
    return { statusCode: status, code, message, details: {} };
  }

  private body(code: ErrorCode, message: string, details: ErrorDetails = {}): ErrorBody {
    return { statusCode: httpStatusFor(code), code, message, details };
  }
}
