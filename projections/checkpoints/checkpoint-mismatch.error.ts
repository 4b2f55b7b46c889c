import { formatPosition, type Position } from '../../src/event-store/position';

/**
 * The checkpoint is not where this projector left it: another projector moved it, so
 * this one lost its lease. The batch is rolled back, never committed past it.
 */
export class CheckpointMismatchError extends Error {
  override readonly name = 'CheckpointMismatchError';

  constructor(
    readonly projection: string,
    readonly expected: Position,
    readonly actual: Position | null,
  ) {
    super(
      `projection ${projection}: checkpoint expected at ${formatPosition(expected)} but is at ` +
        `${actual ? formatPosition(actual) : 'nothing'}; another projector moved it (lease lost)`,
    );
  }
}
