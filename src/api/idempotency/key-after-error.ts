import type { ApiError } from '../errors/to-api-error';

/**
 * What becomes of a key whose request ended in an error (after the one error mapping):
 * - `store`: a definite answer (a domain refusal such as 404 INVOICE_NOT_FOUND or 409
 *   NOT_FAILED) is kept and replayed, like a success;
 * - `release`: a 5xx, 429 or a lost write race (409 WRONG_EXPECTED_VERSION) may have
 *   done nothing or part of the work, and retrying is the cure: the key stays bound to
 *   this request but is free to run again at once, and the re-run finds any work done;
 * - `forget`: a 400 VALIDATION_FAILED came from the route's validation, before its
 *   handler ran: nothing was done, the key is deleted (Stripe keeps nothing either).
 */
export function keyAfterError({ statusCode, code }: ApiError): 'store' | 'release' | 'forget' {
  if (statusCode >= 500 || statusCode === 429) return 'release';
  if (code === 'WRONG_EXPECTED_VERSION') return 'release';
  if (code === 'VALIDATION_FAILED') return 'forget';
  return 'store';
}
