import { PositionTracker } from '../../../src/billing/engine/position-tracker';
import type { Position } from '../../../src/event-store/position';

const at = (prepare: number): Position => ({ commit: 1n, prepare: BigInt(prepare) });

describe('PositionTracker', () => {
  it('keeps the latest position it saw, never going back', () => {
    const positions = new PositionTracker();
    expect(positions.current).toBeNull();
    positions.saw(at(5), 0);
    positions.saw(at(3), 1);
    positions.saw(undefined);
    expect(positions.current).toEqual(at(5));
  });

  it('tells the latest position it had seen a given time ago', () => {
    const positions = new PositionTracker();
    positions.saw(at(1), 1_000);
    positions.saw(at(2), 1_100);
    positions.saw(at(3), 1_300);
    expect(positions.seenBefore(250, 1_360)).toEqual(at(2));
    expect(positions.seenBefore(250, 1_550)).toEqual(at(3));
    expect(positions.seenBefore(250, 1_200)).toBeNull();
  });

  it('merges positions seen within a few milliseconds into the earlier time (stricter, never laxer)', () => {
    const positions = new PositionTracker();
    positions.saw(at(1), 1_000);
    positions.saw(at(2), 1_004);
    expect(positions.seenBefore(100, 1_100)).toEqual(at(2));
  });

  it('forgets old samples but keeps the newest one older than its history', () => {
    const positions = new PositionTracker();
    positions.saw(at(1), 0);
    positions.saw(at(2), 1_000);
    positions.saw(at(3), 200_000);
    expect(positions.seenBefore(100_000, 200_000)).toEqual(at(2));
  });
});
