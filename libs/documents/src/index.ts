export * from './barcode';
export * from './chinese-amount';
export * from './cjk-font';
export * from './donation-receipt.renderer';
export * from './donor-statement.renderer';
export * from './pdf-document';
export * from './product-labels.renderer';
export * from './units';
