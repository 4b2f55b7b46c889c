/**
 * The provider definitely refused the request for a reason the protocol does not name
 * (an HTTP 4xx other than 429): nothing was charged, and sending it again would get the
 * same answer. A person reconciles it.
 */
export class ProviderRejectedError extends Error {
  override readonly name = 'ProviderRejectedError';
  readonly code = 'PROVIDER_REJECTED';

  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}
