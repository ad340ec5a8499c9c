export * from './queue.module';
export * from './queues';
export * from './job-state';
export * from './queue-calls';
export * from './schedules';
