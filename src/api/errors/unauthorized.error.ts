/** A mutating request without the right bearer token: answered 401. */
export class UnauthorizedError extends Error {
  override readonly name = 'UnauthorizedError';
  readonly code = 'UNAUTHORIZED';
}
