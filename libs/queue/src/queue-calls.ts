import { DomainError } from '@charity/common';

/** `work`, or a rejection once `ms` have passed without an answer. */
export async function withinMs<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
    });
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * 503 for a request that needs Redis to queue or look up a job (a report export, 发放) while
 * Redis does not answer. Nothing was queued that the request would leave behind.
 */
export class QueueUnavailableError extends DomainError {
  constructor(reason: string) {
    super('SERVICE_UNAVAILABLE', '队列服务（Redis）暂时不可用，任务未能提交，请稍后重试', {
      service: 'redis',
      reason,
    });
  }
}

/**
 * A Bull call (add, getJob …) made for a request: its answer, or a QueueUnavailableError when
 * Redis refuses it or does not answer within `ms`. Bull's client keeps a command while Redis is
 * away and retries for minutes, and a frozen Redis never answers; a request must not wait for
 * that. The command itself may still reach Redis later, so what it queues must be harmless then
 * (a job whose row is gone is dropped; job ids are deterministic).
 */
export async function queueCall<T>(work: Promise<T>, ms: number): Promise<T> {
  try {
    return await withinMs(work, ms);
  } catch (error) {
    throw new QueueUnavailableError(error instanceof Error ? error.message : String(error));
  }
}
