import { TestClock } from '../../src/billing/test-clock';

const DAY_MS = 24 * 3_600_000;

describe('TestClock', () => {
  it('runs on real time until moved, then runs on from the moved instant', () => {
    const clock = new TestClock();
    const before = Date.now();
    expect(clock.now().getTime()).toBeGreaterThanOrEqual(before);
    expect(clock.aheadMs).toBe(0);

    clock.advance(3 * DAY_MS);
    expect(clock.aheadMs).toBe(3 * DAY_MS);
    expect(clock.now().getTime()).toBeGreaterThanOrEqual(before + 3 * DAY_MS);

    const target = new Date(Date.now() + 10 * DAY_MS);
    expect(clock.moveTo(target).getTime()).toBeGreaterThanOrEqual(target.getTime());
  });

  it('never moves back', () => {
    const clock = new TestClock();
    clock.advance(DAY_MS);
    expect(() => clock.advance(0)).toThrow('only moves forward');
    expect(() => clock.advance(-1)).toThrow('only moves forward');
    expect(() => clock.moveTo(new Date())).toThrow('only moves forward');
    expect(clock.aheadMs).toBe(DAY_MS);
  });
});
