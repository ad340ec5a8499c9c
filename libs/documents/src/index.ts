export * from './barcode';
export * from './cjk-font';
export * from './pdf-document';
export * from './product-labels.renderer';
export * from './units';
