import type { Job } from 'bull';

/**
 * A job's state, asked again while Bull says `stuck`. Bull asks its lists one after another
 * (completed, failed, delayed, active, waiting, paused), so a job that moves between two of them
 * meanwhile is found in none; a job really found nowhere stays `stuck`.
 */
export async function jobState(job: Job): Promise<string> {
  let state: string = await job.getState();
  for (let asked = 1; state === 'stuck' && asked < 5; asked += 1) state = await job.getState();
  return state;
}
