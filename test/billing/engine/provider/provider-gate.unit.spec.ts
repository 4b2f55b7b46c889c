import { ProviderGate } from '../../../../src/billing/engine/provider/provider-gate';
import { StopSignal } from '../../../../src/shared/stop-signal';

function gate({ cold = false } = {}) {
  let now = Date.parse('2026-12-03T10:00:00Z');
  const subject = new ProviderGate(
    {
      breaker: {
        consecutiveFailures: 2,
        failureRatio: 1,
        window: 10,
        openMs: 1_000,
        maxOpenMs: 4_000,
        holdAfterAmbiguous: true,
      },
      maxBackoffMs: 5_000,
      defaultBackoffMs: 500,
      probePollMs: 50,
    },
    () => now,
  );
  // Warm: the cold start's trial call answered (circuit-breaker.unit.spec.ts).
  if (!cold) subject.answered(permit(subject));
  return { subject, advance: (ms: number) => (now += ms) };
}

function permit(subject: ProviderGate) {
  const answer = subject.tryPermit();
  if (!answer.ok) throw new Error(`no permit: ${answer.why}`);
  return answer.permit;
}

/** Two calls sent together, both failing: the breaker opens (2 in a row, none in flight). */
function openBreaker(subject: ProviderGate): void {
  const calls = [permit(subject), permit(subject)];
  for (const call of calls) subject.failed(call, 'ambiguous');
}

describe('ProviderGate', () => {
  it('is available until failures open the breaker, then says since when and how long to wait', () => {
    const { subject } = gate();
    expect(subject.status()).toEqual({ state: 'available' });
    openBreaker(subject);
    expect(subject.status()).toEqual({
      state: 'unavailable',
      since: '2026-12-03T10:00:00.000Z',
      probing: false,
    });
    expect(subject.tryPermit()).toEqual({ ok: false, why: 'unavailable', waitMs: 1_000 });
  });

  it('lets one probe through when half-open; its answer makes the provider available again', () => {
    const { subject, advance } = gate();
    openBreaker(subject);
    advance(1_000);
    const probe = permit(subject);
    expect(probe).toEqual({ probe: true });
    expect(subject.tryPermit()).toEqual({ ok: false, why: 'unavailable', waitMs: 50 });
    subject.answered(probe);
    expect(subject.status()).toEqual({ state: 'available' });
  });

  it('a 429 pauses the whole instance for its Retry-After without opening the breaker', () => {
    const { subject, advance } = gate();
    const second = permit(subject);
    subject.throttled(permit(subject), 1_000);
    // A shorter ask (a 429 without Retry-After: the default 500 ms) does not cut it short.
    subject.throttled(second, null);
    expect(subject.status()).toEqual({ state: 'backing-off', until: '2026-12-03T10:00:01.000Z' });
    expect(subject.tryPermit()).toEqual({ ok: false, why: 'backing-off', waitMs: 1_000 });
    advance(1_000);
    expect(subject.tryPermit()).toEqual({ ok: true, permit: { probe: false } });
  });

  it('a 503 with Retry-After counts as a failure and pauses too', () => {
    const { subject } = gate();
    const other = permit(subject);
    subject.failed(permit(subject), 'transient', 2_000);
    expect(subject.tryPermit()).toEqual({ ok: false, why: 'backing-off', waitMs: 2_000 });
    subject.answered(other);
    expect(subject.status()).toEqual({ state: 'backing-off', until: '2026-12-03T10:00:02.000Z' });
  });

  it('after a failure, no claim and no new send until the calls in flight end; then one trial', () => {
    const { subject } = gate();
    const calls = [permit(subject), permit(subject), permit(subject)];
    subject.failed(calls[0], 'ambiguous');
    expect(subject.claimable(8)).toBe(0);
    expect(subject.tryPermit()).toEqual({ ok: false, why: 'unavailable', waitMs: 50 });
    // Still available: nothing is known to be down yet, only held back.
    expect(subject.status()).toEqual({ state: 'available' });
    subject.answered(calls[1]);
    expect(subject.claimable(8)).toBe(0);
    subject.answered(calls[2]);
    expect(subject.claimable(8)).toBe(1);
    const trial = permit(subject);
    expect(trial).toEqual({ probe: false });
    expect(subject.claimable(8)).toBe(0);
    subject.answered(trial);
    expect(subject.claimable(8)).toBe(8);
  });

  it('after a failure, the calls in flight all failing open the breaker at once', () => {
    const { subject } = gate();
    const calls = [permit(subject), permit(subject)];
    subject.failed(calls[0], 'ambiguous');
    expect(subject.status()).toEqual({ state: 'available' });
    subject.unused(calls[1]); // not sent after all: nothing left to answer
    expect(subject.status()).toEqual({
      state: 'unavailable',
      since: '2026-12-03T10:00:00.000Z',
      probing: false,
    });
    expect(subject.claimable(8)).toBe(0);
  });

  it('a charge waiting to be resent waits through the hold, then is the trial call before any claim', async () => {
    const { subject } = gate();
    const calls = [permit(subject), permit(subject)];
    subject.failed(calls[0], 'ambiguous');
    const signal = new StopSignal();
    let resend: unknown = null;
    const waiting = subject.permit(signal).then((got) => (resend = got));
    await new Promise((resolve) => setImmediate(resolve));
    expect(resend).toBeNull();
    subject.answered(calls[1]);
    expect(subject.claimable(8)).toBe(0);
    expect(await waiting).toEqual({ probe: false });
    expect(subject.claimable(8)).toBe(0);
  });

  it("a claim's first send waits through a hold: sent once it ends, refused if the breaker opens", async () => {
    const { subject } = gate();
    const signal = new StopSignal();
    const calls = [permit(subject), permit(subject), permit(subject)];
    subject.failed(calls[0], 'ambiguous');
    const first = subject.firstPermit(signal);
    subject.answered(calls[1]);
    expect(subject.claimable(8)).toBe(0); // the trial is the waiting claim's
    subject.answered(calls[2]);
    const sent = await first;
    expect(sent).toEqual({ ok: true, permit: { probe: false } });
    if (sent?.ok) subject.answered(sent.permit); // the trial answered: closed again
    expect(subject.claimable(8)).toBe(8);

    const again = [permit(subject), permit(subject)];
    subject.failed(again[0], 'ambiguous');
    const refused = subject.firstPermit(signal);
    subject.failed(again[1], 'ambiguous');
    expect(await refused).toEqual({ ok: false, why: 'unavailable', waitMs: 1_000 });
  });

  it('claims fill every free slot while closed, one (the probe) when it may probe, none while open or paused', () => {
    const { subject, advance } = gate();
    expect(subject.claimable(8)).toBe(8);
    openBreaker(subject);
    expect(subject.claimable(8)).toBe(0);
    advance(1_000);
    expect(subject.claimable(8)).toBe(1);
    // Looking did not take the probe: the claim that follows can.
    expect(permit(subject)).toEqual({ probe: true });
    expect(subject.claimable(8)).toBe(0);
  });

  it('a new claim does not take the probe from a charge already waiting to send', async () => {
    const { subject, advance } = gate();
    openBreaker(subject);
    const signal = new StopSignal();
    const waiting = subject.permit(signal);
    expect(subject.claimable(8)).toBe(0);
    advance(1_000);
    expect(subject.claimable(8)).toBe(0);
    signal.stop();
    expect(await waiting).toBeNull();
    expect(subject.claimable(8)).toBe(1);
  });

  it('cold (nothing heard yet): one claim, alone, until it is answered or openMs passes', () => {
    const { subject } = gate({ cold: true });
    expect(subject.claimable(8)).toBe(1);
    const trial = permit(subject);
    expect(subject.claimable(8)).toBe(0);
    expect(subject.tryPermit()).toEqual({ ok: false, why: 'unavailable', waitMs: 50 });
    subject.answered(trial);
    expect(subject.claimable(8)).toBe(8);

    const { subject: slow, advance: wait } = gate({ cold: true });
    permit(slow);
    wait(950);
    expect(slow.claimable(8)).toBe(0);
    wait(50); // a waiter looks again every probePollMs and sees the hold lifted
    expect(slow.claimable(8)).toBe(8);
  });

  it('lets one claim take a cold trial, not every claim until it is sent; a claim never sent frees it after openMs', () => {
    const { subject, advance } = gate({ cold: true });
    expect(subject.claimable(8)).toBe(1);
    // Looking again changes nothing until a claim is made.
    expect(subject.claimable(8)).toBe(1);
    subject.claiming(1);
    // The trial claimed, not yet sent: no other claim is let take it.
    expect(subject.claimable(8)).toBe(0);
    advance(999);
    expect(subject.claimable(8)).toBe(0);
    // That claim was lost to another instance and never sent: the trial is free again.
    advance(1);
    expect(subject.claimable(8)).toBe(1);
    subject.claiming(1);
    const trial = permit(subject);
    expect(subject.claimable(8)).toBe(0);
    subject.answered(trial);
    expect(subject.claimable(8)).toBe(8);
  });

  it('stays warm for a round claimed while warm, however long its answers took before', () => {
    const { subject, advance } = gate();
    advance(4_000);
    // Claimed 4 s after the last answer; the claim's writes are slow and its charges go
    // 2 s later, 6 s after that answer: a round already decided, not an idle instance's
    // first calls, so they go together rather than behind a trial.
    expect(subject.claimable(8)).toBe(8);
    subject.claiming(8);
    advance(2_000);
    const sent = Array.from({ length: 8 }, () => permit(subject));
    for (const call of sent) subject.answered(call);
    // Idle 5 s after that: cold again, one call alone.
    advance(5_000);
    expect(subject.claimable(8)).toBe(1);
  });
});
