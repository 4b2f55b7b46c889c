import { Injectable } from '@nestjs/common';
import { comparePositions, type Position } from '../../event-store/position';

interface Sample {
  /** performance.now() when the position was seen. */
  readonly at: number;
  readonly position: Position;
}

/** Samples closer together than this are merged into one. */
const RESOLUTION_MS = 10;
/** How far back the samples reach: far more than any pacing bound. */
const HISTORY_MS = 60_000;

/**
 * The latest global position this instance wrote or read: what projections must reach.
 * It also remembers when it saw each position (coarsely), so billing can ask what it had
 * written a while ago and pace itself to the read models (BillingEngine).
 */
@Injectable()
export class PositionTracker {
  private latest: Position | null = null;
  private readonly samples: Sample[] = [];

  get current(): Position | null {
    return this.latest;
  }

  saw(position: Position | null | undefined, at = performance.now()): void {
    if (!position) return;
    if (this.latest !== null && comparePositions(position, this.latest) <= 0) return;
    this.latest = position;
    const last = this.samples[this.samples.length - 1];
    if (last && at - last.at < RESOLUTION_MS)
      this.samples[this.samples.length - 1] = { at: last.at, position };
    else this.samples.push({ at, position });
    // Keep the newest sample older than the history, the one a long look back finds.
    while (this.samples.length > 1 && this.samples[1].at <= at - HISTORY_MS) this.samples.shift();
  }

  /** The latest position seen at least `ageMs` ago, or null. */
  seenBefore(ageMs: number, now = performance.now()): Position | null {
    for (let index = this.samples.length - 1; index >= 0; index--) {
      if (this.samples[index].at <= now - ageMs) return this.samples[index].position;
    }
    return null;
  }
}
