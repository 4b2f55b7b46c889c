import { ProviderBackoff } from '../../../../src/billing/engine/provider/provider-backoff';
import { TokenBucket } from '../../../../src/billing/engine/provider/token-bucket';

describe('ProviderBackoff', () => {
  it('holds sending for the longest wait asked, capped, and lets go when it is over', () => {
    let now = 1_000;
    const backoff = new ProviderBackoff(() => now, 5_000);
    expect(backoff.remainingMs).toBe(0);
    expect(backoff.pausedUntil).toBeNull();
    expect(backoff.holdFor(1_000)).toBe(true);
    expect(backoff.holdFor(500)).toBe(false); // a shorter wait never cuts it short
    expect(backoff.remainingMs).toBe(1_000);
    now += 400;
    expect(backoff.holdFor(2_000)).toBe(true);
    expect(backoff.pausedUntil).toBe(3_400);
    expect(backoff.holdFor(60_000)).toBe(true);
    expect(backoff.remainingMs).toBe(5_000);
    now += 5_000;
    expect(backoff.remainingMs).toBe(0);
    expect(backoff.pausedUntil).toBeNull();
  });
});

describe('TokenBucket', () => {
  it('gives the burst at once, then spaces takers by the rate in arrival order', () => {
    let now = 0;
    const bucket = new TokenBucket(100, 2, () => now);
    expect([bucket.take(), bucket.take(), bucket.take(), bucket.take()]).toEqual([0, 0, 10, 20]);
    now += 20; // the two reserved tokens are due now
    expect(bucket.take()).toBe(10);
    now += 1_000; // refills up to the burst, no more
    expect([bucket.take(), bucket.take(), bucket.take()]).toEqual([0, 0, 10]);
  });

  it('never lets more than rate × seconds + burst through in any span', () => {
    let now = 0;
    const bucket = new TokenBucket(200, 10, () => now);
    const sent: number[] = [];
    for (let i = 0; i < 5_000; i++) {
      now += Math.floor(i % 7 === 0 ? 3 : 0);
      sent.push(now + bucket.take());
    }
    sent.sort((a, b) => a - b);
    let start = 0;
    for (let end = 0; end < sent.length; end++) {
      while (sent[end] - sent[start] >= 1_000) start++;
      expect(end - start + 1).toBeLessThanOrEqual(210);
    }
  });

  it('refuses a rate or burst that cannot work', () => {
    expect(() => new TokenBucket(0, 1, () => 0)).toThrow(RangeError);
    expect(() => new TokenBucket(10, 0, () => 0)).toThrow(RangeError);
  });
});
