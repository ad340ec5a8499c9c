import { User } from '@charity/accounts';
import { AuditEntry } from '@charity/audit';
import {
  Product,
  ProductCategory,
  StockLot,
  StockMovement,
  Stocktake,
  StocktakeLine,
  Transfer,
  TransferLine,
} from '@charity/inventory';
import { Region, Store } from '@charity/organisation';

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
];
