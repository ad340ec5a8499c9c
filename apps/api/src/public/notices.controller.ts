import { PointAwardBatchesService } from '@charity/households';
import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Public } from '../http/decorators';
import { NoticeBoardQuery, NoticeBoardResponse } from '../point-awards/point-awards.dto';

/**
 * 公示栏: awards on public notice before they take effect, for anyone in the village to check.
 * Names and card numbers are masked; no ID number or phone ever appears.
 */
@ApiTags('public')
@Public()
@Controller('public/notices')
export class NoticesController {
  constructor(private readonly batches: PointAwardBatchesService) {}

  @ApiOperation({ summary: 'Award batches on public notice (公示)' })
  @Get()
  @ApiOkResponse({ type: NoticeBoardResponse })
  board(@Query() query: NoticeBoardQuery): Promise<NoticeBoardResponse> {
    return this.batches.noticeBoard(query.regionId);
  }
}
