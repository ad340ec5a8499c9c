import { maskPersonalDataInText } from '@charity/common';
import { type AppConfig } from '@charity/config';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { RequestMethod } from '@nestjs/common';
import type { Params } from 'nestjs-pino';

const REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;

/** Structured JSON logs; each request gets an id (X-Request-Id in and out) that audit entries keep. */
export function loggerParams(config: AppConfig, withHttp: boolean): Params {
  return {
    forRoutes: [{ path: '{*path}', method: RequestMethod.ALL }],
    pinoHttp: {
      level: config.logLevel,
      autoLogging: withHttp ? { ignore: (req) => req.url === '/health' } : false,
      redact: ['req.headers.authorization', 'req.headers.cookie', 'res.headers["set-cookie"]'],
      // a search by ID number or phone must not put the full value in the log
      serializers: { req: maskRequestUrl },
      genReqId: (req: IncomingMessage, res: ServerResponse) => {
        const given = req.headers['x-request-id'];
        const id = typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
        res.setHeader('X-Request-Id', id);
        return id;
      },
    },
  };
}

/** The request as logged, with ID and mobile numbers in its URL and query masked. */
export function maskRequestUrl<T extends { url?: unknown; query?: unknown }>(req: T): T {
  const masked = { ...req };
  if (typeof req.url === 'string') masked.url = maskPersonalDataInText(req.url);
  if (req.query && typeof req.query === 'object') {
    masked.query = JSON.parse(maskPersonalDataInText(JSON.stringify(req.query))) as unknown;
  }
  return masked;
}
