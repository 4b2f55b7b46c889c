import { formatFaultScript, parseFaultScript } from '../../src/provider-sim/fault-script';
import { OUTAGE_WINDOW, OUTAGE_WINDOW_MS, outagePlan } from '../../chaos/outage-plan';

describe('parseFaultScript', () => {
  it('reads outages in request order, each a sequence of windows', () => {
    const parsed = parseFaultScript('900:429=1000; 400:refused=6000,500=4000,503=2');
    expect(parsed).toEqual({
      ok: true,
      outages: [
        {
          afterRequests: 400,
          windows: [
            { kind: 'refused', ms: 6000 },
            { kind: '500', ms: 4000 },
            { kind: '503', ms: 2 },
          ],
        },
        { afterRequests: 900, windows: [{ kind: '429', ms: 1000 }] },
      ],
    });
    if (parsed.ok) {
      expect(formatFaultScript(parsed.outages)).toBe(
        '400:refused=6000,500=4000,503=2;900:429=1000',
      );
    }
  });

  it.each([
    ['400', '"400" is not <after-requests>:<kind>=<ms>,...'],
    ['400:slow=10', '"slow=10" is not <kind>=<ms> with a kind from refused, 500, 503, 429'],
    ['400:500=0', '"500=0": a window lasts 1 to 600000 ms'],
    ['x:500=10', '"x:500=10" is not <after-requests>:<kind>=<ms>,...'],
  ])('refuses %p, saying why', (text, message) => {
    expect(parseFaultScript(text)).toEqual({ ok: false, message });
  });
});

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
