export * from './redemption-errors';
export * from './redemption-line-lot.entity';
export * from './redemption-receipts.service';
export * from './redemption-line.entity';
export * from './redemption.entity';
export * from './redemptions.module';
export * from './redemptions.service';
