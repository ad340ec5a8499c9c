import {
  receiptPagePath,
  ReceiptVerificationService,
  type ReceiptVerification,
} from '@charity/donations';
import { Controller, Get, Param, Query, Req, Res } from '@nestjs/common';
import { ApiFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { VerifyReceiptQuery } from '../donations/donations.dto';
import { Public } from '../http/decorators';
import { ReceiptVerificationResponse } from '../donations/donation-responses.dto';

/** A browser (Accept prefers HTML); API clients, curl (`*\/*`) and no Accept at all get JSON. */
function prefersHtml(request: Request): boolean {
  return request.accepts(['application/json', 'text/html']) === 'text/html';
}

/** Anyone holding a receipt can check it; the code from its QR link is required. */
@ApiTags('public')
@Public()
@Controller('public/receipts')
export class PublicReceiptsController {
  constructor(private readonly verification: ReceiptVerificationService) {}

  /**
   * Receipts printed before the public page existed carry this address in their QR code: a phone
   * opening it is sent on to the page.
   */
  @ApiOperation({ summary: 'Verify a donation receipt' })
  @Get(':receiptNo')
  @ApiOkResponse({
    type: ReceiptVerificationResponse,
    description: 'the receipt, when the number and code match',
  })
  @ApiFoundResponse({ description: 'a browser: redirected to the page /p/r/:receiptNo?code=' })
  async verify(
    @Param('receiptNo') receiptNo: string,
    @Query() query: VerifyReceiptQuery,
    @Req() request: Request,
    @Res() response: Response,
  ): Promise<void> {
    response.vary('Accept');
    if (prefersHtml(request)) {
      response.redirect(302, receiptPagePath(receiptNo.slice(0, 40), query.code));
      return;
    }
    const verification: ReceiptVerification = await this.verification.verify(
      receiptNo.slice(0, 40),
      query.code,
    );
    response.json(verification);
  }
}
