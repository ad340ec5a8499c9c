import type { User } from '@charity/accounts';
import type { Actor, BatchedCheck } from '@charity/common';
import type { Request } from 'express';

/** An Express request after pino-http (`id`) and the auth guard (`user`) have seen it. */
export interface ApiRequest extends Request {
  user?: User;
  /** On a @UserCheckedInBatch() route: confirms `user` in the route's first round trip. */
  userCheck?: BatchedCheck;
}

export function actorOf(request: ApiRequest): Actor {
  const user = request.user;
  if (!user) throw new Error('actorOf() called on a route without authentication');
  return {
    userId: user.id,
    username: user.username,
    role: user.role,
    storeId: user.storeId,
    requestId: typeof request.id === 'string' ? request.id : undefined,
    ip: request.ip,
  };
}
