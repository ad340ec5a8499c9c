import { AppConfig } from '@charity/config';
import { ReceiptVerificationService } from '@charity/donations';
import { Controller, Get, Param, Query, Res } from '@nestjs/common';
import { ApiExcludeController, ApiOperation } from '@nestjs/swagger';
import type { Response } from 'express';
import { Public } from '../http/decorators';
import { PUBLIC_PAGE_CSP } from './page-layout';
import { PUBLIC_PAGES_PREFIX } from './public-pages-prefix';
import { receiptVerdict, renderReceiptPage } from './receipt-page';

/** Pages for anyone, on a phone, without login: server-rendered HTML, no web app bundle. */
@ApiExcludeController()
@Public()
@Controller(PUBLIC_PAGES_PREFIX)
export class PublicPagesController {
  constructor(
    private readonly verification: ReceiptVerificationService,
    private readonly config: AppConfig,
  ) {}

  /** What a donation receipt's QR code opens. */
  @ApiOperation({ summary: 'The public receipt verification page' })
  @Get('r/:receiptNo')
  async receipt(
    @Param('receiptNo') receiptNo: string,
    @Query('code') code: unknown,
    @Res() response: Response,
  ): Promise<void> {
    const requestedNo = receiptNo.slice(0, 40);
    // a missing or repeated code finds nothing, like a wrong one
    const receipt = await this.verification.publicReceipt(
      requestedNo,
      typeof code === 'string' ? code.slice(0, 64) : '',
    );
    response
      .status(receiptVerdict(receipt) === 'unknown' ? 404 : 200)
      .set({
        'Content-Type': 'text/html; charset=utf-8',
        'Content-Security-Policy': PUBLIC_PAGE_CSP,
        // a receipt can be voided at any time, and the address carries its code
        'Cache-Control': 'no-store',
        'X-Robots-Tag': 'noindex, nofollow',
      })
      .send(renderReceiptPage(receipt, requestedNo, this.config.unionName));
  }
}
