import { DEFAULT_RETRY_POLICY, parseRetryPolicy, retryDelayMs } from '../../../src/billing/domain';

describe('retryDelayMs', () => {
  it.each([
    ['90s', 90_000],
    ['30m', 1_800_000],
    ['6h', 21_600_000],
    ['3d', 259_200_000],
    ['366d', 366 * 86_400_000],
  ])('reads %s', (text, ms) => expect(retryDelayMs(text)).toBe(ms));

  it.each(['', '0d', '3', 'd', '3 d', '1.5h', '3w', '-1h', '367d', 'P3D'])('refuses %j', (text) =>
    expect(retryDelayMs(text)).toBeNull(),
  );
});

describe('parseRetryPolicy', () => {
  it('takes a policy, keeping only what it lists', () => {
    const parsed = parseRetryPolicy({
      name: 'eu-2026',
      retries: { INSUFFICIENT_FUNDS: ['2d', '4d'], NETWORK: [], CUSTOMER_NOT_FOUND: [] },
    });
    expect(parsed).toEqual({
      ok: true,
      policy: {
        name: 'eu-2026',
        retries: { INSUFFICIENT_FUNDS: ['2d', '4d'], NETWORK: [], CUSTOMER_NOT_FOUND: [] },
      },
    });
  });

  it('accepts the defaults in their JSON form', () => {
    const parsed = parseRetryPolicy(JSON.parse(JSON.stringify(DEFAULT_RETRY_POLICY)));
    expect(parsed).toEqual({ ok: true, policy: DEFAULT_RETRY_POLICY });
  });

  it('names every problem at once, each saying what to write', () => {
    const parsed = parseRetryPolicy({
      name: '',
      colour: 'red',
      retries: {
        INSUFFICIENT_FUNDS: ['3 days'],
        ATTEMPT_TIMED_OUT: ['1h'],
        UNKNOWN: ['1h'],
        CARD_EXPIRED: ['1d'],
        CUSTOMER_NOT_FOUND: ['1d'],
        NETWORK: '1h',
      },
    });
    expect(parsed.ok).toBe(false);
    expect(!parsed.ok && parsed.errors).toEqual([
      'unknown field "colour" (name, retries)',
      '"name" must name the policy (letters, digits, "_", ".", ":" or "-")',
      '"INSUFFICIENT_FUNDS": "3 days" is not a delay; write a number and s, m, h or d (e.g. "90m", "3d"), at most 366d',
      '"ATTEMPT_TIMED_OUT" is an unknown outcome, not a failure: it is never retried automatically (a person resolves it)',
      '"UNKNOWN" is an unknown outcome, not a failure: it is never retried automatically (a person resolves it)',
      '"CARD_EXPIRED" is not a failure reason (INSUFFICIENT_FUNDS, CUSTOMER_NOT_FOUND, CURRENCY_MISMATCH, PROVIDER_REJECTED, NETWORK)',
      '"CUSTOMER_NOT_FOUND" is permanent: another attempt cannot succeed until a person fixes it, so it must be []',
      '"NETWORK" must be a list of delays such as ["3d", "5d"], or [] for never',
    ]);
  });

  it('refuses what is not an object, and retries that are not one', () => {
    expect(parseRetryPolicy([])).toMatchObject({ ok: false });
    expect(parseRetryPolicy({ name: 'p', retries: [] })).toEqual({
      ok: false,
      errors: ['"retries" must be an object of failure reason to delays, e.g. {"NETWORK": ["1h"]}'],
    });
  });

  it('refuses more than 20 retries for a reason', () => {
    const parsed = parseRetryPolicy({
      name: 'p',
      retries: { NETWORK: Array.from({ length: 21 }, () => '1h') },
    });
    expect(parsed).toEqual({ ok: false, errors: ['"NETWORK" has 21 retries; at most 20'] });
  });
});
