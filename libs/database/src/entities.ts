import { User } from '@charity/accounts';
import { AuditEntry } from '@charity/audit';
import { Donation, DonationLine, Donor } from '@charity/donations';
import {
  AllotmentSchedule,
  Household,
  PointAwardBatch,
  PointAwardBatchLine,
  PointRule,
  PointsAllocation,
  PointsEntry,
  PointsGrant,
  PointsMonthTotal,
  PointsPolicy,
} from '@charity/households';
import {
  Product,
  ProductCategory,
  StockLot,
  StockMonthTotal,
  StockMovement,
  Stocktake,
  StocktakeLine,
  Transfer,
  TransferLine,
} from '@charity/inventory';
import { Region, Store } from '@charity/organisation';
import { Redemption, RedemptionLine, RedemptionLineLot } from '@charity/redemptions';
import { ReceiptSequence, RenderedDocument } from '@charity/receipts';
import { ReportExport, ReportMonth, ReportSnapshot } from '@charity/reports';

/** Every entity, listed explicitly so bundled apps and the migration CLI see the same schema. */
export const ENTITIES = [
  Region,
  Store,
  User,
  AuditEntry,
  ProductCategory,
  Product,
  StockLot,
  StockMovement,
  Transfer,
  TransferLine,
  Stocktake,
  StocktakeLine,
  Donor,
  Donation,
  DonationLine,
  ReceiptSequence,
  RenderedDocument,
  Household,
  PointRule,
  PointsPolicy,
  PointsEntry,
  PointsGrant,
  PointsAllocation,
  PointAwardBatch,
  PointAwardBatchLine,
  AllotmentSchedule,
  Redemption,
  RedemptionLine,
  RedemptionLineLot,
  PointsMonthTotal,
  StockMonthTotal,
  ReportMonth,
  ReportSnapshot,
  ReportExport,
];
