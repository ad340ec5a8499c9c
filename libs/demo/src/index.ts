export * from './bootstrap.service';
export * from './demo-county';
export * from './demo.module';
export * from './demo-products';
export * from './demo-stock';
export * from './demo-donations';
