import { DomainError } from '@charity/common';

export class DonationVoidedError extends DomainError {
  constructor(id: number, receiptNo: string) {
    super('DONATION_VOIDED', `捐赠 ${receiptNo} 已作废`, { donationId: id, receiptNo });
  }
}

export interface ConsumedLine {
  lineNo: number;
  productId: number;
  name: string;
  donated: number;
  remaining: number;
}

/** 作废失败: some donated goods have already left the lot (handed out, moved or written off). */
export class DonationGoodsConsumedError extends DomainError {
  constructor(receiptNo: string, lines: ConsumedLine[]) {
    const names = lines.map((line) => `${line.name}（捐 ${line.donated}，剩 ${line.remaining}）`);
    super(
      'DONATION_GOODS_CONSUMED',
      `捐赠 ${receiptNo} 的部分物资已发放或调出，不能作废：${names.join('；')}`,
      { receiptNo, lines },
    );
  }
}

/**
 * The public receipt check found nothing: one answer for "no such receipt" and "wrong code", so
 * receipt numbers cannot be probed.
 */
export class ReceiptNotVerifiedError extends DomainError {
  constructor(receiptNo: string) {
    super('NOT_FOUND', '未找到该收据，或验证码不正确', { receiptNo });
  }
}
