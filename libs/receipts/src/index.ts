export * from './document-store';
export * from './receipt-numbers';
export * from './receipt-sequence.entity';
export * from './rendered-document.entity';
