import type { Writable } from 'node:stream';
import pino, { type DestinationStream, type Logger } from 'pino';
import pretty from 'pino-pretty';
import type { LogConfig } from '../config/app-config';
import { messageScrubber, REDACT_PATHS, REDACTED } from './redact';

/**
 * The service's one pino logger: JSON lines (`LOG_FORMAT=json`) with an ISO time, the
 * level's name and the instance on every line, or readable lines for a terminal. Both
 * censor secret fields and scrub `secrets` (the API keys) and bearer credentials from
 * messages. Writes are synchronous: a line logged just before a crash is not lost.
 */
export function createLogger(
  config: LogConfig,
  instanceId: string,
  secrets: readonly string[],
  output: LogOutput = STDOUT,
): Logger {
  const scrub = messageScrubber(secrets);
  return pino(
    {
      level: config.level,
      base: { pid: process.pid, instanceId },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: config.format === 'json' ? { level: (label) => ({ level: label }) } : {},
      redact: { paths: [...REDACT_PATHS], censor: REDACTED },
      hooks: {
        logMethod(args, method) {
          const scrubbed = args.map((arg: unknown) => (typeof arg === 'string' ? scrub(arg) : arg));
          method.apply(this, scrubbed as Parameters<typeof method>);
        },
      },
    },
    destination(config, output),
  );
}

/** Where lines go: a file descriptor (stdout), or a stream (tests). */
export type LogOutput = number | Writable;
const STDOUT = 1;

function destination(config: LogConfig, output: LogOutput): DestinationStream {
  if (config.format === 'json') {
    return typeof output === 'number' ? pino.destination({ dest: output, sync: true }) : output;
  }
  return pretty({
    destination: output,
    sync: true,
    singleLine: true,
    translateTime: 'SYS:HH:MM:ss.l',
    ignore: 'pid,hostname,instanceId,context',
    messageFormat: '{if context}[{context}] {end}{msg}',
  });
}
