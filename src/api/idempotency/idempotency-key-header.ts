import type { IncomingMessage } from 'node:http';
import { ValidationError } from '../errors/validation.error';

export const IDEMPOTENCY_KEY_HEADER = 'Idempotency-Key';
export const MAX_IDEMPOTENCY_KEY_LENGTH = 255;

/** Printable ASCII, space included (HTTP trims it at either end). */
const KEY = /^[\x20-\x7e]+$/;

/**
 * The request's Idempotency-Key, or null when it has none; a key that is empty, too
 * long, not printable ASCII or sent twice is a 400 naming the header.
 */
export function idempotencyKeyOf(request: IncomingMessage): string | null {
  const values = request.headersDistinct[IDEMPOTENCY_KEY_HEADER.toLowerCase()];
  if (values === undefined) return null;
  if (values.length !== 1) {
    throw new ValidationError(`Send one ${IDEMPOTENCY_KEY_HEADER} header, not ${values.length}`);
  }
  const [key] = values;
  if (key.length === 0 || key.length > MAX_IDEMPOTENCY_KEY_LENGTH || !KEY.test(key)) {
    throw new ValidationError(
      `${IDEMPOTENCY_KEY_HEADER} must be 1 to ${MAX_IDEMPOTENCY_KEY_LENGTH} printable ASCII characters`,
    );
  }
  return key;
}
