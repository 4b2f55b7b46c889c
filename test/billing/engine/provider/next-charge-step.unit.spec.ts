import {
  nextChargeStep,
  type ChargeHistory,
} from '../../../../src/billing/engine/provider/next-charge-step';

const FRESH: ChargeHistory = { idempotent: false, sends: 0, mayHaveReachedProvider: false };
const SENT_UNSENT: ChargeHistory = { idempotent: false, sends: 2, mayHaveReachedProvider: false };
const SENT_AMBIGUOUS: ChargeHistory = { idempotent: true, sends: 1, mayHaveReachedProvider: true };

const neverLeft = {
  kind: 'error',
  error: { kind: 'transient', message: 'connection refused', throttled: false, retryAfterMs: null },
} as const;
const throttled = {
  kind: 'error',
  error: { kind: 'transient', message: '429', throttled: true, retryAfterMs: 1_000 },
} as const;
const ambiguous = { kind: 'error', error: { kind: 'ambiguous', message: '500' } } as const;

describe('nextChargeStep', () => {
  it('records a definite answer, whatever came before', () => {
    const report = { kind: 'failed', reason: 'PROVIDER_REJECTED', message: '400' } as const;
    for (const history of [FRESH, SENT_UNSENT, SENT_AMBIGUOUS]) {
      expect(nextChargeStep({ kind: 'answered', report }, history)).toEqual({
        kind: 'record',
        report,
      });
    }
  });

  it('resends a request that never left (refused, 503, 429) on either kind of provider: never FAILED (NETWORK)', () => {
    for (const idempotent of [false, true]) {
      const history = { ...FRESH, idempotent, sends: 1 };
      expect(nextChargeStep(neverLeft, history)).toEqual({
        kind: 'resend',
        message: 'connection refused',
      });
      expect(nextChargeStep(throttled, history)).toEqual({ kind: 'resend', message: '429' });
    }
  });

  it('an ambiguous answer is UNKNOWN on a non-idempotent provider, resent with the same key on an idempotent one', () => {
    expect(nextChargeStep(ambiguous, { ...FRESH, sends: 1 })).toEqual({
      kind: 'record',
      report: { kind: 'unknown', message: '500' },
    });
    expect(nextChargeStep(ambiguous, SENT_AMBIGUOUS)).toEqual({ kind: 'resend', message: '500' });
  });

  it('withdraws a claim the gate closed on before its first send, saying why', () => {
    expect(nextChargeStep({ kind: 'gate-closed', why: 'unavailable' }, FRESH)).toMatchObject({
      kind: 'withdraw',
      reason: 'PROVIDER_UNAVAILABLE',
    });
    expect(nextChargeStep({ kind: 'gate-closed', why: 'backing-off' }, FRESH)).toMatchObject({
      kind: 'withdraw',
      reason: 'PROVIDER_BACKOFF',
    });
  });

  it('after a send that never left, a closed gate means waiting for it, not giving up', () => {
    expect(nextChargeStep({ kind: 'gate-closed', why: 'unavailable' }, SENT_UNSENT)).toEqual({
      kind: 'resend',
      message: 'waiting for the provider',
    });
  });

  it('on shutdown or when too old: withdrawn if nothing can have reached the provider, else left open for the sweep', () => {
    for (const history of [FRESH, SENT_UNSENT]) {
      expect(nextChargeStep({ kind: 'stopping' }, history)).toMatchObject({
        kind: 'withdraw',
        reason: 'SHUTTING_DOWN',
      });
      expect(nextChargeStep({ kind: 'too-old' }, history)).toMatchObject({
        kind: 'withdraw',
        reason: 'CLAIM_TOO_OLD',
      });
    }
    expect(nextChargeStep({ kind: 'stopping' }, SENT_AMBIGUOUS)).toMatchObject({
      kind: 'leave-open',
    });
    expect(nextChargeStep({ kind: 'too-old' }, SENT_AMBIGUOUS)).toMatchObject({
      kind: 'leave-open',
    });
  });
});
