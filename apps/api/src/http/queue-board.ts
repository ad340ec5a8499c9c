import { AuthService, UnauthenticatedError } from '@charity/accounts';
import { DomainError, ForbiddenError, httpStatusFor } from '@charity/common';
import { QUEUES } from '@charity/queue';
import { createBullBoard } from '@bull-board/api';
import { BullAdapter } from '@bull-board/api/bullAdapter';
import { ExpressAdapter } from '@bull-board/express';
import { getQueueToken } from '@nestjs/bull';
import type { INestApplication } from '@nestjs/common';
import type { Queue } from 'bull';
import type { NextFunction, Request, Response } from 'express';
import { bearerToken } from './auth.guard';

export const QUEUE_BOARD_PATH = '/admin/queues';
const COOKIE = 'queue_board_token';

function cookieToken(header: string | undefined): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const [name, ...value] = part.trim().split('=');
    if (name === COOKIE) return decodeURIComponent(value.join('='));
  }
  return undefined;
}

/**
 * Bull Board for county admins. A browser opens `/admin/queues?token=<jwt>` once; the token is
 * then kept in an HttpOnly cookie limited to this path. API clients may send the bearer header.
 */
export function mountQueueBoard(app: INestApplication): void {
  const serverAdapter = new ExpressAdapter();
  serverAdapter.setBasePath(QUEUE_BOARD_PATH);
  createBullBoard({
    queues: Object.values(QUEUES).map(
      (name) => new BullAdapter(app.get<Queue>(getQueueToken(name), { strict: false })),
    ),
    serverAdapter,
  });
  const auth = app.get(AuthService, { strict: false });

  const guard = async (request: Request, response: Response, next: NextFunction) => {
    const queryToken = typeof request.query.token === 'string' ? request.query.token : undefined;
    const token =
      bearerToken(request.headers.authorization) ??
      queryToken ??
      cookieToken(request.headers.cookie);
    try {
      if (!token) throw new UnauthenticatedError('请先登录（缺少令牌）');
      const user = await auth.authenticate(token);
      auth.assertPasswordSettled(user);
      if (user.role !== 'county_admin')
        throw new ForbiddenError('只有县总工会管理员可以查看任务队列');
      if (queryToken) {
        response.cookie(COOKIE, queryToken, {
          httpOnly: true,
          sameSite: 'strict',
          path: QUEUE_BOARD_PATH,
        });
      }
      next();
    } catch (error) {
      if (!(error instanceof DomainError)) return next(error);
      const statusCode = httpStatusFor(error.code);
      response
        .status(statusCode)
        .json({ statusCode, code: error.code, message: error.message, details: error.details });
    }
  };
  app.use(QUEUE_BOARD_PATH, (request: Request, response: Response, next: NextFunction) => {
    void guard(request, response, next);
  });
  app.use(QUEUE_BOARD_PATH, serverAdapter.getRouter());
}
