import { createHash } from 'node:crypto';
import { canonicalJson } from './canonical-json';

/** What makes two requests with one Idempotency-Key "the same request". */
export interface FingerprintedRequest {
  readonly method: string;
  /** The route's template (`/rest/v1/invoices/:invoiceId/requeue`), not the path. */
  readonly route: string;
  readonly params: unknown;
  readonly body: unknown;
}

/** SHA-256 (hex) of the method, route, path parameters and canonical JSON body. */
export function requestFingerprint({ method, route, params, body }: FingerprintedRequest): string {
  const canonical = canonicalJson({ method: method.toUpperCase(), route, params, body });
  return createHash('sha256').update(canonical, 'utf8').digest('hex');
}
