import type { CustomerErrorCode } from '../domain';

/** A customer command the domain refused; the REST layer maps the code. */
export class CustomerCommandError extends Error {
  override readonly name = 'CustomerCommandError';

  constructor(
    readonly code: CustomerErrorCode,
    message: string,
  ) {
    super(message);
  }
}
