import { reservedTokenWaits } from '../../../../src/billing/engine/charge-rate-limit.port';
import { TokenBucket } from '../../../../src/billing/engine/provider/token-bucket';

describe('reservedTokenWaits', () => {
  it('makes each token wait until the bucket has refilled to it', () => {
    expect(reservedTokenWaits(2, 4, 100)).toEqual([0, 0, 10, 20]);
    expect(reservedTokenWaits(0.5, 2, 100)).toEqual([5, 15]);
    // In debt: others reserved ahead, so the first waits for their tokens too.
    expect(reservedTokenWaits(-3, 2, 200)).toEqual([20, 25]);
  });
});

describe('TokenBucket', () => {
  it('gives the burst at once, then spaces takers by the rate in arrival order', () => {
    let now = 0;
    const bucket = new TokenBucket({ ratePerSecond: 100, burst: 2 }, () => now);
    expect(bucket.reserve(4)).toEqual([0, 0, 10, 20]);
    now += 20; // the two reserved tokens are due now
    expect(bucket.reserve(1)).toEqual([10]);
    now += 1_000; // refills up to the burst, no more
    expect(bucket.reserve(3)).toEqual([0, 0, 10]);
  });

  it('never lets more than rate × seconds + burst through in any span', () => {
    let now = 0;
    const bucket = new TokenBucket({ ratePerSecond: 200, burst: 10 }, () => now);
    const sent: number[] = [];
    for (let i = 0; i < 5_000; i++) {
      now += i % 7 === 0 ? 3 : 0;
      sent.push(...bucket.reserve(1 + (i % 3)).map((wait) => now + wait));
    }
    sent.sort((a, b) => a - b);
    let start = 0;
    let most = 0;
    for (let end = 0; end < sent.length; end++) {
      while (sent[end] - sent[start] >= 1_000) start++;
      most = Math.max(most, end - start + 1);
    }
    // The burst of 10 at once, then one every 5 ms: 199 more within the same second.
    expect(most).toBe(209);
  });

  it('refills nothing for a clock that went back, and never more than it earned', () => {
    let now = 1_000;
    const bucket = new TokenBucket({ ratePerSecond: 100, burst: 1 }, () => now);
    expect(bucket.reserve(1)).toEqual([0]);
    now = 900;
    expect(bucket.reserve(1)).toEqual([10]);
    now = 1_010;
    expect(bucket.reserve(1)).toEqual([10]);
  });

  it('refuses a rate or burst that cannot work', () => {
    expect(() => new TokenBucket({ ratePerSecond: 0, burst: 1 }, () => 0)).toThrow(RangeError);
    expect(() => new TokenBucket({ ratePerSecond: 10, burst: 0 }, () => 0)).toThrow(RangeError);
  });
});
