import type { LoggerService } from '@nestjs/common';
import { QuietStartLogger } from './quiet-start-logger';

function recording() {
  const calls: { level: string; message: unknown; context: unknown }[] = [];
  const at =
    (level: string) =>
    (message: unknown, ...params: unknown[]) =>
      calls.push({ level, message, context: params.at(-1) });
  const logger: LoggerService = {
    log: at('info'),
    error: at('error'),
    warn: at('warn'),
    debug: at('debug'),
    verbose: at('verbose'),
    fatal: at('fatal'),
  };
  return { calls, logger };
}

describe('QuietStartLogger', () => {
  it("moves Nest's start-up lines (modules, routes) from info to debug", () => {
    const { calls, logger } = recording();
    const quiet = new QuietStartLogger(logger);
    quiet.log('Mapped {/api/v1/stores, GET} route', 'RouterExplorer');
    quiet.log('StoresController {/api/v1/stores}:', 'RoutesResolver');
    quiet.log('DatabaseModule dependencies initialized', 'InstanceLoader');
    quiet.log('Nest application successfully started', 'NestApplication');
    expect(calls.map((call) => call.level)).toEqual(['debug', 'debug', 'debug', 'debug']);
    expect(calls[0]).toEqual({
      level: 'debug',
      message: 'Mapped {/api/v1/stores, GET} route',
      context: 'RouterExplorer',
    });
  });

  it("keeps the app's own info lines and every warning or error, Nest's included", () => {
    const { calls, logger } = recording();
    const quiet = new QuietStartLogger(logger);
    quiet.log('api listening on http://127.0.0.1:3000');
    quiet.log('scheduled points-expiry', 'Schedules');
    quiet.warn('no web app at dist/web', 'WebApp');
    quiet.error('Cannot connect to MySQL', 'stack', 'InstanceLoader');
    quiet.fatal('out of memory', 'NestFactory');
    expect(calls.map((call) => [call.level, call.context])).toEqual([
      ['info', undefined],
      ['info', 'Schedules'],
      ['warn', 'WebApp'],
      ['error', 'InstanceLoader'],
      ['fatal', 'NestFactory'],
    ]);
  });
});
