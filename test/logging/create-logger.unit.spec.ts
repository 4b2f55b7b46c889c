import { Writable } from 'node:stream';
import { createLogger } from '../../src/logging/create-logger';

const KEY = 'finance-ro-key-0123456789abcdef';

/** A stream that keeps what is written to it, one entry per line. */
function lineSink(lines: string[]): Writable {
  return new Writable({
    write(chunk: Buffer | string, _encoding, done) {
      lines.push(...chunk.toString().trimEnd().split('\n'));
      done();
    },
  });
}

function capture(format: 'json' | 'pretty') {
  const lines: string[] = [];
  const logger = createLogger({ format, level: 'debug' }, 'instance-7', [KEY], lineSink(lines));
  return { logger, lines };
}

describe('the logger', () => {
  it('writes JSON lines with the time, the level name, the instance and the fields given', () => {
    const { logger, lines } = capture('json');

    logger.info({ runId: 'r1', invoiceId: '42', attempt: 2 }, 'charged');

    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0])).toEqual({
      level: 'info',
      time: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      pid: process.pid,
      instanceId: 'instance-7',
      runId: 'r1',
      invoiceId: '42',
      attempt: 2,
      msg: 'charged',
    });
  });

  it('censors key, token and secret fields, and Authorization headers', () => {
    const { logger, lines } = capture('json');

    logger.warn(
      {
        key: KEY,
        token: 'a-token',
        config: { apiKey: 'k', password: 'p', secret: 's' },
        req: { headers: { authorization: `Bearer ${KEY}`, cookie: 'session=1', host: 'x' } },
      },
      'settings',
    );

    const line = JSON.parse(lines[0]);
    expect(line).toMatchObject({
      key: '[redacted]',
      token: '[redacted]',
      config: { apiKey: '[redacted]', password: '[redacted]', secret: '[redacted]' },
      req: { headers: { authorization: '[redacted]', cookie: '[redacted]', host: 'x' } },
    });
    expect(lines[0]).not.toContain(KEY);
  });

  it('scrubs configured keys and bearer credentials from messages', () => {
    const { logger, lines } = capture('json');

    logger.error(`rejected Authorization: Bearer ${KEY.slice(0, 10)} and a key ${KEY} in text`);
    logger.info({ context: 'Api' }, `bearer some.jwt.value then ${KEY}`);

    expect(lines.map((line) => JSON.parse(line).msg)).toEqual([
      'rejected Authorization: Bearer [redacted] and a key [redacted] in text',
      'bearer [redacted] then [redacted]',
    ]);
  });

  it('writes readable lines with the context, and scrubs them too', () => {
    const { logger, lines } = capture('pretty');

    logger.info({ context: 'BillingEngine', runId: 'r1' }, `run started with ${KEY}`);

    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      /^\[\d\d:\d\d:\d\d\.\d{3}\] INFO.*\[BillingEngine\] run started with \[redacted\]/,
    );
    expect(lines[0]).toContain('"runId":"r1"');
    expect(lines[0]).not.toContain(KEY);
  });

  it('leaves out what is below its level', () => {
    const lines: string[] = [];
    const logger = createLogger({ format: 'json', level: 'warn' }, 'i', [], lineSink(lines));

    logger.info('quiet');
    logger.warn('loud');

    expect(lines.map((line) => JSON.parse(line).msg)).toEqual(['loud']);
  });
});
