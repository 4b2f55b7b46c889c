import { ProviderGate } from '../../../../src/billing/engine/provider/provider-gate';
import { StopSignal } from '../../../../src/shared/stop-signal';

function gate() {
  let now = Date.parse('2026-12-03T10:00:00Z');
  const subject = new ProviderGate(
    {
      breaker: {
        consecutiveFailures: 2,
        failureRatio: 1,
        window: 10,
        openMs: 1_000,
        maxOpenMs: 4_000,
      },
      maxBackoffMs: 5_000,
      defaultBackoffMs: 500,
      probePollMs: 50,
    },
    () => now,
  );
  return { subject, advance: (ms: number) => (now += ms) };
}

function permit(subject: ProviderGate) {
  const answer = subject.tryPermit();
  if (!answer.ok) throw new Error(`no permit: ${answer.why}`);
  return answer.permit;
}

describe('ProviderGate', () => {
  it('is available until failures open the breaker, then says since when and how long to wait', () => {
    const { subject } = gate();
    expect(subject.status()).toEqual({ state: 'available' });
    subject.failed(permit(subject));
    subject.failed(permit(subject));
    expect(subject.status()).toEqual({
      state: 'unavailable',
      since: '2026-12-03T10:00:00.000Z',
      probing: false,
    });
    expect(subject.tryPermit()).toEqual({ ok: false, why: 'unavailable', waitMs: 1_000 });
  });

  it('lets one probe through when half-open; its answer makes the provider available again', () => {
    const { subject, advance } = gate();
    subject.failed(permit(subject));
    subject.failed(permit(subject));
    advance(1_000);
    const probe = permit(subject);
    expect(probe).toEqual({ probe: true });
    expect(subject.tryPermit()).toEqual({ ok: false, why: 'unavailable', waitMs: 50 });
    subject.answered(probe);
    expect(subject.status()).toEqual({ state: 'available' });
  });

  it('a 429 pauses the whole instance for its Retry-After without opening the breaker', () => {
    const { subject, advance } = gate();
    subject.throttled(permit(subject), 1_000);
    // A shorter ask (a 429 without Retry-After: the default 500 ms) does not cut it short.
    subject.throttled({ probe: false }, null);
    expect(subject.status()).toEqual({ state: 'backing-off', until: '2026-12-03T10:00:01.000Z' });
    expect(subject.tryPermit()).toEqual({ ok: false, why: 'backing-off', waitMs: 1_000 });
    advance(1_000);
    expect(subject.tryPermit()).toEqual({ ok: true, permit: { probe: false } });
  });

  it('a 503 with Retry-After counts as a failure and pauses too', () => {
    const { subject } = gate();
    subject.failed(permit(subject), 2_000);
    expect(subject.tryPermit()).toEqual({ ok: false, why: 'backing-off', waitMs: 2_000 });
  });

  it('claims fill every free slot while closed, one (the probe) when it may probe, none while open or paused', () => {
    const { subject, advance } = gate();
    expect(subject.claimable(8)).toBe(8);
    subject.failed(permit(subject));
    subject.failed(permit(subject));
    expect(subject.claimable(8)).toBe(0);
    advance(1_000);
    expect(subject.claimable(8)).toBe(1);
    // Looking did not take the probe: the claim that follows can.
    expect(permit(subject)).toEqual({ probe: true });
    expect(subject.claimable(8)).toBe(0);
  });

  it('a new claim does not take the probe from a charge already waiting to send', async () => {
    const { subject, advance } = gate();
    subject.failed(permit(subject));
    subject.failed(permit(subject));
    const signal = new StopSignal();
    const waiting = subject.permit(signal);
    expect(subject.claimable(8)).toBe(0);
    advance(1_000);
    expect(subject.claimable(8)).toBe(0);
    signal.stop();
    expect(await waiting).toBeNull();
    expect(subject.claimable(8)).toBe(1);
  });
});
