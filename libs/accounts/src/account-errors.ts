import { DomainError } from '@charity/common';

/** No valid session: a missing, expired or revoked token, or a password changed meanwhile. */
export class UnauthenticatedError extends DomainError {
  constructor(message = '登录已过期或无效，请重新登录') {
    super('UNAUTHENTICATED', message);
  }
}

/** One answer for an unknown username and a wrong password, so usernames cannot be probed. */
export class InvalidCredentialsError extends DomainError {
  constructor() {
    super('INVALID_CREDENTIALS', '用户名或密码错误');
  }
}

export class AccountDisabledError extends DomainError {
  constructor() {
    super('ACCOUNT_DISABLED', '该账号已停用，请联系县总工会管理员');
  }
}

/** The current password given with a password change is wrong. */
export class CurrentPasswordIncorrectError extends DomainError {
  constructor() {
    super('CURRENT_PASSWORD_INCORRECT', '当前密码不正确', { field: 'currentPassword' });
  }
}

/** The password was set by someone else (an initial or reset one): the user must set their own. */
export class PasswordChangeRequiredError extends DomainError {
  constructor() {
    super(
      'PASSWORD_CHANGE_REQUIRED',
      '当前密码由他人设置，请先修改密码再继续使用（POST /api/v1/auth/password）',
    );
  }
}
