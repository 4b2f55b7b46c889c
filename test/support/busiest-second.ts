/** Events per one-second window [t, t + 1 s) at its busiest, for any t (times in ms). */
export function busiestSecond(times: readonly number[]): number {
  const sorted = [...times].sort((a, b) => a - b);
  let start = 0;
  let most = 0;
  for (let end = 0; end < sorted.length; end++) {
    while (sorted[end] - sorted[start] >= 1_000) start++;
    most = Math.max(most, end - start + 1);
  }
  return most;
}
