import { Injectable } from '@nestjs/common';
import { comparePositions, type Position } from '../../event-store/position';

/** The latest global position this instance wrote or read: what projections must reach. */
@Injectable()
export class PositionTracker {
  private latest: Position | null = null;

  get current(): Position | null {
    return this.latest;
  }

  saw(position: Position | null | undefined): void {
    if (!position) return;
    if (this.latest === null || comparePositions(position, this.latest) > 0) this.latest = position;
  }
}
