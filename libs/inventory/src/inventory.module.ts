import { AuditModule } from '@charity/audit';
import { Module, type Provider } from '@nestjs/common';
import { ProductCategoriesService } from './product-categories.service';
import { ProductsService } from './products.service';
import { StockService } from './stock.service';
import { StocktakesService } from './stocktakes.service';
import { TransfersService } from './transfers.service';

const services: Provider[] = [
  ProductCategoriesService,
  ProductsService,
  StockService,
  TransfersService,
  StocktakesService,
];

/** Catalogue, lots and the stock ledger, transfers and stocktakes. */
@Module({
  imports: [AuditModule],
  providers: services,
  exports: services,
})
export class InventoryModule {}
