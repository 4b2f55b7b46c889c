import type { IncomingMessage, ServerResponse } from 'node:http';
import { RequestMethod } from '@nestjs/common';
import type { Params } from 'nestjs-pino';
import type { AppConfig } from '../config/app-config';
import { createLogger, type LogOutput } from './create-logger';

/**
 * nestjs-pino's settings: Nest's own Logger calls and one line per request go to the one
 * logger. A request's line is at debug when it succeeded (hidden at the default level),
 * info for a client error, error for a server error; it names the method, the URL and
 * the status, never a header.
 */
export function loggerParams(config: AppConfig, output?: LogOutput): Params {
  const secrets = config.apiKeys.map(({ key }) => key);
  return {
    // Every path: nestjs-pino's default, `{/*splat}`, matches no request on Fastify.
    forRoutes: [{ path: '*path', method: RequestMethod.ALL }],
    pinoHttp: {
      logger: createLogger(config.log, config.instanceId, secrets, output),
      quietReqLogger: true,
      customLogLevel: (_request: IncomingMessage, response: ServerResponse, error?: Error) => {
        if (error || response.statusCode >= 500) return 'error';
        return response.statusCode >= 400 ? 'info' : 'debug';
      },
      serializers: {
        req: (request: { id: unknown; method: string; url: string }) => ({
          id: request.id,
          method: request.method,
          url: request.url,
        }),
        res: (response: { statusCode: number }) => ({ statusCode: response.statusCode }),
      },
    },
  };
}
