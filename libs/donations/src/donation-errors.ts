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
