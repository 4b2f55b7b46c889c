/**
 * A provider's declared processing deadline, as the recovery sweep applies it to an
 * attempt (docs/design.md §2.7, docs/payments.md "Processing deadline").
 */
export interface ProcessingDeadline {
  /**
   * The provider never processes a request later than its deadline after the request
   * arrived; plus the caller's request timeout, since a request arrives, if at all,
   * before its sender gives up on it.
   */
  readonly afterArrivalMs: number;
  /**
   * How long after the claim (or re-drive) the attempt may still have been sent. The
   * engine stops sending at half the attempt timeout; the whole timeout leaves room for
   * the time an append takes and for clocks a little apart.
   */
  readonly sendingWindowMs: number;
}

/**
 * The last moment (epoch ms) the provider may process an attempt claimed or last
 * re-driven at `lastDrivenAt`: no send of it arrives after the sending window, and none
 * that arrived is processed past the deadline. A lookup's `not_found` asked after it is final.
 */
export function notFoundFinalFrom(lastDrivenAt: string, deadline: ProcessingDeadline): number {
  return Date.parse(lastDrivenAt) + deadline.sendingWindowMs + deadline.afterArrivalMs;
}

/**
 * Whether a lookup asked at `askedAt` that answered `not_found` means that nothing was
 * charged and nothing will be. Asked earlier, the request could still be processed.
 */
export function isNotFoundFinal(
  lastDrivenAt: string,
  askedAt: string,
  deadline: ProcessingDeadline,
): boolean {
  // Strictly after: a request processed in the very millisecond might not show yet.
  return Date.parse(askedAt) > notFoundFinalFrom(lastDrivenAt, deadline);
}

/** A problem with the deadline's figures, or null: both finite, neither negative. */
export function processingDeadlineProblem(deadline: ProcessingDeadline): string | null {
  const { afterArrivalMs, sendingWindowMs } = deadline;
  const bad = (value: number) => !Number.isFinite(value) || value < 0;
  if (bad(afterArrivalMs) || bad(sendingWindowMs)) {
    return `the processing deadline must be finite and not negative, got ${afterArrivalMs} ms after arrival, ${sendingWindowMs} ms sending window`;
  }
  return null;
}
