import { plainToInstance } from 'class-transformer';
import { IsInt, IsString, Max, Min, ValidateNested, validateSync } from 'class-validator';
import { Type } from 'class-transformer';
import { validationError } from './validation';

class Line {
  @IsInt()
  @Min(1)
  quantity!: number;
}

class Body {
  @IsString()
  name!: string;

  @ValidateNested({ each: true })
  @Type(() => Line)
  lines!: Line[];
}

describe('validationError', () => {
  it('names nested fields by path and explains each in Chinese', () => {
    const body = plainToInstance(Body, { name: 5, lines: [{ quantity: 2 }, { quantity: 0 }] });
    const error = validationError(validateSync(body));
    expect(error.code).toBe('VALIDATION_FAILED');
    expect(error.message).toBe('请求参数有误：name 必须是文本；lines.1.quantity 太小');
    expect(error.details.fields).toEqual([
      { field: 'name', constraints: ['isString'], messages: ['name must be a string'] },
      {
        field: 'lines.1.quantity',
        constraints: ['min'],
        messages: ['quantity must not be less than 1'],
      },
    ]);
  });

  it('says only "必须是整数" of text where a bounded integer belongs', () => {
    class Bounded {
      @IsInt()
      @Min(1)
      @Max(9)
      days!: number;
    }
    const error = validationError(validateSync(plainToInstance(Bounded, { days: '1e20' })));
    expect(error.message).toBe('请求参数有误：days 必须是整数');
    expect(error.details.fields).toEqual([
      expect.objectContaining({
        field: 'days',
        constraints: expect.arrayContaining(['isInt', 'min', 'max']) as unknown,
      }),
    ]);
    const tooBig = validationError(validateSync(plainToInstance(Bounded, { days: 10 })));
    expect(tooBig.message).toBe('请求参数有误：days 太大');
  });
});
