export * from './accounts.module';
export * from './auth.service';
export * from './password-hasher';
export * from './user.entity';
export * from './users.service';
export * from './password-origin';
export * from './production-accounts';
export * from './password-generator';
