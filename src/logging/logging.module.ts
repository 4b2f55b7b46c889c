import type { DynamicModule } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { loggerParams } from './logger-params';

/**
 * The service's logging (LOG_FORMAT, LOG_LEVEL): main.ts hands Nest the logger this
 * provides (`app.useLogger(app.get(Logger))`), so every `new Logger(context)` writes
 * through it. Global, like nestjs-pino's own module.
 */
export class LoggingModule {
  static forRoot(): DynamicModule {
    return LoggerModule.forRootAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => loggerParams(config),
    });
  }
}
