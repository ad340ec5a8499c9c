import { ValidationFailedError } from '@charity/common';
import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import { MAX_ID } from './number-fields';

const ID = /^[1-9]\d{0,9}$/;

/**
 * A positive integer id from the route, or a 400 naming the parameter. Read from the raw path
 * (a custom decorator, which the global ValidationPipe leaves alone) so spellings such as `1e3`
 * or `007` are refused instead of being converted to another id.
 */
export const IdParam = createParamDecorator(
  (name: string | undefined, context: ExecutionContext) => {
    const param = name ?? 'id';
    const value = context.switchToHttp().getRequest<Request>().params[param];
    if (typeof value !== 'string' || !ID.test(value) || Number(value) > MAX_ID) {
      throw new ValidationFailedError(`路径参数 ${param} 必须是正整数`, {
        fields: [
          {
            field: param,
            constraints: ['isInt'],
            messages: [`${param} must be a positive integer`],
          },
        ],
      });
    }
    return Number(value);
  },
);
