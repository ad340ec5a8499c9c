import { ValidationFailedError } from '@charity/common';
import {
  BadRequestException,
  Injectable,
  PayloadTooLargeException,
  UseInterceptors,
  applyDecorators,
  type CallHandler,
  type ExecutionContext,
  type NestInterceptor,
} from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import { catchError, throwError, type Observable } from 'rxjs';
import { UnreadableUploadError, UploadTooLargeError } from './http-errors';

/** What a route gets from `@UploadedFile()` with multer's memory storage. */
export interface UploadedSheetFile {
  buffer: Buffer;
  /** As the client named it, read as UTF-8 as browsers send it (only trust the extension). */
  originalname: string;
  mimetype: string;
  size: number;
}

/**
 * multer reports a too-large file or a wrong field as Nest HTTP exceptions with English text;
 * this turns them into the API's codes with a message naming the limit or the field.
 */
@Injectable()
class UploadErrorsInterceptor implements NestInterceptor {
  constructor(
    private readonly field: string,
    private readonly maxBytes: number,
  ) {}

  intercept(_context: ExecutionContext, next: CallHandler): Observable<unknown> {
    return next
      .handle()
      .pipe(catchError((error: unknown) => throwError(() => this.translate(error))));
  }

  private translate(error: unknown): unknown {
    if (error instanceof PayloadTooLargeException) {
      return new UploadTooLargeError(this.field, this.maxBytes);
    }
    if (error instanceof BadRequestException) {
      const message = error.message;
      if (/^(Unexpected file field|Too many files)/.test(message)) {
        return new ValidationFailedError(`请只上传一个文件，字段名为 ${this.field}`, {
          fields: [{ field: this.field, constraints: ['upload'], messages: [message] }],
        });
      }
      return new UnreadableUploadError(message);
    }
    return error;
  }
}

/**
 * One file in the multipart field `field`, kept in memory, at most `maxBytes`: larger is
 * 413 PAYLOAD_TOO_LARGE, a file under another field name 400 naming the expected one.
 */
export function FileUpload(field: string, maxBytes: number): MethodDecorator & ClassDecorator {
  return applyDecorators(
    UseInterceptors(
      new UploadErrorsInterceptor(field, maxBytes),
      FileInterceptor(field, {
        limits: { fileSize: maxBytes, files: 1, fields: 20 },
        // browsers send a file's name as raw UTF-8; multer's default (latin1) garbles 名单.xlsx
        defParamCharset: 'utf8',
      }),
    ),
  );
}
