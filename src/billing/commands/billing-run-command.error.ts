import type { BillingRunErrorCode } from '../domain';

/**
 * A billing-run command the domain refused. Only INVALID_COMMAND (a malformed period)
 * reaches a caller of StartBillingRunCommand: a run that already started is a normal
 * `started: false` result, not an error. Map INVALID_COMMAND to 400, the rest to 409.
 */
export class BillingRunCommandError extends Error {
  override readonly name = 'BillingRunCommandError';

  constructor(
    readonly code: BillingRunErrorCode,
    message: string,
  ) {
    super(message);
  }
}
