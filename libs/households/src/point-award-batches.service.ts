import { Injectable } from '@nestjs/common';

export interface BatchPostingRun {
  today: string;
  posted: number;
  failed: number;
}

/** 积分评定 batches for a village's month, with the optional 公示 period. */
@Injectable()
export class PointAwardBatchesService {
  /** Posts every pending batch whose notice period has ended by `today`. */
  postDue(today: string): Promise<BatchPostingRun> {
    return Promise.reject(new Error(`batch posting is not built yet (${today})`));
  }
}
