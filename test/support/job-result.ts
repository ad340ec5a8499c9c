import type { Job, Queue } from 'bull';
import { eventually } from './eventually';

/**
 * Waits until the worker has finished a Bull job and answers its return value; a failed job
 * throws with its reason. The job is read again once it is completed: a read taken just before
 * completion has no return value, even if the completed set already holds the job by the time
 * `isCompleted` is asked.
 */
export function jobResult<T>(queue: Queue, id: Job['id'], timeoutMs?: number): Promise<T> {
  return eventually(async () => {
    const job = await queue.getJob(id);
    if (await job?.isFailed()) throw new Error(`job ${id} failed: ${job?.failedReason}`);
    if (!(await job?.isCompleted())) return undefined;
    return (await queue.getJob(id))?.returnvalue as T;
  }, timeoutMs);
}
