import autocannon from 'autocannon';
import { distribution, type Distribution } from '../scale/percentiles';
import { REQUEST_TIMEOUT_S } from '../scale/rest-latency';

/** Connections autocannon spreads the rate over: enough that a slow answer does not stall it. */
const CONNECTIONS = 10;

export interface CreateLatency {
  readonly seconds: number;
  readonly requestedRate: number;
  readonly achievedRate: number;
  readonly created: number;
  /** Answers other than 201: every request names a new invoice, so each is a failure. */
  readonly notCreated: number;
  readonly errors: number;
  readonly timeouts: number;
  /** Of every 201, each response's own time (no coordinated-omission back-fill), ms. */
  readonly latencyMs: Distribution | null;
}

/**
 * `POST /rest/v1/invoices` at `rate` requests/s for `seconds`, each a new invoice
 * (`<prefix>-<n>`) for one of `customers`, in EUR: what a client creating invoices one
 * at a time sees. With `idempotencyKeys`, each request carries its own Idempotency-Key
 * (as a careful client's would). The latency is autocannon's per-response time, as in
 * rest-latency.ts.
 */
export function createInvoicesAtRate(
  url: string,
  headers: Record<string, string>,
  options: {
    rate: number;
    seconds: number;
    prefix: string;
    customers: readonly string[];
    idempotencyKeys: boolean;
  },
): Promise<CreateLatency> {
  const latencies: number[] = [];
  let next = 0;
  let notCreated = 0;
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url: `${url}/rest/v1/invoices`,
        method: 'POST',
        headers: { ...headers, 'content-type': 'application/json' },
        connections: CONNECTIONS,
        overallRate: options.rate,
        duration: options.seconds,
        ignoreCoordinatedOmission: true,
        timeout: REQUEST_TIMEOUT_S,
        requests: [
          {
            setupRequest: (request) => {
              const n = next++;
              const customerId = options.customers[n % options.customers.length];
              const body = {
                id: `${options.prefix}-${n}`,
                customerId,
                amount: { value: `${(n % 900) + 1}.50`, currency: 'EUR' },
              };
              const keyed = options.idempotencyKeys
                ? { headers: { ...request.headers, 'idempotency-key': `${options.prefix}-${n}` } }
                : {};
              return { ...request, ...keyed, body: JSON.stringify(body) };
            },
          },
        ],
      },
      (error: unknown, result: autocannon.Result) => {
        if (error) return reject(error instanceof Error ? error : new Error(String(error)));
        const answered = result['2xx'] + result.non2xx;
        resolve({
          seconds: result.duration,
          requestedRate: options.rate,
          achievedRate: answered / result.duration,
          created: latencies.length,
          notCreated,
          errors: result.errors,
          timeouts: result.timeouts,
          latencyMs: distribution(latencies),
        });
      },
    );
    instance.on('response', (_client, statusCode, _bytes, responseTime) => {
      if (statusCode === 201) latencies.push(responseTime);
      else notCreated += 1;
    });
  });
}

export interface BatchTiming {
  readonly size: number;
  /** Each batch's time from sending to the whole answer read, ms, in order. */
  readonly millis: readonly number[];
  readonly latencyMs: Distribution | null;
}

/**
 * `POST /rest/v1/invoices/batch` of `size` new invoices, `count` times one after another;
 * each must answer 201 (anything else throws, with the answer).
 */
export async function createBatches(
  url: string,
  headers: Record<string, string>,
  options: { size: number; count: number; prefix: string; customers: readonly string[] },
): Promise<BatchTiming> {
  const millis: number[] = [];
  for (let batch = 0; batch < options.count; batch++) {
    const invoices = Array.from({ length: options.size }, (_, i) => ({
      id: `${options.prefix}-${batch}-${i}`,
      customerId: options.customers[i % options.customers.length],
      amount: { value: `${(i % 900) + 1}.50`, currency: 'EUR' },
    }));
    const body = JSON.stringify({ invoices });
    const started = performance.now();
    const response = await fetch(`${url}/rest/v1/invoices/batch`, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json' },
      body,
    });
    const text = await response.text();
    millis.push(performance.now() - started);
    if (response.status !== 201) {
      throw new Error(`batch ${batch}: ${response.status} ${text.slice(0, 500)}`);
    }
  }
  return { size: options.size, millis, latencyMs: distribution(millis) };
}
