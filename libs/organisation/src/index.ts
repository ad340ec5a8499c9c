export * from './organisation-errors';
export * from './organisation.module';
export * from './region.entity';
export * from './regions.service';
export * from './store.entity';
export * from './stores.service';
