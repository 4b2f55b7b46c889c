/**
 * A uniform number in [0, 1) derived from (seed, key, stream) alone: the same seed gives
 * every idempotency key the same draws whatever the call order or concurrency. `stream`
 * separates independent draws for one key (outcome, jitter, redeliveries).
 *
 * cyrb53 (a public-domain 53-bit string hash) with the seed and stream folded into
 * its starting state; good enough spread for simulated rates, and allocation-free.
 */
export function keyedUniform(seed: number, key: string, stream: number): number {
  const salt = (seed ^ Math.imul(stream + 1, 0x9e3779b9)) >>> 0;
  let h1 = 0xdeadbeef ^ salt;
  let h2 = 0x41c6ce57 ^ salt;
  for (let i = 0; i < key.length; i++) {
    const ch = key.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507);
  h1 ^= Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507);
  h2 ^= Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  const hash53 = 4294967296 * (0x1fffff & h2) + (h1 >>> 0);
  return hash53 / 2 ** 53;
}
