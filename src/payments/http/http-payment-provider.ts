import { CurrencyMismatchError } from '../../payment-provider/errors/currency-mismatch.error';
import { CustomerNotFoundError } from '../../payment-provider/errors/customer-not-found.error';
import { NetworkError } from '../../payment-provider/errors/network.error';
import { ProviderRejectedError } from '../../payment-provider/errors/provider-rejected.error';
import type {
  ChargeLookupResult,
  ChargeRequest,
  PaymentProvider,
} from '../../payment-provider/payment-provider.port';
import type { HttpProviderConfig } from '../../config/http-provider-config';
import {
  CHARGE_STATUS,
  CHARGES_PATH,
  chargePath,
  CLIENT_HEADER,
  IDEMPOTENCY_KEY_HEADER,
  LOOKUP_RESULTS,
  type ChargeRequestBody,
} from './http-provider-protocol';
import { parseRetryAfter } from './retry-after';

// Failures that happen before a byte of the request is sent: the provider cannot have
// processed it. Anything else after the connection opened (reset, timeout) may have.
const NEVER_SENT = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'UND_ERR_CONNECT_TIMEOUT',
]);

/**
 * The payment provider over HTTP (the protocol is in http-provider-protocol.ts). Every
 * attempt carries its idempotency key. What the answer means is decided here, once:
 * a definite result, a refusal (thrown as the port's errors), a request that never
 * left (NetworkError, safe to retry) or one that may have been processed (NetworkError
 * with mayHaveReachedProvider: the engine never guesses "not charged").
 */
export class HttpPaymentProvider implements PaymentProvider {
  readonly idempotent: boolean;
  readonly lookup?: (idempotencyKey: string) => Promise<ChargeLookupResult>;
  readonly notFoundFinalAfterMs?: number;
  private readonly base: URL;

  constructor(private readonly config: HttpProviderConfig) {
    this.idempotent = config.idempotent;
    this.base = new URL(config.url.endsWith('/') ? config.url : `${config.url}/`);
    if (config.lookup) this.lookup = (key) => this.lookupKey(key);
    const deadline = config.processingDeadlineMs ?? null;
    if (config.lookup && deadline !== null) {
      this.notFoundFinalAfterMs = deadline + config.timeoutMs;
    }
  }

  async charge(request: ChargeRequest): Promise<boolean> {
    const { invoiceId, customerId, amount, idempotencyKey } = request;
    const body: ChargeRequestBody = { invoiceId, customerId, amount };
    const what = `the charge of invoice ${invoiceId} (key ${idempotencyKey})`;
    const { status, text, retryAfter } = await this.call(what, CHARGES_PATH, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        [IDEMPOTENCY_KEY_HEADER]: idempotencyKey,
        [CLIENT_HEADER]: this.config.clientId,
      },
      body: JSON.stringify(body),
    });
    switch (status) {
      case CHARGE_STATUS.paid:
        if (resultOf(text) === 'paid') return true;
        throw new NetworkError(true, `${what}: 200 with an unreadable body: ${clip(text)}`);
      case CHARGE_STATUS.declined:
        return false;
      case CHARGE_STATUS.customerNotFound:
        if (codeOf(text) === 'CUSTOMER_NOT_FOUND') {
          throw new CustomerNotFoundError(customerId, invoiceId);
        }
        break;
      case CHARGE_STATUS.currencyMismatch:
        if (codeOf(text) === 'CURRENCY_MISMATCH') {
          throw new CurrencyMismatchError(invoiceId, customerId, amount.currency);
        }
        break;
      case CHARGE_STATUS.notProcessed:
        throw new NetworkError(false, `${what}: the provider is unavailable (503, not processed)`, {
          retryAfterMs: parseRetryAfter(retryAfter, Date.now()),
        });
      case CHARGE_STATUS.tooManyRequests:
        throw new NetworkError(false, `${what}: the provider asks to slow down (429)`, {
          throttled: true,
          retryAfterMs: parseRetryAfter(retryAfter, Date.now()),
        });
      case CHARGE_STATUS.requestTimeout:
        throw new NetworkError(false, `${what}: the provider timed out reading it (408)`);
    }
    if (status >= 500) {
      throw new NetworkError(true, `${what}: the provider failed (${status}): ${clip(text)}`);
    }
    // A 4xx the protocol does not name is a definite refusal: a provider does not charge
    // a request it rejects, and would reject it again.
    throw new ProviderRejectedError(
      status,
      `${what}: the provider rejected it (${status}): ${clip(text)}`,
    );
  }

  private async lookupKey(idempotencyKey: string): Promise<ChargeLookupResult> {
    const what = `the lookup of key ${idempotencyKey}`;
    const { status, text } = await this.call(what, chargePath(idempotencyKey), {
      method: 'GET',
      headers: { [CLIENT_HEADER]: this.config.clientId },
    });
    const result = status === 200 ? resultOf(text) : undefined;
    const known: readonly unknown[] = LOOKUP_RESULTS;
    if (!known.includes(result)) {
      throw new NetworkError(false, `${what}: unexpected answer ${status}: ${clip(text)}`);
    }
    return result as ChargeLookupResult;
  }

  /** One request with the timeout; a transport failure becomes a NetworkError. */
  private async call(
    what: string,
    path: string,
    init: RequestInit,
  ): Promise<{ status: number; text: string; retryAfter: string | null }> {
    const url = new URL(path.replace(/^\//, ''), this.base);
    let response: Response;
    try {
      response = await fetch(url, { ...init, signal: AbortSignal.timeout(this.config.timeoutMs) });
    } catch (error) {
      throw transportError(what, error, this.config.timeoutMs);
    }
    try {
      const retryAfter = response.headers.get('retry-after');
      return { status: response.status, text: await response.text(), retryAfter };
    } catch (error) {
      // The answer started and broke off: whatever it said, it may have been processed.
      throw transportError(what, error, this.config.timeoutMs, true);
    }
  }
}

function transportError(
  what: string,
  error: unknown,
  timeoutMs: number,
  answered = false,
): NetworkError {
  if ((error as Error | undefined)?.name === 'TimeoutError') {
    return new NetworkError(true, `${what}: no answer within ${timeoutMs} ms`, { cause: error });
  }
  const codes = errorCodes(error);
  const neverSent = !answered && codes.length > 0 && codes.every((code) => NEVER_SENT.has(code));
  const detail = codes.length > 0 ? codes.join(', ') : (error as Error).message;
  return neverSent
    ? new NetworkError(false, `${what}: could not connect (${detail})`, { cause: error })
    : new NetworkError(true, `${what}: the connection failed (${detail})`, { cause: error });
}

/** The system error codes in an error's cause chain (fetch wraps them, sometimes several). */
export function errorCodes(error: unknown, depth = 0): string[] {
  if (typeof error !== 'object' || error === null || depth > 5) return [];
  const { code, cause, errors } = error as { code?: unknown; cause?: unknown; errors?: unknown };
  const nested = [
    ...errorCodes(cause, depth + 1),
    ...(Array.isArray(errors) ? errors.flatMap((inner) => errorCodes(inner, depth + 1)) : []),
  ];
  if (nested.length > 0) return nested;
  return typeof code === 'string' ? [code] : [];
}

function parse(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

function resultOf(text: string): unknown {
  return parse(text)?.result;
}

function codeOf(text: string): unknown {
  return parse(text)?.code;
}

function clip(text: string): string {
  return text.length > 200 ? `${text.slice(0, 200)}…` : text || '(empty)';
}
