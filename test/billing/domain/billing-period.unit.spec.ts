import {
  billingDateOf,
  isBillingPeriod,
  isCalendarDate,
  isIsoInstant,
  periodOf,
  previousPeriod,
} from '../../../src/billing/domain';

describe('periodOf', () => {
  it('is the UTC month by default', () => {
    expect(periodOf('2025-05-31T23:30:00.000Z')).toBe('2025-05');
    expect(periodOf(new Date('2025-01-01T00:00:00.000Z'))).toBe('2025-01');
  });

  it('uses the billing time zone given as data', () => {
    // Already June in Copenhagen, still May in New York.
    expect(periodOf('2025-05-31T23:30:00.000Z', 'Europe/Copenhagen')).toBe('2025-06');
    expect(periodOf('2025-06-01T02:00:00.000Z', 'America/New_York')).toBe('2025-05');
  });

  it('throws on an unknown time zone or an invalid instant', () => {
    expect(() => periodOf('2025-05-01T00:00:00Z', 'Mars/Olympus')).toThrow(RangeError);
    expect(() => periodOf('not a date')).toThrow('not a valid instant: "not a date"');
  });
});

describe('billing periods', () => {
  it.each(['2025-01', '2025-12', '0999-06', '2025-05-01', '2024-02-29', '0050-01-31'])(
    'accepts %s',
    (period) => {
      expect(isBillingPeriod(period)).toBe(true);
    },
  );

  it.each(['2025-13', '2025-00', '2025-5', '25-05', '2025-02-29', '2025-05-1', 202505])(
    'refuses %s',
    (period) => {
      expect(isBillingPeriod(period)).toBe(false);
    },
  );

  it('steps back a month, across a year', () => {
    expect(previousPeriod('2025-05')).toBe('2025-04');
    expect(previousPeriod('2025-01')).toBe('2024-12');
    expect(() => previousPeriod('2025-13')).toThrow(RangeError);
  });
});

describe('billing dates', () => {
  it("is the instant's calendar date in the billing time zone", () => {
    expect(billingDateOf('2025-05-31T23:30:00.000Z')).toBe('2025-05-31');
    expect(billingDateOf('2025-05-31T23:30:00.000Z', 'Europe/Copenhagen')).toBe('2025-06-01');
    expect(billingDateOf('2025-06-01T02:00:00.000Z', 'America/New_York')).toBe('2025-05-31');
    expect(periodOf('2025-06-01T02:00:00.000Z', 'UTC', 'day')).toBe('2025-06-01');
  });

  it.each(['2024-02-29', '2025-12-31', '0001-01-01'])('%s is a calendar date', (date) => {
    expect(isCalendarDate(date)).toBe(true);
  });

  it.each(['2025-02-30', '2025-02-29', '2025-04-31', '0000-01-01', '2025-1-01', ' 2025-01-01', 1])(
    '%s is not a calendar date',
    (date) => {
      expect(isCalendarDate(date)).toBe(false);
    },
  );
});

describe('isIsoInstant', () => {
  it.each(['2025-05-01T00:00:00.000Z', '2025-05-01T02:00:00+02:00', '2025-05-01T00:00Z'])(
    'accepts %s',
    (value) => {
      expect(isIsoInstant(value)).toBe(true);
    },
  );

  it.each(['2025-05-01', '2025-05-01T00:00:00', '2025-13-01T00:00:00Z', 'now', 0])(
    'refuses %s',
    (value) => {
      expect(isIsoInstant(value)).toBe(false);
    },
  );
});
