export * from './bootstrap.service';
export * from './demo-county';
export * from './demo.module';
