import { ValidationFailedError } from '@charity/common';
import { Param, type PipeTransform } from '@nestjs/common';

class IdPipe implements PipeTransform<string, number> {
  constructor(private readonly name: string) {}

  transform(value: string): number {
    if (!/^[1-9]\d{0,9}$/.test(value) || Number(value) > 4_294_967_295) {
      throw new ValidationFailedError(`路径参数 ${this.name} 必须是正整数`, {
        fields: [
          {
            field: this.name,
            constraints: ['isInt'],
            messages: [`${this.name} must be a positive integer`],
          },
        ],
      });
    }
    return Number(value);
  }
}

/** A positive integer id from the route, or a 400 naming the parameter. */
export const IdParam = (name = 'id'): ParameterDecorator => Param(name, new IdPipe(name));
