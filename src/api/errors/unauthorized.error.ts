/** A /rest/v1 request without a known API key: answered 401. */
export class UnauthorizedError extends Error {
  override readonly name = 'UnauthorizedError';
  readonly code = 'UNAUTHORIZED';
}
