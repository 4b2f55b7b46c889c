import { CronTime } from 'cron';
import { periodOf, type PeriodLength } from '../domain';

/** Where the fires are counted from: the same instant everywhere, so instances agree. */
const FROM = new Date('2001-01-01T00:00:00.000Z');
/** Two years of a monthly cron: a month with two fires shows up well before. */
const FIRES = 25;

/**
 * How long the period of a scheduled run of `cron` is: a month when the cron fires at
 * most once in any calendar month (the monthly default), else a day. A daily cron then
 * starts one run per day (stream `billing-run-YYYY-MM-DD`, one `no_stream` winner across
 * instances); a cron firing more often than daily shares its day's run. Pure: computed
 * from the expression, no timers.
 */
export function periodLengthOf(cron: string, timeZone: string): PeriodLength {
  const time = new CronTime(cron, timeZone);
  const months = new Set<string>();
  let from = FROM;
  for (let fire = 0; fire < FIRES; fire++) {
    from = time.getNextDateFrom(from, timeZone).toJSDate();
    const month = periodOf(from, timeZone);
    if (months.has(month)) return 'day';
    months.add(month);
  }
  return 'month';
}
