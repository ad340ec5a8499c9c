export * from './cart-rules';
export { AllowanceService, type Allowance, type AllowanceLimit } from './allowance.service';
export * from './redemption-errors';
export * from './redemption-line-lot.entity';
export * from './redemption-receipts.service';
export * from './redemption-line.entity';
export * from './redemption.entity';
export * from './redemptions.module';
export { RedemptionReversals } from './redemption-reversals.service';
export {
  RedemptionViews,
  type RedemptionFilter,
  type RedemptionLineView,
  type RedemptionView,
} from './redemption-views.service';
export * from './redemptions.service';
export { type TillHousehold } from './till-household';
