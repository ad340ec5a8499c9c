import { ValidationFailedError } from '@charity/common';
import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { ApiParam } from '@nestjs/swagger';
import type { Request } from 'express';
import { MAX_ID } from './number-fields';

const ID = /^[1-9]\d{0,9}$/;

/**
 * A positive integer id from the route, or a 400 naming the parameter. Read from the raw path
 * (a custom decorator, which the global ValidationPipe leaves alone) so spellings such as `1e3`
 * or `007` are refused instead of being converted to another id. Declared in the OpenAPI
 * document as an integer path parameter.
 */
export function IdParam(name = 'id'): ParameterDecorator {
  return (target, method, index) => {
    readId(name)(target, method, index);
    if (method === undefined) return;
    const descriptor = Object.getOwnPropertyDescriptor(target, method);
    if (descriptor) {
      ApiParam({ name, schema: { type: 'integer', minimum: 1, maximum: MAX_ID } })(
        target,
        method,
        descriptor,
      );
    }
  };
}

const readId = createParamDecorator((param: string, context: ExecutionContext) => {
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
});
