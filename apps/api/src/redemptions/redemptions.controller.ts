import { type Actor, type BatchedCheck, type Page } from '@charity/common';
import {
  RedemptionReceiptsService,
  RedemptionsService,
  type Allowance,
  type CheckoutResult,
  type Quote,
  type RedemptionView,
} from '@charity/redemptions';
import {
  Body,
  Controller,
  Get,
  Headers,
  HttpCode,
  HttpStatus,
  Param,
  Post,
  Query,
  Res,
  StreamableFile,
} from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiHeader,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import type { Response } from 'express';
import { DatabaseTimeout } from '../http/database-deadline';
import { CurrentActor, Roles, UserCheck, UserCheckedInBatch } from '../http/decorators';
import { IdParam } from '../http/id-param';
import { idempotencyKey } from '../http/idempotency-key';
import { HouseholdLookup } from '../http/lookup-rate-limit.guard';
import {
  CartRequest,
  DeliveredRequest,
  ListDeliveriesQuery,
  ListRedemptionsQuery,
  ReasonRequest,
  ReceiptQuery,
} from './redemptions.dto';
import { ApiPdfResponse, PageOf } from '../http/api-responses';
import { AllowanceResponse, QuoteResponse, RedemptionResponse } from './redemption-responses.dto';

/** 兑换: the till's quote and checkout, history, voids and deliveries. */
@ApiTags('redemptions')
@ApiBearerAuth()
@Controller()
export class RedemptionsController {
  constructor(
    private readonly redemptions: RedemptionsService,
    private readonly receipts: RedemptionReceiptsService,
  ) {}

  /** Prices a cart and names every problem per line, changing nothing. */
  @ApiOperation({ summary: 'Price a cart and name its problems' })
  @ApiOkResponse({ type: QuoteResponse })
  @Post('redemptions/quote')
  @DatabaseTimeout('till')
  @HttpCode(HttpStatus.OK)
  @Roles('county_admin', 'store_manager', 'clerk')
  quote(@CurrentActor() actor: Actor, @Body() body: CartRequest): Promise<Quote> {
    return this.redemptions.quote(actor, body);
  }

  /**
   * The till's panel for a scanned card (county-wide, like the card lookup): masked name,
   * balance, points about to lapse, and this month's visits and limited goods already taken.
   */
  @ApiOperation({ summary: "A scanned card's allowance at the till" })
  @ApiOkResponse({ type: AllowanceResponse })
  @Get('households/card/:cardNo/allowance')
  @DatabaseTimeout('till')
  @Roles('county_admin', 'store_manager', 'clerk')
  @HouseholdLookup()
  allowance(@Param('cardNo') cardNo: string): Promise<Allowance> {
    return this.redemptions.allowance(cardNo);
  }

  /** 201 for a new checkout; 200 with the first result when an Idempotency-Key is replayed. */
  @ApiOperation({ summary: 'Check out a cart (兑换)' })
  @ApiCreatedResponse({ type: RedemptionResponse })
  @ApiOkResponse({
    type: RedemptionResponse,
    description: 'an Idempotency-Key replay: the first result',
  })
  @Post('redemptions')
  @DatabaseTimeout('till')
  @Roles('county_admin', 'store_manager', 'clerk')
  @ApiHeader({
    name: 'Idempotency-Key',
    required: true,
    description: '8-100 of A-Z a-z 0-9 _ . : -',
  })
  // the user's row is read with the checkout's first reads: one round trip fewer per sale
  @UserCheckedInBatch()
  async checkout(
    @CurrentActor() actor: Actor,
    @Body() body: CartRequest,
    @Headers('idempotency-key') key: string | undefined,
    @Res({ passthrough: true }) response: Response,
    @UserCheck() userCheck: BatchedCheck,
  ): Promise<RedemptionView> {
    const result: CheckoutResult = await this.redemptions.checkout(
      actor,
      body,
      idempotencyKey(key, true),
      userCheck,
    );
    if (result.created) {
      // not awaited: the till's answer need not wait for Redis, enqueue() never rejects (it logs),
      // and a receipt whose job never ran is rendered when it is first downloaded
      void this.receipts.enqueue(result.redemption.id, result.redemption.status);
    } else {
      response.status(HttpStatus.OK).setHeader('Idempotent-Replayed', 'true');
    }
    return result.redemption;
  }

  @ApiOperation({ summary: 'List redemptions' })
  @ApiOkResponse({ type: PageOf(RedemptionResponse) })
  @Get('redemptions')
  list(
    @CurrentActor() actor: Actor,
    @Query() query: ListRedemptionsQuery,
  ): Promise<Page<RedemptionView>> {
    return this.redemptions.list(actor, query, query);
  }

  @ApiOperation({ summary: 'Get one redemption' })
  @ApiOkResponse({ type: RedemptionResponse })
  @Get('redemptions/:id')
  get(@CurrentActor() actor: Actor, @IdParam() id: number): Promise<RedemptionView> {
    return this.redemptions.get(actor, id);
  }

  /** The thermal receipt, 80 mm (default) or 58 mm wide, ready for the browser to print. */
  @ApiOperation({ summary: "A redemption's thermal receipt as PDF" })
  @ApiPdfResponse()
  @Get('redemptions/:id/receipt.pdf')
  async receipt(
    @CurrentActor() actor: Actor,
    @IdParam() id: number,
    @Query() query: ReceiptQuery,
  ): Promise<StreamableFile> {
    const width = query.width ?? 80;
    const pdf = await this.receipts.pdf(actor, id, width);
    return new StreamableFile(pdf, {
      type: 'application/pdf',
      disposition: `inline; filename="redemption-${id}-${width}mm.pdf"`,
    });
  }

  /** 作废 within the policy's window (default the same business day). */
  @ApiOperation({ summary: 'Void a redemption (作废)' })
  @ApiOkResponse({ type: RedemptionResponse })
  @Post('redemptions/:id/void')
  @HttpCode(HttpStatus.OK)
  @Roles('county_admin', 'store_manager')
  async void(
    @CurrentActor() actor: Actor,
    @IdParam() id: number,
    @Body() body: ReasonRequest,
  ): Promise<RedemptionView> {
    return this.rerendered(await this.redemptions.void(actor, id, body.reason));
  }

  @ApiOperation({ summary: "A household's redemptions" })
  @ApiOkResponse({ type: PageOf(RedemptionResponse) })
  @Get('households/:id/redemptions')
  forHousehold(
    @CurrentActor() actor: Actor,
    @IdParam() id: number,
    @Query() query: ListRedemptionsQuery,
  ): Promise<Page<RedemptionView>> {
    return this.redemptions.list(actor, { ...query, householdId: id }, query);
  }

  /** The driver's list (爱心超市专车). */
  @ApiOperation({ summary: 'List deliveries (爱心超市专车)' })
  @ApiOkResponse({ type: PageOf(RedemptionResponse) })
  @Get('deliveries')
  deliveries(
    @CurrentActor() actor: Actor,
    @Query() query: ListDeliveriesQuery,
  ): Promise<Page<RedemptionView>> {
    return this.redemptions.list(
      actor,
      {
        storeId: query.storeId,
        status: query.status ?? 'awaiting_delivery',
        fulfilment: 'delivery',
      },
      query,
    );
  }

  @ApiOperation({ summary: 'Mark a delivery delivered' })
  @ApiOkResponse({ type: RedemptionResponse })
  @Post('deliveries/:id/delivered')
  @HttpCode(HttpStatus.OK)
  @Roles('county_admin', 'store_manager', 'clerk')
  async delivered(
    @CurrentActor() actor: Actor,
    @IdParam() id: number,
    @Body() body: DeliveredRequest,
  ): Promise<RedemptionView> {
    return this.rerendered(
      await this.redemptions.markDelivered(actor, id, {
        receivedBy: body.receivedBy,
        deliveredAt: body.deliveredAt ? new Date(body.deliveredAt) : undefined,
      }),
    );
  }

  /** The delivery will not happen: points and goods go back as for a void. */
  @ApiOperation({ summary: 'Cancel a delivery' })
  @ApiOkResponse({ type: RedemptionResponse })
  @Post('deliveries/:id/cancel')
  @HttpCode(HttpStatus.OK)
  @Roles('county_admin', 'store_manager')
  async cancel(
    @CurrentActor() actor: Actor,
    @IdParam() id: number,
    @Body() body: ReasonRequest,
  ): Promise<RedemptionView> {
    return this.rerendered(await this.redemptions.cancelDelivery(actor, id, body.reason));
  }

  private async rerendered(redemption: RedemptionView): Promise<RedemptionView> {
    await this.receipts.enqueue(redemption.id, redemption.status);
    return redemption;
  }
}
