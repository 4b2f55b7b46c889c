import { chargeWithRetries } from '../../../src/billing/engine/charge-with-retries';
import { StopSignal } from '../../../src/shared/stop-signal';
import { CustomerNotFoundError } from '../../../src/payment-provider/errors/customer-not-found.error';
import { NetworkError } from '../../../src/payment-provider/errors/network.error';
import type {
  ChargeRequest,
  PaymentProvider,
} from '../../../src/payment-provider/payment-provider.port';

const REQUEST: ChargeRequest = {
  invoiceId: '42',
  customerId: 'customer-7',
  amount: { value: '10.00', currency: 'EUR' },
  idempotencyKey: 'invoice-42-attempt-1',
};
const POLICY = { transientRetries: 2, ambiguousRetries: 2, providerRetryDelayMs: () => 0 };

/** A provider answering from a script, one entry per call; records every request. */
function scripted(idempotent: boolean, ...answers: (boolean | Error)[]) {
  const calls: ChargeRequest[] = [];
  const provider: PaymentProvider = {
    idempotent,
    charge: async (request) => {
      calls.push(request);
      const answer = answers[Math.min(calls.length - 1, answers.length - 1)];
      if (answer instanceof Error) throw answer;
      return answer;
    },
  };
  return { provider, calls };
}

const ambiguous = (): NetworkError => new NetworkError(true, 'timed out');
const neverLeft = (): NetworkError => new NetworkError(false, 'connection refused');

describe('chargeWithRetries', () => {
  it('true is paid, false is a declined charge (INSUFFICIENT_FUNDS)', async () => {
    const paid = await chargeWithRetries(
      scripted(false, true).provider,
      REQUEST,
      POLICY,
      new StopSignal(),
    );
    expect(paid).toEqual({ kind: 'settled', report: { kind: 'paid' } });
    const declined = await chargeWithRetries(
      scripted(false, false).provider,
      REQUEST,
      POLICY,
      new StopSignal(),
    );
    expect(declined).toMatchObject({ report: { kind: 'failed', reason: 'INSUFFICIENT_FUNDS' } });
  });

  it('a permanent failure is recorded at once, without a retry', async () => {
    const { provider, calls } = scripted(true, new CustomerNotFoundError('customer-7', '42'));
    const result = await chargeWithRetries(provider, REQUEST, POLICY, new StopSignal());
    expect(result).toMatchObject({ report: { kind: 'failed', reason: 'CUSTOMER_NOT_FOUND' } });
    expect(calls).toHaveLength(1);
  });

  it('retries a request that never left, with the same key, then pays', async () => {
    const { provider, calls } = scripted(false, neverLeft(), neverLeft(), true);
    const result = await chargeWithRetries(provider, REQUEST, POLICY, new StopSignal());
    expect(result).toEqual({ kind: 'settled', report: { kind: 'paid' } });
    expect(calls.map((call) => call.idempotencyKey)).toEqual(Array(3).fill(REQUEST.idempotencyKey));
  });

  it('gives its slot back while backing off, and calls the provider only while holding it', async () => {
    const log: string[] = [];
    let held = true;
    const slot = {
      release: () => {
        held = false;
        log.push('release');
      },
      acquire: async () => {
        held = true;
        log.push('acquire');
      },
    };
    const provider: PaymentProvider = {
      idempotent: true,
      charge: async () => {
        log.push(held ? 'charge' : 'charge WITHOUT A SLOT');
        if (log.length === 1) throw neverLeft();
        if (log.length === 4) throw ambiguous();
        return true;
      },
    };
    const result = await chargeWithRetries(provider, REQUEST, POLICY, new StopSignal(), slot);
    expect(result).toEqual({ kind: 'settled', report: { kind: 'paid' } });
    expect(log).toEqual(['charge', 'release', 'acquire', 'charge', 'release', 'acquire', 'charge']);
  });

  it('fails with NETWORK when the request never leaves within the retries', async () => {
    const { provider, calls } = scripted(false, neverLeft());
    const result = await chargeWithRetries(provider, REQUEST, POLICY, new StopSignal());
    expect(result).toMatchObject({ report: { kind: 'failed', reason: 'NETWORK' } });
    expect(calls).toHaveLength(1 + POLICY.transientRetries);
  });

  it('non-idempotent provider, ambiguous: UNKNOWN after one call, never a retry', async () => {
    const { provider, calls } = scripted(false, ambiguous(), true);
    const result = await chargeWithRetries(provider, REQUEST, POLICY, new StopSignal());
    expect(result).toMatchObject({ kind: 'settled', report: { kind: 'unknown' } });
    expect(calls).toHaveLength(1);
  });

  it('idempotent provider, ambiguous: retried with the same key until it answers', async () => {
    const { provider, calls } = scripted(true, ambiguous(), ambiguous(), true);
    const result = await chargeWithRetries(provider, REQUEST, POLICY, new StopSignal());
    expect(result).toEqual({ kind: 'settled', report: { kind: 'paid' } });
    expect(new Set(calls.map((call) => call.idempotencyKey))).toEqual(
      new Set([REQUEST.idempotencyKey]),
    );
  });

  it('idempotent provider, ambiguous every time: left open for the sweep, not guessed', async () => {
    const { provider, calls } = scripted(true, ambiguous());
    const result = await chargeWithRetries(provider, REQUEST, POLICY, new StopSignal());
    expect(result.kind).toBe('unsettled');
    expect(calls).toHaveLength(1 + POLICY.ambiguousRetries);
  });
});
