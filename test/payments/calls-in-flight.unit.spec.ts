import { CallsInFlight } from '../../src/payments/simulated/calls-in-flight';

describe('CallsInFlight', () => {
  let nowMs: number;
  let calls: CallsInFlight;

  beforeEach(() => {
    nowMs = 1_000;
    calls = new CallsInFlight(() => nowMs);
  });

  it('counts the calls open now and the most at once', () => {
    const a = calls.start();
    const b = calls.start();
    calls.end(a);
    calls.start();
    calls.end(b);
    expect(calls.read()).toMatchObject({ now: 1, peak: 2 });
  });

  it('sums the time of ended calls and of open ones so far: the mean in flight between two readings', () => {
    const before = calls.read();
    const a = calls.start(); // at 1000
    nowMs = 1_100;
    calls.start(); // at 1100, still open at the end
    nowMs = 1_300;
    calls.end(a); // 300 ms
    nowMs = 1_400; // the open one: 300 ms so far
    const after = calls.read();
    expect(after.callMs - before.callMs).toBe(600);
    expect((after.callMs - before.callMs) / (1_400 - 1_000)).toBe(1.5);
  });
});
