import { type Actor, type Page } from '@charity/common';
import {
  DonationReceiptsService,
  DonationsService,
  type DonationListItem,
  type DonationView,
} from '@charity/donations';
import {
  Body,
  Controller,
  Get,
  Headers,
  HttpCode,
  HttpStatus,
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
import { CurrentActor, Roles } from '../http/decorators';
import { IdParam } from '../http/id-param';
import { idempotencyKey } from '../http/idempotency-key';
import { CreateDonationRequest, ListDonationsQuery, VoidDonationRequest } from './donations.dto';
import { ApiPdfResponse, PageOf } from '../http/api-responses';
import { DonationListItemResponse, DonationResponse } from './donation-responses.dto';

@ApiTags('donations')
@ApiBearerAuth()
@Controller('donations')
export class DonationsController {
  constructor(
    private readonly donations: DonationsService,
    private readonly receipts: DonationReceiptsService,
  ) {}

  /** 201 for a new donation; 200 with the first result when an Idempotency-Key is replayed. */
  @ApiOperation({ summary: 'Record a donation (捐赠) and take its goods into stock' })
  @ApiCreatedResponse({ type: DonationResponse })
  @ApiOkResponse({
    type: DonationResponse,
    description: 'an Idempotency-Key replay: the first result',
  })
  @Post()
  @Roles('county_admin', 'store_manager', 'clerk')
  @ApiHeader({
    name: 'Idempotency-Key',
    required: false,
    description: '8-100 of A-Z a-z 0-9 _ . : -',
  })
  async create(
    @CurrentActor() actor: Actor,
    @Body() body: CreateDonationRequest,
    @Headers('idempotency-key') key: string | undefined,
    @Res({ passthrough: true }) response: Response,
  ): Promise<DonationView> {
    const result = await this.donations.intake(actor, body, idempotencyKey(key, false));
    if (result.created) {
      await this.receipts.enqueue(result.donation.id, result.donation.status);
    } else {
      response.status(HttpStatus.OK).setHeader('Idempotent-Replayed', 'true');
    }
    return result.donation;
  }

  @ApiOperation({ summary: 'List donations' })
  @ApiOkResponse({ type: PageOf(DonationListItemResponse) })
  @Get()
  list(
    @CurrentActor() actor: Actor,
    @Query() query: ListDonationsQuery,
  ): Promise<Page<DonationListItem>> {
    return this.donations.list(
      actor,
      {
        storeId: query.storeId,
        donorId: query.donorId,
        month: query.month,
        donorKind: query.kind,
        status: query.status,
      },
      query,
    );
  }

  @ApiOperation({ summary: 'Get one donation' })
  @ApiOkResponse({ type: DonationResponse })
  @Get(':id')
  get(@CurrentActor() actor: Actor, @IdParam() id: number): Promise<DonationView> {
    return this.donations.get(actor, id);
  }

  @ApiOperation({ summary: "The donation receipt's PDF" })
  @ApiPdfResponse()
  @Get(':id/receipt.pdf')
  async receipt(@CurrentActor() actor: Actor, @IdParam() id: number): Promise<StreamableFile> {
    const pdf = await this.receipts.pdf(actor, id);
    return new StreamableFile(pdf, {
      type: 'application/pdf',
      disposition: `inline; filename="donation-${id}.pdf"`,
    });
  }

  @ApiOperation({ summary: 'Void a donation' })
  @ApiOkResponse({ type: DonationResponse })
  @Post(':id/void')
  @HttpCode(HttpStatus.OK)
  @Roles('county_admin', 'store_manager')
  async void(
    @CurrentActor() actor: Actor,
    @IdParam() id: number,
    @Body() body: VoidDonationRequest,
  ): Promise<DonationView> {
    const donation = await this.donations.void(actor, id, body.reason);
    await this.receipts.enqueue(donation.id, donation.status);
    return donation;
  }
}
