import { DomainError } from '@charity/common';

/** 库存不足: names the product and the figures so the clerk can act on it. */
export class InsufficientStockError extends DomainError {
  constructor(productId: number, name: string, requested: number, available: number) {
    super('INSUFFICIENT_STOCK', `${name}：库存只剩 ${available}，不够 ${requested}`, {
      productId,
      name,
      requested,
      available,
    });
  }
}

export class InvalidBarcodeError extends DomainError {
  constructor(barcode: string, reason: string) {
    super('INVALID_BARCODE', `条码“${barcode}”无效：${reason}`, { barcode, reason });
  }
}

export class DuplicateBarcodeError extends DomainError {
  constructor(barcode: string, productId: number, productName: string) {
    super('DUPLICATE_BARCODE', `条码“${barcode}”已属于商品“${productName}”`, {
      barcode,
      productId,
      productName,
    });
  }
}

export class UnknownBarcodeError extends DomainError {
  constructor(barcode: string) {
    super('UNKNOWN_BARCODE', `条码“${barcode}”没有对应的商品`, { barcode });
  }
}

export class LotExpiredError extends DomainError {
  constructor(lotId: number, productName: string, expiryDate: string) {
    super('LOT_EXPIRED', `${productName}：批次 ${lotId} 已于 ${expiryDate} 过期，不能出库`, {
      lotId,
      productName,
      expiryDate,
    });
  }
}

/** 商品已停用: a retired product takes no new stock. `refused` says what, as in “不能入库”. */
export class ProductInactiveError extends DomainError {
  constructor(product: { id: number; name: string }, refused: string) {
    super('PRODUCT_INACTIVE', `商品“${product.name}”已停用，${refused}`, { productId: product.id });
  }
}

/** A transfer that cannot be: to its own sender, or to a store that is (or has since been) closed. */
export class InvalidTransferError extends DomainError {
  private constructor(message: string, details: Record<string, unknown>) {
    super('INVALID_TRANSFER', message, details);
  }

  static sameStore(storeId: number): InvalidTransferError {
    return new InvalidTransferError('调出门店和调入门店不能相同', {
      fromStoreId: storeId,
      toStoreId: storeId,
    });
  }

  static receiverInactive(to: { id: number; name: string }): InvalidTransferError {
    return new InvalidTransferError(`调入门店“${to.name}”已停用，不能接收调拨`, {
      toStoreId: to.id,
    });
  }

  /** Closed since the goods were sent: the sender should cancel and take them back. */
  static receiverClosedSinceSent(toStoreId: number, toName: string | null): InvalidTransferError {
    return new InvalidTransferError(
      `调入门店“${toName ?? toStoreId}”已停用，不能收货；请调出门店取消调拨`,
      { toStoreId },
    );
  }
}

/** A store counts one stocktake at a time. */
export class StocktakeAlreadyOpenError extends DomainError {
  constructor(store: { id: number; name: string }, openStocktakeId: number) {
    super(
      'STOCKTAKE_ALREADY_OPEN',
      `${store.name} 已有未完成的盘点单 ${openStocktakeId}，请先确认或取消它`,
      { stocktakeId: openStocktakeId, storeId: store.id },
    );
  }
}
