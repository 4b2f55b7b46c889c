import { findMissedRun } from '../../../src/billing/scheduling/missed-run';
import { latestFire } from '../../../src/billing/scheduling/latest-fire';
import { periodLengthOf } from '../../../src/billing/scheduling/period-length';

const MONTHLY = '0 0 1 * *';

describe('latestFire', () => {
  it('finds the latest fire in (after, atOrBefore], in the time zone', () => {
    const fire = latestFire(
      MONTHLY,
      'Europe/Copenhagen',
      new Date('2025-01-01T00:00:00Z'),
      new Date('2025-05-20T12:00:00Z'),
    );
    // Midnight on 1 May in Copenhagen (UTC+2 in summer).
    expect(fire?.toISOString()).toBe('2025-04-30T22:00:00.000Z');
  });

  it('is null when nothing fired in the interval, and excludes `after` itself', () => {
    const may1 = new Date('2025-05-01T00:00:00Z');
    expect(latestFire(MONTHLY, 'UTC', may1, new Date('2025-05-31T23:59:59Z'))).toBeNull();
    expect(latestFire(MONTHLY, 'UTC', new Date('2025-04-30T23:59:59Z'), may1)).toEqual(may1);
  });

  it('stays cheap for a frequent cron over a long time', () => {
    const fire = latestFire(
      '*/5 * * * * *',
      'UTC',
      new Date('2020-01-01T00:00:00Z'),
      new Date('2025-05-20T12:00:03Z'),
    );
    expect(fire?.toISOString()).toBe('2025-05-20T12:00:00.000Z');
  });
});

describe('findMissedRun', () => {
  const base = { cron: MONTHLY, timeZone: 'UTC' };

  it('a fresh install does not bill at its first start', () => {
    const now = new Date('2025-05-20T12:00:00Z');
    expect(findMissedRun({ ...base, installedAt: now, now })).toBeNull();
  });

  it('no fire time since the install: nothing was missed', () => {
    expect(
      findMissedRun({
        ...base,
        installedAt: new Date('2025-05-02T00:00:00Z'),
        now: new Date('2025-05-20T00:00:00Z'),
      }),
    ).toBeNull();
  });

  it('a fire time after the install: that period is due', () => {
    expect(
      findMissedRun({
        ...base,
        installedAt: new Date('2025-04-15T00:00:00Z'),
        now: new Date('2025-05-20T00:00:00Z'),
      }),
    ).toEqual({ period: '2025-05', scheduledAt: new Date('2025-05-01T00:00:00Z') });
  });

  it('down for months: only the latest period is caught up', () => {
    expect(
      findMissedRun({
        ...base,
        installedAt: new Date('2024-12-15T00:00:00Z'),
        now: new Date('2025-05-02T00:00:00Z'),
      })?.period,
    ).toBe('2025-05');
  });

  it('the period is the one of the fire time in the billing time zone', () => {
    const missed = findMissedRun({
      cron: MONTHLY,
      timeZone: 'America/New_York',
      installedAt: new Date('2025-04-15T00:00:00Z'),
      now: new Date('2025-05-01T06:00:00Z'),
    });
    // Midnight 1 May in New York is 04:00 UTC: May, although UTC was already May too.
    expect(missed).toEqual({ period: '2025-05', scheduledAt: new Date('2025-05-01T04:00:00Z') });
    const before = findMissedRun({
      cron: MONTHLY,
      timeZone: 'America/New_York',
      installedAt: new Date('2025-04-15T00:00:00Z'),
      now: new Date('2025-05-01T03:00:00Z'),
    });
    // 03:00 UTC on 1 May is still 30 April in New York: May's run is not due yet, and
    // April's fired before the install.
    expect(before).toBeNull();
  });
});

describe('periodLengthOf', () => {
  it.each([MONTHLY, '0 3 15 * *', '0 0 1 */3 *', '0 0 1 1 *', '30 6 28 2 *'])(
    '%s fires at most once a month: a run per month',
    (cron) => {
      expect(periodLengthOf(cron, 'Europe/Copenhagen')).toBe('month');
    },
  );

  it.each(['0 0 * * *', '0 6 * * 1-5', '0 0 1,15 * *', '*/10 * * * *'])(
    '%s fires more often: a run per day',
    (cron) => {
      expect(periodLengthOf(cron, 'UTC')).toBe('day');
    },
  );
});

describe('findMissedRun for a daily cron', () => {
  const daily = { cron: '0 6 * * *', timeZone: 'Europe/Copenhagen' };

  it("catches up the latest missed day's run, named by its day", () => {
    expect(
      findMissedRun({
        ...daily,
        installedAt: new Date('2025-05-01T00:00:00Z'),
        now: new Date('2025-05-20T12:00:00Z'),
      }),
    ).toEqual({ period: '2025-05-20', scheduledAt: new Date('2025-05-20T04:00:00Z') });
  });

  it("before today's fire time, yesterday's run is the one missed", () => {
    expect(
      findMissedRun({
        ...daily,
        installedAt: new Date('2025-05-01T00:00:00Z'),
        now: new Date('2025-05-20T03:00:00Z'),
      })?.period,
    ).toBe('2025-05-19');
  });
});
