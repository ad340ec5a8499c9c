export * from './actor';
export * from './business-time';
export * from './column-transformers';
export * from './database-errors';
export * from './domain-error';
export * from './error-codes';
export * from './pagination';
export * from './store-scope';
