export * from './data-source-options';
export * from './database-lifecycle';
export * from './database.module';
export * from './entities';
export * from './snake-naming.strategy';
export * from './database-deadline';
