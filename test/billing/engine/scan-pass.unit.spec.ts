import type { InvoiceSnapshot } from '../../../src/billing/engine/billing-read-model.port';
import { BillingLog } from '../../../src/billing/engine/billing-log';
import type { OpenAttempt } from '../../../src/billing/engine/open-attempt';
import { ScanPass, type ScanPassPorts } from '../../../src/billing/engine/scan-pass';
import { StopSignal } from '../../../src/shared/stop-signal';

const IDS = Array.from({ length: 20 }, (_, i) => `inv-${String(i).padStart(2, '0')}`);
const RUN = { runId: 'run-1', billingDate: '2026-12-01' };

/**
 * The read model and the store as one instance's pass sees them while another instance
 * bills the same run: `taken` were claimed by the other (the read model still lists them
 * PENDING until a claim of one of them fails), `starts` are the random invoices the pass
 * starts from, in turn.
 */
function world(taken: readonly string[], starts: string[]) {
  const listed = new Set(IDS);
  const won = new Set<string>();
  const tried: string[] = [];
  const picks: string[] = [];
  let slotsHeld = 0;
  const ports: ScanPassPorts = {
    pageSize: 5,
    stopSignal: new StopSignal(),
    logger: new BillingLog('ScanPassSpec'),
    pickStart: () => {
      const start = starts.shift() ?? null;
      if (start) picks.push(start);
      return Promise.resolve(start);
    },
    listPending: (_run, cursor, upTo) =>
      Promise.resolve(
        IDS.filter((id) => listed.has(id) && (cursor === null || id > cursor))
          .filter((id) => upTo === null || id <= upTo)
          .slice(0, 5)
          .map((invoiceId) => ({ invoiceId }) as unknown as InvoiceSnapshot),
      ),
    takeSlots: (wanted) => {
      const slots = Math.min(wanted, 2);
      slotsHeld += slots;
      return Promise.resolve(slots);
    },
    releaseSlots: (count) => void (slotsHeld -= count),
    claim: (_run, snapshots) => {
      const ids = snapshots.map((snapshot) => snapshot.invoiceId);
      tried.push(...ids);
      const lost = ids.filter((id) => taken.includes(id));
      // Once a claim fails, the read model has caught up with the other instance.
      for (const id of taken) listed.delete(id);
      const claims = ids.filter((id) => !taken.includes(id));
      for (const id of claims) listed.delete(id);
      return Promise.resolve({
        claims: claims.map((invoiceId) => ({ invoiceId }) as unknown as OpenAttempt),
        busy: lost.length,
        lost: lost.length,
        troubled: 0,
      });
    },
    charge: (open) => {
      won.add(open.invoiceId);
      slotsHeld -= 1;
      return Promise.resolve();
    },
  };
  return { ports, won, tried, picks, slotsHeld: () => slotsHeld };
}

describe('ScanPass', () => {
  it('claims every PENDING invoice once, from its random start round to it', async () => {
    const { ports, won, tried, picks, slotsHeld } = world([], ['inv-12']);
    const result = await new ScanPass(RUN, ports).run();
    expect(result).toEqual({ claimed: 20, busy: 0, troubled: 0 });
    expect(picks).toEqual(['inv-12']);
    expect(tried.slice(0, 2)).toEqual(['inv-13', 'inv-14']);
    expect(won).toEqual(new Set(IDS));
    expect(slotsHeld()).toBe(0);
  });

  it('starts again elsewhere when a claim is lost, instead of following the other instance', async () => {
    // The other instance holds inv-05 to inv-09, just after this pass's start.
    const taken = ['inv-05', 'inv-06', 'inv-07', 'inv-08', 'inv-09'];
    const { ports, won, tried, picks, slotsHeld } = world(taken, ['inv-04', 'inv-14']);
    const result = await new ScanPass(RUN, ports).run();
    expect(picks).toEqual(['inv-04', 'inv-14']);
    // The two claims in the air when the first was lost (two invoices each) are lost; the
    // rest of that stale page is never claimed, and the next claim is at the new start.
    expect(tried.slice(0, 6)).toEqual(['inv-05', 'inv-06', 'inv-07', 'inv-08', 'inv-15', 'inv-16']);
    expect(tried.filter((id) => taken.includes(id))).toHaveLength(4);
    expect(result).toEqual({ claimed: 15, busy: 4, troubled: 0 });
    expect(won).toEqual(new Set(IDS.filter((id) => !taken.includes(id))));
    // Slots taken for lost claims, and for the stale page's rest, were given back.
    expect(slotsHeld()).toBe(0);
  });
});
