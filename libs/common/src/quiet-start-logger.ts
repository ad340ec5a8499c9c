import type { LoggerService } from '@nestjs/common';

/**
 * Nest's own start-up chatter: one line per module (InstanceLoader) and ~200 per route
 * (RoutesResolver, RouterExplorer). Useful when debugging the wiring, noise for everyone else.
 */
const START_UP_CONTEXTS = new Set([
  'NestFactory',
  'InstanceLoader',
  'RoutesResolver',
  'RouterExplorer',
  'NestApplication',
]);

/**
 * The app's logger with Nest's start-up lines moved from info to debug (LOG_LEVEL=debug shows them);
 * everything else, warnings and errors from those contexts included, passes through unchanged.
 */
export class QuietStartLogger implements LoggerService {
  constructor(private readonly logger: LoggerService) {}

  log(message: unknown, ...optionalParams: unknown[]): void {
    const context = optionalParams.at(-1);
    if (typeof context === 'string' && START_UP_CONTEXTS.has(context)) {
      (this.logger.debug ?? this.logger.log).call(this.logger, message, ...optionalParams);
      return;
    }
    this.logger.log(message, ...optionalParams);
  }

  error(message: unknown, ...optionalParams: unknown[]): void {
    this.logger.error(message, ...optionalParams);
  }

  warn(message: unknown, ...optionalParams: unknown[]): void {
    this.logger.warn(message, ...optionalParams);
  }

  debug(message: unknown, ...optionalParams: unknown[]): void {
    this.logger.debug?.(message, ...optionalParams);
  }

  verbose(message: unknown, ...optionalParams: unknown[]): void {
    this.logger.verbose?.(message, ...optionalParams);
  }

  fatal(message: unknown, ...optionalParams: unknown[]): void {
    (this.logger.fatal ?? this.logger.error).call(this.logger, message, ...optionalParams);
  }
}
