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
