/**
 * A billing period is a calendar month, "YYYY-MM", or a calendar day, "YYYY-MM-DD", for
 * a schedule that bills more often than monthly. Which period an instant belongs to
 * depends on the time zone the business bills in, so the zone is an argument (data),
 * never the machine's local zone: two instances in different zones agree on the period.
 */
const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;
const DAY = /^(\d{4})-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;

/** How long a scheduled run's period is: the month, or the day its cron fires on. */
export type PeriodLength = 'month' | 'day';

export function isBillingPeriod(value: unknown): value is string {
  return typeof value === 'string' && (MONTH.test(value) || isCalendarDate(value));
}

/** A real calendar date "YYYY-MM-DD" (not 2026-02-30). */
export function isCalendarDate(value: unknown): value is string {
  const match = typeof value === 'string' ? DAY.exec(value) : null;
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  return year >= 1 && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/** The period "YYYY-MM" (or, by the day, "YYYY-MM-DD") of an instant in an IANA time zone. */
export function periodOf(
  instant: Date | string,
  timeZone = 'UTC',
  length: PeriodLength = 'month',
): string {
  const date = typeof instant === 'string' ? new Date(instant) : instant;
  if (Number.isNaN(date.getTime())) {
    throw new RangeError(`not a valid instant: ${JSON.stringify(instant)}`);
  }
  // Throws RangeError for an unknown time zone: a configuration mistake must be loud.
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).formatToParts(date);
  const part = (type: Intl.DateTimeFormatPartTypes) =>
    parts.find((found) => found.type === type)?.value ?? '';
  const month = `${part('year').padStart(4, '0')}-${part('month')}`;
  return length === 'month' ? month : `${month}-${part('day')}`;
}

/** The calendar date "YYYY-MM-DD" of an instant in an IANA time zone. */
export function billingDateOf(instant: Date | string, timeZone = 'UTC'): string {
  return periodOf(instant, timeZone, 'day');
}

/** The month before a period, for catching up a run that was missed. */
export function previousPeriod(period: string): string {
  const match = MONTH.exec(period);
  if (!match) throw new RangeError(`not a billing period (YYYY-MM): ${JSON.stringify(period)}`);
  const year = Number(match[1]);
  const month = Number(match[2]);
  return month === 1
    ? `${pad4(year - 1)}-12`
    : `${pad4(year)}-${String(month - 1).padStart(2, '0')}`;
}

function pad4(year: number): string {
  return String(year).padStart(4, '0');
}
