import autocannon from 'autocannon';
import { distribution, type Distribution } from './percentiles';

export const REST_CONNECTIONS = 10;
/** Long enough that a slow page shows its latency rather than a timeout. */
export const REQUEST_TIMEOUT_S = 30;

export interface RestLatency {
  readonly path: string;
  readonly seconds: number;
  readonly requestedRate: number;
  /** Responses per second over the whole load. */
  readonly achievedRate: number;
  readonly responses: number;
  readonly non2xx: number;
  readonly errors: number;
  readonly timeouts: number;
  /** Of every 2xx response, exact (not histogram-binned), ms. */
  readonly latencyMs: Distribution | null;
  /** Autocannon's own histogram of the same responses, for comparison. */
  readonly autocannonLatencyMs: {
    readonly p50: number;
    readonly p90: number;
    readonly p99: number;
    readonly max: number;
  };
}

/**
 * `GET url + path` at `rate` requests/s over all connections (autocannon's overallRate),
 * for `seconds`, with `headers` (the API key). Latencies are each response's own time, from autocannon's 'response'
 * events. Autocannon's coordinated-omission correction is off: with overallRate it
 * back-fills every response longer than Math.ceil(1 / rate) = 1 ms with invented samples
 * at 1 ms spacing, which drags the percentiles down; the achieved rate shows instead
 * whether the server kept up.
 */
export function restLatency(
  url: string,
  path: string,
  rate: number,
  seconds: number,
  headers: Record<string, string>,
): Promise<RestLatency> {
  const latencies: number[] = [];
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url: url + path,
        headers,
        connections: REST_CONNECTIONS,
        overallRate: rate,
        duration: seconds,
        ignoreCoordinatedOmission: true,
        timeout: REQUEST_TIMEOUT_S,
      },
      (error: unknown, result: autocannon.Result) => {
        if (error) return reject(error instanceof Error ? error : new Error(String(error)));
        resolve({
          path,
          seconds: result.duration,
          requestedRate: rate,
          achievedRate: (result['2xx'] + result.non2xx) / result.duration,
          responses: result['2xx'] + result.non2xx,
          non2xx: result.non2xx,
          errors: result.errors,
          timeouts: result.timeouts,
          latencyMs: distribution(latencies),
          autocannonLatencyMs: {
            p50: result.latency.p50,
            p90: result.latency.p90,
            p99: result.latency.p99,
            max: result.latency.max,
          },
        });
      },
    );
    instance.on('response', (_client, statusCode, _bytes, responseTime) => {
      if (statusCode >= 200 && statusCode < 300) latencies.push(responseTime);
    });
  });
}
