/**
 * A billing period is a calendar month, "YYYY-MM". Which month an instant belongs to
 * depends on the time zone the business bills in, so the zone is an argument (data),
 * never the machine's local zone: two instances in different zones agree on the period.
 */
const PERIOD = /^(\d{4})-(0[1-9]|1[0-2])$/;

export function isBillingPeriod(value: unknown): value is string {
  return typeof value === 'string' && PERIOD.test(value);
}

/** The period "YYYY-MM" of an instant in an IANA time zone (UTC by default). */
export function periodOf(instant: Date | string, timeZone = 'UTC'): string {
  const date = typeof instant === 'string' ? new Date(instant) : instant;
  if (Number.isNaN(date.getTime())) {
    throw new RangeError(`not a valid instant: ${JSON.stringify(instant)}`);
  }
  // Throws RangeError for an unknown time zone: a configuration mistake must be loud.
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
  }).formatToParts(date);
  const year = parts.find((part) => part.type === 'year')?.value ?? '';
  const month = parts.find((part) => part.type === 'month')?.value ?? '';
  return `${year.padStart(4, '0')}-${month}`;
}

/** The month before a period, for catching up a run that was missed. */
export function previousPeriod(period: string): string {
  const match = PERIOD.exec(period);
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
