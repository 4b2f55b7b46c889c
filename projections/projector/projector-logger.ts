import { Logger } from '@nestjs/common';

export interface ProjectorLogger {
  log(message: string): void;
  warn(message: string): void;
  error(message: string, error: unknown): void;
}

export function nestProjectorLogger(context = 'Projections'): ProjectorLogger {
  const logger = new Logger(context);
  return {
    log: (message) => logger.log(message),
    warn: (message) => logger.warn(message),
    error: (message, error) =>
      logger.error(message, error instanceof Error ? error.stack : String(error)),
  };
}
