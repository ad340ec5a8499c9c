import { httpStatusFor } from './error-codes';
import { ValidationFailedError } from './domain-error';

describe('ValidationFailedError.field', () => {
  it('names the field, the constraint and the message the way request validation does', () => {
    const error = ValidationFailedError.field('quantity', '调整数量必须是非零整数', 'notEquals');
    expect(error).toBeInstanceOf(ValidationFailedError);
    expect(error).toMatchObject({
      name: 'ValidationFailedError',
      code: 'VALIDATION_FAILED',
      message: '调整数量必须是非零整数',
      details: {
        fields: [
          { field: 'quantity', constraints: ['notEquals'], messages: ['调整数量必须是非零整数'] },
        ],
      },
    });
    expect(httpStatusFor(error.code)).toBe(400);
  });
});
