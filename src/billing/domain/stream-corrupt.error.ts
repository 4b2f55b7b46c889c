/** The streams whose events the domain folds. */
export type DomainStreamKind = 'invoice' | 'billing-run' | 'customer';

/**
 * A stream holds an event that cannot follow the ones before it (for example an outcome
 * for an attempt that was never made, or a second registration of a customer). decide
 * never produces one, so the stream was written by something else: stop and look rather
 * than guess what it meant.
 */
export class StreamCorruptError extends Error {
  override readonly name = 'StreamCorruptError';
  readonly code = 'STREAM_CORRUPT';

  constructor(
    readonly streamKind: DomainStreamKind,
    readonly eventType: string,
    detail: string,
  ) {
    super(`${streamKind} stream is corrupt at ${eventType}: ${detail}`);
  }
}
