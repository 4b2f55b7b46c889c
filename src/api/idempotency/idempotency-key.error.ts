/**
 * A request its Idempotency-Key refuses (docs/design.md §2.8): the key was used with another
 * request (422), or a request with it is still running (409). The filter maps the code.
 */
export class IdempotencyKeyError extends Error {
  override readonly name = 'IdempotencyKeyError';

  constructor(
    readonly code: 'IDEMPOTENCY_KEY_REUSED' | 'IDEMPOTENCY_KEY_IN_USE',
    message: string,
  ) {
    super(message);
  }

  get statusCode(): 409 | 422 {
    return this.code === 'IDEMPOTENCY_KEY_REUSED' ? 422 : 409;
  }
}
