import { parseRetryAfter } from '../../src/payments/http/retry-after';

const NOW = Date.parse('2026-12-03T10:00:00Z');

describe('parseRetryAfter (RFC 9110 §10.2.3)', () => {
  it('reads delta-seconds', () => {
    expect(parseRetryAfter('1', NOW)).toBe(1_000);
    expect(parseRetryAfter(' 120 ', NOW)).toBe(120_000);
    expect(parseRetryAfter('0', NOW)).toBe(0);
  });

  it('reads an HTTP date as the wait from now, and a date past as no wait', () => {
    expect(parseRetryAfter('Thu, 03 Dec 2026 10:00:05 GMT', NOW)).toBe(5_000);
    expect(parseRetryAfter('Thursday, 03-Dec-26 10:01:00 GMT', NOW)).toBe(60_000);
    expect(parseRetryAfter('Thu, 03 Dec 2026 09:00:00 GMT', NOW)).toBe(0);
  });

  it('is null when missing or unreadable', () => {
    expect(parseRetryAfter(null, NOW)).toBeNull();
    expect(parseRetryAfter(undefined, NOW)).toBeNull();
    expect(parseRetryAfter('', NOW)).toBeNull();
    expect(parseRetryAfter('-1', NOW)).toBeNull();
    expect(parseRetryAfter('1.5', NOW)).toBeNull();
    expect(parseRetryAfter('soon', NOW)).toBeNull();
  });
});
