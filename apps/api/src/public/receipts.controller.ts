import { ReceiptVerificationService, type ReceiptVerification } from '@charity/donations';
import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { VerifyReceiptQuery } from '../donations/donations.dto';
import { Public } from '../http/decorators';

/** Anyone holding a receipt can check it; the code from its QR link is required. */
@ApiTags('public')
@Public()
@Controller('public/receipts')
export class PublicReceiptsController {
  constructor(private readonly verification: ReceiptVerificationService) {}

  @Get(':receiptNo')
  verify(
    @Param('receiptNo') receiptNo: string,
    @Query() query: VerifyReceiptQuery,
  ): Promise<ReceiptVerification> {
    return this.verification.verify(receiptNo.slice(0, 40), query.code);
  }
}
