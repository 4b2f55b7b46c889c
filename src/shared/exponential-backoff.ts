/** A delay for the n-th retry (from 1): `baseMs`, doubling each retry, at most `maxMs`. */
export function exponentialBackoff(baseMs: number, maxMs: number): (retry: number) => number {
  return (retry) => Math.min(maxMs, baseMs * 2 ** Math.max(0, retry - 1));
}
