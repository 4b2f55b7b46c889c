import {
  CircuitBreaker,
  type BreakerCall,
  type BreakerSettings,
  type BreakerTransition,
  coldAfterMs,
} from '../../../../src/billing/engine/provider/circuit-breaker';

const SETTINGS: BreakerSettings = {
  consecutiveFailures: 3,
  failureRatio: 0.5,
  window: 10,
  openMs: 1_000,
  maxOpenMs: 3_000,
  holdAfterAmbiguous: true,
};

/** A breaker at 10,000 ms; warm unless `cold`: its cold start's trial call was answered. */
function breaker(settings: Partial<BreakerSettings> = {}, { cold = false } = {}) {
  let now = 10_000;
  const transitions: BreakerTransition[] = [];
  const subject = new CircuitBreaker(
    { ...SETTINGS, ...settings },
    () => now,
    (transition) => transitions.push(transition),
  );
  if (!cold) subject.succeeded(send(subject)[0]);
  return {
    subject,
    transitions,
    advance: (ms: number) => (now += ms),
    now: () => now,
  };
}

/** `count` calls let through, as the engine takes them (one permit per send). */
function send(subject: CircuitBreaker, count = 1): BreakerCall[] {
  return Array.from({ length: count }, () => {
    const permit = subject.tryAcquire();
    if (!permit.ok) throw new Error(`no permit (retry in ${permit.retryInMs} ms)`);
    return permit.call;
  });
}

/** Opens it: a call sent alone that fails (nothing else in flight). */
function openIt(subject: CircuitBreaker): void {
  subject.failed(send(subject)[0], 'ambiguous');
  expect(subject.state).toBe('open');
}

describe('CircuitBreaker', () => {
  it('holds after a failure: no new call until the calls in flight end, then one trial call', () => {
    const { subject, transitions } = breaker({ consecutiveFailures: 10 });
    const calls = send(subject, 4);
    subject.failed(calls[0], 'ambiguous');
    expect(subject.state).toBe('closed');
    expect(subject.holding).toBe(true);
    expect(subject.tryAcquire()).toEqual({ ok: false, retryInMs: null });
    subject.failed(calls[1], 'ambiguous');
    // A definite answer from a call sent before the failure: the provider may have
    // answered it before its trouble began, so it does not free the failed calls' slots.
    subject.succeeded(calls[2]);
    expect(subject.tryAcquire()).toEqual({ ok: false, retryInMs: null });
    expect(subject.trialReady).toBe(false);
    subject.succeeded(calls[3]);
    expect(subject.trialReady).toBe(true);
    const [trial] = send(subject);
    expect(subject.tryAcquire()).toEqual({ ok: false, retryInMs: null });
    subject.succeeded(trial); // sent after the failure, answered: the provider is up
    expect(subject.holding).toBe(false);
    expect(send(subject, 3)).toHaveLength(3);
    expect(transitions).toEqual([]);
  });

  it('a failed trial call opens the breaker; a trial not sent after all may go again', () => {
    const { subject } = breaker({ consecutiveFailures: 10 });
    const calls = send(subject, 2);
    subject.failed(calls[0], 'ambiguous');
    subject.succeeded(calls[1]);
    const [unsent] = send(subject);
    subject.released(unsent);
    expect(subject.state).toBe('closed');
    const [trial] = send(subject);
    subject.failed(trial, 'ambiguous');
    expect(subject.state).toBe('open');
  });

  it('opens at once when every call in flight at the first failure has failed', () => {
    const { subject, transitions, advance } = breaker({ consecutiveFailures: 10 });
    const calls = send(subject, 4);
    for (const call of calls.slice(0, 3)) subject.failed(call, 'ambiguous');
    expect(subject.state).toBe('closed');
    advance(5);
    subject.failed(calls[3], 'ambiguous');
    expect(subject.state).toBe('open');
    expect(subject.holding).toBe(false);
    expect(subject.unavailableSince).toBe(10_005);
    expect(subject.tryAcquire()).toEqual({ ok: false, retryInMs: 1_000 });
    expect(transitions).toEqual([
      { from: 'closed', to: 'open', at: 10_005, unavailableSince: 10_005 },
    ]);
  });

  it('one call in flight: its failure opens the breaker', () => {
    const { subject } = breaker({ consecutiveFailures: 10 });
    subject.failed(send(subject)[0], 'ambiguous');
    expect(subject.state).toBe('open');
  });

  it('a transient failure (refused, 503: never processed) holds nothing; the run of failures opens it', () => {
    const { subject } = breaker();
    subject.failed(send(subject)[0], 'transient');
    expect(subject.holding).toBe(false);
    subject.failed(send(subject)[0], 'transient');
    expect(subject.state).toBe('closed');
    subject.failed(send(subject)[0], 'transient');
    expect(subject.state).toBe('open');
  });

  it('without holdAfterAmbiguous (an idempotent provider), only the run of failures opens it', () => {
    const { subject } = breaker({ holdAfterAmbiguous: false });
    subject.failed(send(subject)[0], 'ambiguous');
    expect(subject.holding).toBe(false);
    subject.failed(send(subject)[0], 'ambiguous');
    expect(subject.state).toBe('closed');
    subject.failed(send(subject)[0], 'ambiguous');
    expect(subject.state).toBe('open');
  });

  it('opens on consecutive failures while other calls are still in flight, and ignores their answers', () => {
    const { subject, advance } = breaker();
    const calls = send(subject, 5);
    for (const call of calls.slice(0, 3)) subject.failed(call, 'ambiguous');
    expect(subject.state).toBe('open');
    expect(subject.tryAcquire()).toEqual({ ok: false, retryInMs: 1_000 });
    // Sent before it opened: their answers say nothing new.
    subject.succeeded(calls[3]);
    subject.failed(calls[4], 'ambiguous');
    expect(subject.state).toBe('open');
    advance(999);
    expect(subject.tryAcquire()).toEqual({ ok: false, retryInMs: 1 });
  });

  it('a call ended with nothing learnt (a 429, not sent) keeps the hold; with none left in flight it opens', () => {
    const { subject } = breaker({ consecutiveFailures: 10 });
    const idle = send(subject, 2);
    subject.released(idle[0]); // not holding: nothing changes
    subject.succeeded(idle[1]);
    expect(subject.tryAcquire().ok).toBe(true);

    const { subject: held } = breaker({ consecutiveFailures: 10 });
    const calls = send(held, 3);
    held.failed(calls[0], 'ambiguous');
    held.released(calls[1]);
    expect(held.state).toBe('closed');
    expect(held.holding).toBe(true);
    held.released(calls[2]);
    expect(held.state).toBe('open');
  });

  it('opens on the failure ratio over a full window, though answers come between the failures', () => {
    // 11: the warm-up call's answer is the window's first.
    const { subject } = breaker({ consecutiveFailures: 100, window: 11 });
    const calls = send(subject, 12);
    // A failure, then a definite answer, four times; then a failure.
    calls
      .slice(0, 9)
      .forEach((call, i) =>
        i % 2 === 0 ? subject.failed(call, 'ambiguous') : subject.succeeded(call),
      );
    expect(subject.state).toBe('closed'); // 5 of 10: the window is not full yet
    subject.succeeded(calls[9]);
    expect(subject.state).toBe('closed'); // 5 of 11 but the last call succeeded
    subject.failed(calls[10], 'ambiguous');
    expect(subject.state).toBe('open'); // 6 of the last 11, one call still in flight
  });

  it('half-open lets exactly one probe through; its success closes the breaker', () => {
    const { subject, transitions, advance } = breaker();
    openIt(subject);
    advance(1_000);
    const probe = subject.tryAcquire();
    expect(probe).toEqual({ ok: true, call: { probe: true } });
    expect(subject.state).toBe('half-open');
    expect(subject.tryAcquire()).toEqual({ ok: false, retryInMs: null });
    expect(subject.tryAcquire()).toEqual({ ok: false, retryInMs: null });
    advance(50);
    if (probe.ok) subject.succeeded(probe.call);
    expect(subject.state).toBe('closed');
    expect(subject.holding).toBe(false);
    expect(subject.unavailableSince).toBeNull();
    expect(subject.tryAcquire()).toEqual({ ok: true, call: { probe: false } });
    expect(transitions.map(({ from, to, at }) => `${from}->${to}@${at}`)).toEqual([
      'closed->open@10000',
      'open->half-open@11000',
      'half-open->closed@11050',
    ]);
  });

  it('a failed probe opens it again for twice as long, up to maxOpenMs, since the first failure', () => {
    const { subject, advance } = breaker();
    openIt(subject);
    const waits: (number | null)[] = [];
    for (let round = 0; round < 4; round++) {
      const blocked = subject.tryAcquire();
      waits.push(blocked.ok ? -1 : blocked.retryInMs);
      advance(blocked.ok ? 0 : (blocked.retryInMs ?? 0));
      const [probe] = send(subject);
      expect(probe.probe).toBe(true);
      subject.failed(probe, 'ambiguous');
      expect(subject.state).toBe('open');
    }
    waits.push((subject.tryAcquire() as { retryInMs: number }).retryInMs);
    expect(waits).toEqual([1_000, 2_000, 3_000, 3_000, 3_000]);
    expect(subject.unavailableSince).toBe(10_000);
    // Success after all that: the next opening starts from openMs again.
    advance(3_000);
    subject.succeeded(send(subject)[0]);
    openIt(subject);
    expect(subject.tryAcquire()).toEqual({ ok: false, retryInMs: 1_000 });
  });

  it('a released probe frees the probe slot; a call sent before it opened does not close it', () => {
    const { subject, advance } = breaker();
    const calls = send(subject, 4);
    for (const call of calls.slice(0, 3)) subject.failed(call, 'ambiguous');
    expect(subject.state).toBe('open');
    advance(1_000);
    const [probe] = send(subject);
    expect(probe.probe).toBe(true);
    subject.released(probe); // e.g. the probe was answered 429: nothing learnt
    expect(subject.state).toBe('half-open');
    subject.succeeded(calls[3]);
    expect(subject.state).toBe('half-open');
    expect(subject.tryAcquire()).toEqual({ ok: true, call: { probe: true } });
  });

  describe('cold start (holdAfterAmbiguous: a non-idempotent provider)', () => {
    it('is cold when made: one call goes alone, then none until it is answered', () => {
      const { subject, transitions } = breaker({}, { cold: true });
      expect(subject.newCalls).toBe(1);
      const [trial] = send(subject);
      expect(subject.holding).toBe(true);
      expect(subject.newCalls).toBe(0);
      expect(subject.tryAcquire()).toEqual({ ok: false, retryInMs: null });
      subject.succeeded(trial);
      expect(subject.holding).toBe(false);
      expect(send(subject, 8)).toHaveLength(8);
      expect(transitions).toEqual([]);
    });

    it.each(['ambiguous', 'transient'] as const)(
      'its trial failing (%s) opens the breaker: no round goes into an outage',
      (kind) => {
        const { subject, advance } = breaker({ consecutiveFailures: 10 }, { cold: true });
        const [trial] = send(subject);
        expect(subject.tryAcquire()).toEqual({ ok: false, retryInMs: null });
        advance(20);
        subject.failed(trial, kind);
        expect(subject.state).toBe('open');
        expect(subject.unavailableSince).toBe(10_020);
        expect(subject.tryAcquire()).toEqual({ ok: false, retryInMs: 1_000 });
      },
    );

    it('a trial not answered within openMs lifts the hold: a slow provider is delayed, not stalled', () => {
      const { subject, advance } = breaker({ consecutiveFailures: 10 }, { cold: true });
      const [trial] = send(subject);
      advance(999);
      expect(subject.newCalls).toBe(0);
      expect(subject.tryAcquire()).toEqual({ ok: false, retryInMs: null });
      advance(1);
      expect(subject.holding).toBe(false);
      const round = send(subject, 8);
      // Answered late, it is one of the calls in flight: a failure holds as usual.
      subject.failed(trial, 'ambiguous');
      expect(subject.state).toBe('closed');
      expect(subject.holding).toBe(true);
      for (const call of round) subject.succeeded(call);
      expect(subject.newCalls).toBe(1); // the hold's trial, as after any failure
    });

    it("the timer never lifts a failure's hold", () => {
      const { subject, advance } = breaker({ consecutiveFailures: 10 }, { cold: true });
      const [trial] = send(subject);
      advance(999);
      expect(subject.tryAcquire()).toEqual({ ok: false, retryInMs: null });
      advance(1);
      const round = send(subject, 3); // lifted: the trial was slow
      subject.succeeded(trial);
      subject.failed(round[0], 'ambiguous');
      expect(subject.holding).toBe(true);
      advance(10_000);
      expect(subject.holding).toBe(true);
      expect(subject.tryAcquire()).toEqual({ ok: false, retryInMs: null });
      subject.failed(round[1], 'ambiguous');
      subject.failed(round[2], 'ambiguous');
      expect(subject.state).toBe('open');
    });

    it('a trial not sent after all (released) lets another go alone, with its own timer', () => {
      const { subject, advance } = breaker({}, { cold: true });
      const [unsent] = send(subject);
      advance(900);
      subject.released(unsent);
      expect(subject.state).toBe('closed');
      const [trial] = send(subject);
      advance(900);
      expect(subject.tryAcquire()).toEqual({ ok: false, retryInMs: null });
      subject.failed(trial, 'ambiguous');
      expect(subject.state).toBe('open');
    });

    it('goes cold again after coldAfterMs with nothing in flight and no answer', () => {
      const { subject, advance } = breaker();
      expect(coldAfterMs(SETTINGS)).toBe(5_000);
      subject.succeeded(send(subject)[0]);
      advance(4_999);
      expect(subject.newCalls).toBe(Number.POSITIVE_INFINITY);
      const [late] = send(subject);
      advance(10_000); // a call in flight: not cold, however long it takes
      expect(subject.newCalls).toBe(Number.POSITIVE_INFINITY);
      subject.released(late); // an answer too (a 429): heard from
      advance(4_999);
      expect(subject.newCalls).toBe(Number.POSITIVE_INFINITY);
      advance(1);
      expect(subject.newCalls).toBe(1);
      const [trial] = send(subject);
      expect(subject.tryAcquire()).toEqual({ ok: false, retryInMs: null });
      subject.failed(trial, 'ambiguous');
      expect(subject.state).toBe('open');
    });

    it('an idempotent provider (no holdAfterAmbiguous) is never cold', () => {
      const { subject, advance } = breaker({ holdAfterAmbiguous: false }, { cold: true });
      expect(subject.newCalls).toBe(Number.POSITIVE_INFINITY);
      const round = send(subject, 8);
      expect(subject.holding).toBe(false);
      for (const call of round) subject.succeeded(call);
      advance(60_000);
      expect(send(subject, 8)).toHaveLength(8);
    });
  });
});
