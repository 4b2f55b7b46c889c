import { waitingFor } from '../../src/cli/commands/billing-run.command';
import { BillingRunDto } from '../../src/api/billing-runs/billing-run.dto';
import type { BillingRunView } from '../../src/api/read-models/billing-run-read-model.port';

const SINCE = '2026-12-03T10:00:00.000Z';

describe('what a run says while it waits for the provider', () => {
  it("the CLI's progress line: provider unavailable, waiting; a back-off; nothing when available", () => {
    expect(waitingFor({ state: 'unavailable', since: SINCE, probing: false })).toBe(
      `provider unavailable, waiting (since ${SINCE})`,
    );
    expect(waitingFor({ state: 'backing-off', until: SINCE })).toBe(
      `provider asked to back off until ${SINCE}`,
    );
    expect(waitingFor({ state: 'available' })).toBeNull();
  });

  it("the run's REST view shows the provider while the run is RUNNING, not after", () => {
    const view: BillingRunView = {
      runId: 'manual-1',
      period: null,
      trigger: 'manual',
      status: 'RUNNING',
      startedAt: SINCE,
      completedAt: null,
      counts: { processing: 3, paid: 1, failed: 0, unknown: 0 },
      collected: [],
    };
    const unavailable = { state: 'unavailable', since: SINCE, probing: true } as const;
    expect(BillingRunDto.from(view, unavailable).provider).toEqual(unavailable);
    expect(BillingRunDto.from({ ...view, status: 'COMPLETED' }, unavailable)).not.toHaveProperty(
      'provider',
    );
    expect(BillingRunDto.from(view)).not.toHaveProperty('provider');
  });
});
