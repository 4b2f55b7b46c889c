import { decideBegin } from '../../../src/api/idempotency/decide-begin';
import type { IdempotencyRecord } from '../../../src/api/idempotency/idempotency-record';
import { keyAfterError } from '../../../src/api/idempotency/key-after-error';

const T0 = new Date('2026-12-03T10:00:00.000Z');
const later = (ms: number) => new Date(T0.getTime() + ms);
const DAY = 24 * 60 * 60 * 1000;

const running: IdempotencyRecord = {
  requestId: 'r-1',
  fingerprint: 'f-1',
  state: 'in_progress',
  lockedUntil: later(30_000),
  response: null,
  createdAt: T0,
  expiresAt: later(DAY),
};
const answer = { status: 202, body: '{"invoiceId":"7"}' };
const completed: IdempotencyRecord = {
  ...running,
  state: 'completed',
  lockedUntil: null,
  response: answer,
};

describe('decideBegin', () => {
  it('replays a completed request with the same fingerprint, up to its expiry', () => {
    expect(decideBegin(completed, 'f-1', later(1))).toEqual({ kind: 'replay', response: answer });
    expect(decideBegin(completed, 'f-1', later(DAY - 1))).toEqual({
      kind: 'replay',
      response: answer,
    });
  });

  it('refuses another fingerprint, whether the first request is done or running', () => {
    expect(decideBegin(completed, 'f-2', later(1))).toEqual({ kind: 'reused' });
    expect(decideBegin(running, 'f-2', later(1))).toEqual({ kind: 'reused' });
  });

  it('says in use while the lease runs, and take over from the instant it ended', () => {
    expect(decideBegin(running, 'f-1', later(29_999))).toEqual({ kind: 'in-use' });
    expect(decideBegin(running, 'f-1', later(30_000))).toEqual({ kind: 'take-over' });
  });

  it('takes over a released key (no lease) at once', () => {
    expect(decideBegin({ ...running, lockedUntil: null }, 'f-1', later(1))).toEqual({
      kind: 'take-over',
    });
  });

  it('treats a key as absent from its expiry on, whatever its fingerprint or state', () => {
    for (const record of [running, completed]) {
      expect(decideBegin(record, 'f-1', later(DAY))).toEqual({ kind: 'expired' });
      expect(decideBegin(record, 'f-2', later(DAY + 1))).toEqual({ kind: 'expired' });
    }
  });
});

describe('keyAfterError', () => {
  const error = (statusCode: number, code: string) => ({
    statusCode,
    code,
    message: '',
    log: 'none' as const,
  });

  it('stores a definite refusal of the domain', () => {
    expect(keyAfterError(error(409, 'NOT_FAILED'))).toBe('store');
    expect(keyAfterError(error(404, 'INVOICE_NOT_FOUND'))).toBe('store');
    expect(keyAfterError(error(400, 'INVALID_COMMAND'))).toBe('store');
  });

  it('releases the key for what a retry may cure', () => {
    expect(keyAfterError(error(500, 'INTERNAL_ERROR'))).toBe('release');
    expect(keyAfterError(error(503, 'SERVICE_UNAVAILABLE'))).toBe('release');
    expect(keyAfterError(error(429, 'TOO_MANY_REQUESTS'))).toBe('release');
    expect(keyAfterError(error(409, 'WRONG_EXPECTED_VERSION'))).toBe('release');
  });

  it('forgets the key of a request its validation refused', () => {
    expect(keyAfterError(error(400, 'VALIDATION_FAILED'))).toBe('forget');
  });
});
