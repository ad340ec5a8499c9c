import { Injectable } from '@nestjs/common';

export interface AllotmentRun {
  month: string;
  households: number;
  points: number;
  skipped: number;
}

/** 发放: the monthly points by category and household size. */
@Injectable()
export class AllotmentsService {
  /** Pays `month`'s allotment to every active household with a schedule, once each. */
  run(month: string): Promise<AllotmentRun> {
    return Promise.reject(new Error(`allotments are not built yet (${month})`));
  }
}
