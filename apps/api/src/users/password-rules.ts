import { PASSWORD_PATTERN, PUBLISHED_PASSWORDS } from '@charity/accounts';
import { applyDecorators } from '@nestjs/common';
import { IsString, Matches, ValidateBy } from 'class-validator';

/**
 * A password someone sets (creation, reset, the user's own): 8–72 characters with a letter and a
 * digit, and none of the passwords the README publishes.
 */
export const IsNewPassword = (): PropertyDecorator =>
  applyDecorators(
    IsString(),
    Matches(PASSWORD_PATTERN, {
      message: '$property must be 8-72 characters with at least one letter and one digit',
    }),
    ValidateBy({
      name: 'notPublishedPassword',
      validator: {
        validate: (value: unknown) =>
          typeof value !== 'string' || !PUBLISHED_PASSWORDS.includes(value),
        defaultMessage: () => '$property must not be a published demo or default password',
      },
    }),
  );
