import {
  CircuitBreaker,
  type BreakerSettings,
  type BreakerTransition,
} from '../../../../src/billing/engine/provider/circuit-breaker';

const SETTINGS: BreakerSettings = {
  consecutiveFailures: 3,
  failureRatio: 0.5,
  window: 10,
  openMs: 1_000,
  maxOpenMs: 3_000,
};

function breaker(settings: Partial<BreakerSettings> = {}) {
  let now = 10_000;
  const transitions: BreakerTransition[] = [];
  const subject = new CircuitBreaker(
    { ...SETTINGS, ...settings },
    () => now,
    (transition) => transitions.push(transition),
  );
  return {
    subject,
    transitions,
    advance: (ms: number) => (now += ms),
    now: () => now,
  };
}

function fail(subject: CircuitBreaker, times: number): void {
  for (let i = 0; i < times; i++) subject.failed(false);
}

describe('CircuitBreaker', () => {
  it('stays closed through fewer failures in a row than the threshold', () => {
    const { subject, transitions } = breaker();
    fail(subject, 2);
    subject.succeeded(false);
    fail(subject, 2);
    expect(subject.state).toBe('closed');
    expect(subject.tryAcquire()).toEqual({ ok: true, probe: false });
    expect(transitions).toEqual([]);
  });

  it('opens on consecutive failures, and sends nothing until openMs has passed', () => {
    const { subject, transitions, advance } = breaker();
    fail(subject, 3);
    expect(subject.state).toBe('open');
    expect(subject.unavailableSince).toBe(10_000);
    expect(subject.tryAcquire()).toEqual({ ok: false, retryInMs: 1_000 });
    advance(999);
    expect(subject.tryAcquire()).toEqual({ ok: false, retryInMs: 1 });
    expect(transitions).toEqual([
      { from: 'closed', to: 'open', at: 10_000, unavailableSince: 10_000 },
    ]);
  });

  it('opens on the failure ratio over a full window, not before the window is full', () => {
    const { subject } = breaker({ consecutiveFailures: 100 });
    for (let i = 0; i < 4; i++) {
      subject.failed(false);
      subject.succeeded(false);
    }
    subject.failed(false);
    expect(subject.state).toBe('closed'); // 5 of 9: the window is not full yet
    subject.succeeded(false);
    expect(subject.state).toBe('closed'); // 5 of 10 but the last call succeeded
    subject.failed(false);
    expect(subject.state).toBe('open'); // 6 of the last 10
  });

  it('half-open lets exactly one probe through; its success closes the breaker', () => {
    const { subject, transitions, advance } = breaker();
    fail(subject, 3);
    advance(1_000);
    expect(subject.tryAcquire()).toEqual({ ok: true, probe: true });
    expect(subject.state).toBe('half-open');
    expect(subject.tryAcquire()).toEqual({ ok: false, retryInMs: null });
    expect(subject.tryAcquire()).toEqual({ ok: false, retryInMs: null });
    advance(50);
    subject.succeeded(true);
    expect(subject.state).toBe('closed');
    expect(subject.unavailableSince).toBeNull();
    expect(subject.tryAcquire()).toEqual({ ok: true, probe: false });
    expect(transitions.map(({ from, to, at }) => `${from}->${to}@${at}`)).toEqual([
      'closed->open@10000',
      'open->half-open@11000',
      'half-open->closed@11050',
    ]);
  });

  it('a failed probe opens it again for twice as long, up to maxOpenMs, since the first failure', () => {
    const { subject, advance } = breaker();
    fail(subject, 3);
    const waits: (number | null)[] = [];
    for (let round = 0; round < 4; round++) {
      const blocked = subject.tryAcquire();
      waits.push(blocked.ok ? -1 : blocked.retryInMs);
      advance(blocked.ok ? 0 : (blocked.retryInMs ?? 0));
      expect(subject.tryAcquire()).toEqual({ ok: true, probe: true });
      subject.failed(true);
      expect(subject.state).toBe('open');
    }
    waits.push((subject.tryAcquire() as { retryInMs: number }).retryInMs);
    expect(waits).toEqual([1_000, 2_000, 3_000, 3_000, 3_000]);
    expect(subject.unavailableSince).toBe(10_000);
    // Success after all that: the next opening starts from openMs again.
    advance(3_000);
    expect(subject.tryAcquire()).toEqual({ ok: true, probe: true });
    subject.succeeded(true);
    fail(subject, 3);
    expect(subject.tryAcquire()).toEqual({ ok: false, retryInMs: 1_000 });
  });

  it('ignores the answers of calls sent before it opened, and a released probe frees the slot', () => {
    const { subject, advance } = breaker();
    fail(subject, 3);
    fail(subject, 10);
    subject.succeeded(false);
    expect(subject.state).toBe('open');
    advance(1_000);
    expect(subject.tryAcquire()).toEqual({ ok: true, probe: true });
    subject.released(true); // e.g. the probe was answered 429: nothing learnt
    expect(subject.state).toBe('half-open');
    expect(subject.tryAcquire()).toEqual({ ok: true, probe: true });
  });
});
