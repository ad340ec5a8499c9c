import { type Actor } from '@charity/common';
import { renderHouseholdCard, renderHouseholdCardSheet } from '@charity/documents';
import { HouseholdCardsService, MAX_CARDS_PER_REQUEST } from '@charity/households';
import { Controller, Get, Header, Query, StreamableFile } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsOptional, Matches } from 'class-validator';
import { CurrentActor } from '../http/decorators';
import { IdParam } from '../http/id-param';
import { QueryId } from '../http/number-fields';
import { ApiPdfResponse } from '../http/api-responses';

/** `ids=1,2,3` (or `ids=1&ids=2`) as a list of the written ids, checked one by one below. */
const commaSeparated = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' || Array.isArray(value)
    ? ([] as unknown[])
        .concat(value)
        .flatMap((part) => (typeof part === 'string' ? part.split(',') : [part]))
        .map((part) => (typeof part === 'string' ? part.trim() : part))
    : value;

export class HouseholdCardsQuery {
  @ApiPropertyOptional({ description: "the store's households; store roles: their own store only" })
  @IsOptional()
  @QueryId()
  storeId?: number;

  @ApiPropertyOptional({
    description: 'a village, or a township (or the county) with all its villages',
  })
  @IsOptional()
  @QueryId()
  regionId?: number;

  @ApiPropertyOptional({
    type: String,
    example: '12,15,31',
    description: `household ids, comma-separated, at most ${MAX_CARDS_PER_REQUEST}; printed in this order whatever their status. Without ids, every active household that matches is printed.`,
  })
  @IsOptional()
  @Transform(commaSeparated)
  @IsArray()
  @ArrayMaxSize(MAX_CARDS_PER_REQUEST)
  @Matches(/^[1-9]\d{0,9}$/, { each: true, message: 'ids must be positive integers' })
  ids?: string[];
}

/**
 * 爱心超市积分卡 as PDFs: one card at card size, or A4 sheets of ten to cut out. Every role that
 * may read a household may print its card; store roles print their own store's only. Cards carry
 * the head's name as the points policy says (`cardNameDisplay`), never an ID number or phone.
 */
@ApiTags('households')
@ApiBearerAuth()
@Controller('households')
export class HouseholdCardsController {
  constructor(private readonly cards: HouseholdCardsService) {}

  @ApiOperation({ summary: 'Print household cards, several to a sheet' })
  @Get('cards.pdf')
  @ApiPdfResponse()
  @Header('Cache-Control', 'no-store')
  async sheet(
    @CurrentActor() actor: Actor,
    @Query() query: HouseholdCardsQuery,
  ): Promise<StreamableFile> {
    const cards = await this.cards.cards(actor, {
      storeId: query.storeId,
      regionId: query.regionId,
      ids: query.ids?.map(Number),
    });
    const pdf = await renderHouseholdCardSheet(cards);
    return new StreamableFile(pdf, {
      type: 'application/pdf',
      disposition: `inline; filename="household-cards-${cards.length}.pdf"`,
    });
  }

  @ApiOperation({ summary: "Print one household's card" })
  @Get(':id/card.pdf')
  @ApiPdfResponse()
  @Header('Cache-Control', 'no-store')
  async card(@CurrentActor() actor: Actor, @IdParam() id: number): Promise<StreamableFile> {
    const card = await this.cards.card(actor, id);
    const pdf = await renderHouseholdCard(card);
    return new StreamableFile(pdf, {
      type: 'application/pdf',
      disposition: `inline; filename="household-card-${card.cardNo}.pdf"`,
    });
  }
}
