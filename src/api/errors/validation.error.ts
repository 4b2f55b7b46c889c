/** A request the API refuses before it reaches a command or query: answered 400. */
export class ValidationError extends Error {
  override readonly name = 'ValidationError';
  readonly code = 'VALIDATION_FAILED';
}
