/** An append request that can never succeed as written (no events, a bad revision). */
export class InvalidAppendError extends Error {
  override readonly name = 'InvalidAppendError';
  readonly code = 'INVALID_APPEND';
}
