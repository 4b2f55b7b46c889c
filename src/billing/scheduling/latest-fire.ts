import { CronTime } from 'cron';

/**
 * The latest time `cron` fired (in `timeZone`) in the interval (after, atOrBefore], or
 * null. Pure: computed from the expression, no timers. Searches backwards from
 * `atOrBefore` in growing windows, so a frequent cron and an old install stay cheap.
 */
export function latestFire(
  cron: string,
  timeZone: string,
  after: Date,
  atOrBefore: Date,
): Date | null {
  const time = new CronTime(cron, timeZone);
  const next = (from: number): number => time.getNextDateFrom(new Date(from), timeZone).toMillis();
  const end = atOrBefore.getTime();
  for (let span = 60_000; ; span *= 8) {
    const from = Math.max(after.getTime(), end - span);
    let last: number | null = null;
    for (let fire = next(from); fire <= end; fire = next(fire)) last = fire;
    if (last !== null) return new Date(last);
    if (from <= after.getTime()) return null;
  }
}
