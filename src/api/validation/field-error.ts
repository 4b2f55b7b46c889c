/** One thing wrong with a request body: where (a JSON path) and what. */
export interface FieldError {
  readonly field: string;
  readonly message: string;
}

export type Parsed<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly errors: readonly FieldError[] };

/** `a.b: message; c: message`: every error, each naming its field. */
export function describeFieldErrors(errors: readonly FieldError[]): string {
  return errors.map((error) => `${error.field}: ${error.message}`).join('; ');
}
