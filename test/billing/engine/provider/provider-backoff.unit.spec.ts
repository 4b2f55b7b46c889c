import { ProviderBackoff } from '../../../../src/billing/engine/provider/provider-backoff';

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
