import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StartBillingRunCommand } from '../../src/billing/commands/start-billing-run.command';
import { providerGateSettings } from '../../src/billing/billing-tuning';
import { DEFAULT_PROVIDER_GATE_CONFIG } from '../../src/config/provider-gate-config';
import { ProviderGate } from '../../src/billing/engine/provider/provider-gate';
import { DEFAULT_SIMULATED_PROVIDER_CONFIG } from '../../src/config/simulated-provider-config';
import { HttpPaymentProvider } from '../../src/payments/http/http-payment-provider';
import { readLedgerFile } from '../../src/payments/simulated/read-ledger-file';
import { parseFaultScript } from '../../src/provider-sim/fault-script';
import type { ProviderSimServer } from '../../src/provider-sim/provider-sim-server';
import { openPostgresStore, type OpenStore } from '../support/event-store-backends';
import { startProviderSim } from '../support/provider-sim';
import { InMemoryReadModels } from '../support/read-models/in-memory-read-models';
import { waitFor } from '../support/wait-for';
import { startBillingInstance, type BillingInstance } from './support/billing-instance';
import { auditInvoices } from './support/invoice-audit';
import { issueInvoices } from './support/issue-invoices';

const INVOICES = 150;
const CONCURRENCY = 8;
/** The breaker opens after 4 failures in a row, for 100 ms at first: outages of a second. */
const GATE = providerGateSettings({
  ...DEFAULT_PROVIDER_GATE_CONFIG,
  consecutiveFailures: 4,
  openMs: 100,
  maxOpenMs: 400,
});

/**
 * The most probes a breaker opening at the 500s' start at the earliest (openMs 100,
 * doubling up to 400) sends into an 800 ms window: after 100, 300 and 700 ms.
 */
const PROBES_IN_800_MS = 3;

/**
 * The engine against the HTTP provider simulator's scripted outages (docs/design.md §2.6,
 * §2.7): each fault kind, on a provider that deduplicates by key and on one that does not.
 */
describe('billing through a provider outage', () => {
  let dir: string;
  let backend: OpenStore;
  let readModels: InMemoryReadModels;
  let server: ProviderSimServer | undefined;
  let instance: BillingInstance | undefined;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'antaeus-provider-outage-'));
    backend = await openPostgresStore('provider_outage');
    readModels = new InMemoryReadModels().follow(backend.store);
  });

  afterEach(async () => {
    await instance?.close();
    instance = undefined;
    await server?.stop();
    server = undefined;
    await readModels.close();
    await backend.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function billThrough(
    faults: string,
    idempotent: boolean,
    { concurrency = CONCURRENCY, gate: gateSettings = GATE } = {},
  ) {
    const script = parseFaultScript(faults);
    if (!script.ok) throw new Error(script.message);
    server = await startProviderSim(
      join(dir, 'ledger.jsonl'),
      {
        latencyMs: 5,
        // No ambiguous outcomes of its own: every UNKNOWN comes from the outage.
        rates: {
          ...DEFAULT_SIMULATED_PROVIDER_CONFIG.rates,
          ambiguous_charged: 0,
          ambiguous_not_charged: 0,
        },
        idempotent,
        lookup: false,
      },
      { faults: script.outages },
    );
    const provider = new HttpPaymentProvider({
      url: server.url,
      // The simulator answers in 5 ms and no fault here stalls; a timeout would only
      // mean a starved machine (2 s gave UNKNOWN at a load of 20), not the outage.
      timeoutMs: 10_000,
      idempotent,
      lookup: false,
      clientId: 'instance-a',
    });
    const { ids } = await issueInvoices(backend.store, INVOICES);
    instance = await startBillingInstance({
      instanceId: 'instance-a',
      store: backend.store,
      provider,
      readModels,
      billing: { concurrency },
      tuning: { providerGate: gateSettings },
    });
    const gate = instance.module.get(ProviderGate);
    let wasUnavailable = false;
    const started = await instance.commandBus.execute(new StartBillingRunCommand('manual', null));
    const working = instance.engine.workRun(started.runId);
    await waitFor(
      async () => {
        wasUnavailable ||= gate.status().state !== 'available';
        return (await readModels.run(started.runId))?.status === 'COMPLETED';
      },
      { timeoutMs: 30_000, intervalMs: 5, message: 'the run to complete' },
    );
    expect(await working).toBe('completed');
    const { invoices, byStatus } = await auditInvoices(backend.store, ids);
    const failedNetwork = [...invoices.values()].filter((invoice) =>
      invoice.attempts.some((attempt) => attempt.failureReason === 'NETWORK'),
    );
    const withdrawn = [...invoices.values()].flatMap((invoice) =>
      invoice.attempts.filter((attempt) => attempt.outcome === 'WITHDRAWN'),
    );
    const ledger = readLedgerFile(join(dir, 'ledger.jsonl'));
    return { invoices, byStatus, failedNetwork, withdrawn, ledger, wasUnavailable };
  }

  describe.each([false, true])('idempotent provider: %s', (idempotent) => {
    it.each(['503', '429'])(
      'a %s window: every request that was not processed is sent again; nothing FAILED (NETWORK), nothing UNKNOWN',
      async (kind) => {
        const run = await billThrough(`30:${kind}=800`, idempotent);
        expect(run.failedNetwork).toEqual([]);
        expect(run.byStatus.UNKNOWN).toBe(0);
        expect(run.byStatus.PENDING + run.byStatus.PROCESSING).toBe(0);
        expect(run.byStatus.PAID + run.byStatus.FAILED).toBe(INVOICES);
        expect(run.ledger.doubleCharges).toEqual([]);
        expect(run.wasUnavailable).toBe(true);
      },
    );

    it('refused connections: resent until the provider is back; nothing FAILED (NETWORK), UNKNOWN at most the calls in flight', async () => {
      const run = await billThrough('30:refused=800', idempotent);
      expect(run.failedNetwork).toEqual([]);
      // Closing the listener resets keep-alive connections a request may just have been
      // written to: ambiguous, so UNKNOWN on a non-idempotent provider (never retried).
      expect(run.byStatus.UNKNOWN).toBeLessThanOrEqual(idempotent ? 0 : CONCURRENCY);
      expect(run.byStatus.PAID + run.byStatus.FAILED + run.byStatus.UNKNOWN).toBe(INVOICES);
      expect(run.ledger.doubleCharges).toEqual([]);
      expect(run.wasUnavailable).toBe(true);
    });
  });

  it('a 500 window, non-idempotent provider: UNKNOWN only for the calls in flight and the probes, never retried', async () => {
    const run = await billThrough('30:500=800', false);
    expect(run.failedNetwork).toEqual([]);
    expect(run.byStatus.UNKNOWN).toBeGreaterThan(0);
    // The calls in flight when the 500s began, then one probe per opening (after 100, 200,
    // 400 ms): nothing new is sent after the first 500 until an answer or a probe.
    expect(run.byStatus.UNKNOWN).toBeLessThanOrEqual(CONCURRENCY + PROBES_IN_800_MS);
    for (const invoice of run.invoices.values()) {
      if (invoice.status !== 'UNKNOWN') continue;
      expect(invoice.attempts).toHaveLength(1);
      expect(run.ledger.chargesByInvoice.get(invoice.invoiceId) ?? 0).toBeLessThanOrEqual(1);
    }
    expect(run.byStatus.PAID + run.byStatus.FAILED + run.byStatus.UNKNOWN).toBe(INVOICES);
    expect(run.ledger.doubleCharges).toEqual([]);
  });

  it('a provider failing fast, few calls in flight: UNKNOWN stays within the calls in flight when the 500s began plus the probes', async () => {
    // 2 in flight against the default trip count of 10: counting failures in a row, the
    // breaker let about 8 more new charges into the 500s (each answered at once, each
    // UNKNOWN) before it opened.
    const gate = providerGateSettings({
      ...DEFAULT_PROVIDER_GATE_CONFIG,
      openMs: 100,
      maxOpenMs: 400,
    });
    const concurrency = 2;
    const run = await billThrough('30:500=800', false, { concurrency, gate });
    expect(run.failedNetwork).toEqual([]);
    expect(run.byStatus.UNKNOWN).toBeGreaterThan(0);
    expect(run.byStatus.UNKNOWN).toBeLessThanOrEqual(concurrency + PROBES_IN_800_MS);
    expect(run.byStatus.PAID + run.byStatus.FAILED + run.byStatus.UNKNOWN).toBe(INVOICES);
    expect(run.ledger.doubleCharges).toEqual([]);
  });

  it('a 500 window, idempotent provider: resent with the same key; nothing UNKNOWN', async () => {
    const run = await billThrough('30:500=800', true);
    expect(run.failedNetwork).toEqual([]);
    expect(run.byStatus.UNKNOWN).toBe(0);
    expect(run.byStatus.PAID + run.byStatus.FAILED).toBe(INVOICES);
    expect(run.ledger.doubleCharges).toEqual([]);
  });
});
