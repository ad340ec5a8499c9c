import { HonorBoardService } from '@charity/donations';
import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Public } from '../http/decorators';
import { HonorBoardQueryDto, HonorBoardResponse } from './honor-board.dto';

/** 荣誉榜: public, consenting donors only, and never their contact data. */
@ApiTags('public')
@Public()
@Controller('public/honor-board')
export class HonorBoardController {
  constructor(private readonly honorBoard: HonorBoardService) {}

  @ApiOperation({ summary: 'The public honor board (荣誉榜)' })
  @ApiOkResponse({ type: HonorBoardResponse })
  @Get()
  board(@Query() query: HonorBoardQueryDto): Promise<HonorBoardResponse> {
    return this.honorBoard.board(query);
  }
}
