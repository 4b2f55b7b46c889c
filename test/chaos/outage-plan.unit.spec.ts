import { formatFaultScript, parseFaultScript } from '../../src/provider-sim/fault-script';
import { OUTAGE_WINDOW, OUTAGE_WINDOW_MS, outagePlan } from '../../chaos/outage-plan';

describe('outagePlan', () => {
  it('is the same for a seed, keeps its draws in their windows, and round-trips as a script', () => {
    expect(outagePlan({ seed: 3, outages: 2, invoices: 1000 })).toEqual(
      outagePlan({ seed: 3, outages: 2, invoices: 1000 }),
    );
    const kinds = new Set<string>();
    for (let seed = 0; seed < 300; seed++) {
      const plan = outagePlan({ seed, outages: 2, invoices: 1000 });
      expect(plan).toHaveLength(2);
      for (const outage of plan) {
        expect(outage.afterRequests).toBeGreaterThanOrEqual(OUTAGE_WINDOW.from * 1000);
        expect(outage.afterRequests).toBeLessThan(OUTAGE_WINDOW.to * 1000);
        expect(outage.windows.length).toBeGreaterThanOrEqual(1);
        expect(outage.windows.length).toBeLessThanOrEqual(3);
        for (const window of outage.windows) {
          kinds.add(window.kind);
          expect(window.ms).toBeGreaterThanOrEqual(OUTAGE_WINDOW_MS.from);
          expect(window.ms).toBeLessThanOrEqual(OUTAGE_WINDOW_MS.to);
        }
      }
      expect(parseFaultScript(formatFaultScript(plan))).toEqual({ ok: true, outages: plan });
    }
    expect([...kinds].sort()).toEqual(['429', '500', '503', 'refused']);
  });
});
