import { describeFieldErrors, type FieldError } from '../validation/field-error';

/**
 * A request the API refuses before it reaches a command or query: answered 400, with
 * each bad field (a body's JSON path or a query parameter) when the refusal names fields.
 */
export class ValidationError extends Error {
  override readonly name = 'ValidationError';
  readonly code = 'VALIDATION_FAILED';

  constructor(
    message: string,
    readonly fields: readonly FieldError[] = [],
  ) {
    super(message);
  }

  /** `a.b: message; c: message`, with the fields kept for the answer's `errors`. */
  static ofFields(fields: readonly FieldError[]): ValidationError {
    return new ValidationError(describeFieldErrors(fields), fields);
  }
}
