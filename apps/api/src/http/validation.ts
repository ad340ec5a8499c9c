import { ValidationFailedError, type FieldProblem } from '@charity/common';
import { ValidationPipe, type ValidationError } from '@nestjs/common';
import { Transform } from 'class-transformer';
import { Matches, ValidateIf } from 'class-validator';

/**
 * For fields a PATCH may leave out but not blank: unlike @IsOptional() it skips only an absent
 * field, so `null` still meets the field's validators and gets a 400 instead of reaching a
 * NOT NULL column.
 */
export const IsOptionalNotNull = (): PropertyDecorator =>
  ValidateIf((_object, value) => value !== undefined);

/** Trims text before validation, so a name of only spaces is empty and refused. */
export const Trim = (): PropertyDecorator =>
  Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value));

/** A query parameter's `true` or `false` as a boolean; any other text stays, for IsBoolean to refuse. */
export const BooleanFromText = (): PropertyDecorator =>
  Transform(({ value }: { value: unknown }) =>
    value === 'true' ? true : value === 'false' ? false : value,
  );

/** Chinese wording for the constraints DTOs use; anything else reads as "格式不正确". */
const CONSTRAINT_TEXT: Record<string, string> = {
  whitelistValidation: '是不允许的字段',
  isDefined: '不能为空',
  isNotEmpty: '不能为空',
  isString: '必须是文本',
  isInt: '必须是整数',
  isNumber: '必须是数字',
  isBoolean: '必须是 true 或 false',
  isEnum: '取值不在允许范围内',
  isIn: '取值不在允许范围内',
  min: '太小',
  max: '太大',
  minLength: '太短',
  maxLength: '太长',
  matches: '格式不正确',
  isDateString: '必须是 ISO 8601 日期',
  isISO8601: '必须是 ISO 8601 日期',
  isDateOnly: '必须是存在的日期（YYYY-MM-DD）',
  isInstant: '必须是存在的 ISO 8601 日期或时间',
  isArray: '必须是数组',
  arrayNotEmpty: '不能为空数组',
  arrayMinSize: '项数太少',
  arrayMaxSize: '项数太多',
  isObject: '必须是对象',
  nestedValidation: '格式不正确',
  isPositive: '必须大于 0',
  notPublishedPassword: '不能使用公开的演示密码或初始密码',
  isRuleCode: '规则代码只能用大写字母、数字和下划线，2–20 个字符',
};

export function flattenValidationErrors(errors: ValidationError[], prefix = ''): FieldProblem[] {
  return errors.flatMap((error) => {
    const field = prefix ? `${prefix}.${error.property}` : error.property;
    const constraints = error.constraints ?? {};
    const own: FieldProblem[] =
      Object.keys(constraints).length > 0
        ? [{ field, constraints: Object.keys(constraints), messages: Object.values(constraints) }]
        : [];
    return [...own, ...flattenValidationErrors(error.children ?? [], field)];
  });
}

/** A value that is not a number also fails min and max; saying "太小、太大" of it only confuses. */
function spokenConstraints(constraints: string[]): string[] {
  const notANumber = constraints.includes('isInt') || constraints.includes('isNumber');
  return notANumber ? constraints.filter((key) => key !== 'min' && key !== 'max') : constraints;
}

export function validationError(errors: ValidationError[]): ValidationFailedError {
  const fields = flattenValidationErrors(errors);
  const summary = fields
    .map((problem) => {
      const text = new Set(
        spokenConstraints(problem.constraints).map((key) => CONSTRAINT_TEXT[key] ?? '格式不正确'),
      );
      return `${problem.field} ${[...text].join('、')}`;
    })
    .join('；');
  return new ValidationFailedError(`请求参数有误：${summary}`, { fields });
}

export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    forbidUnknownValues: true,
    validationError: { target: false, value: false },
    exceptionFactory: validationError,
  });
}

/** A month as the API writes it: `2026-11`. */
export const MONTH_PATTERN = /^\d{4}-(0[1-9]|1[0-2])$/;

/** A `YYYY-MM` month field; the message names the field. */
export const IsMonth = (): PropertyDecorator =>
  Matches(MONTH_PATTERN, { message: '$property must look like 2026-11' });
