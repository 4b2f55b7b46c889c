/** The read models did not reach a position in time: the caller may retry or read stale. */
export class ProjectionWaitTimeoutError extends Error {
  override readonly name = 'ProjectionWaitTimeoutError';

  constructor(
    readonly position: string,
    readonly behind: readonly string[],
    readonly timeoutMs: number,
  ) {
    super(
      `projections ${behind.join(', ')} did not reach position ${position} within ${timeoutMs} ms`,
    );
  }
}
