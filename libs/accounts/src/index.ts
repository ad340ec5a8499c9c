export * from './accounts.module';
export * from './auth.service';
export * from './password-hasher';
export * from './user.entity';
export * from './users.service';
export * from './username';
