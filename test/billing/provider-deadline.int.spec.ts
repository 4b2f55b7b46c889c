import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StartBillingRunCommand } from '../../src/billing/commands/start-billing-run.command';
import { invoiceStream } from '../../src/billing/domain';
import type { SweepAction } from '../../src/billing/engine/recovery-sweep';
import { NetworkError } from '../../src/payment-provider/errors/network.error';
import type { PaymentProvider } from '../../src/payment-provider/payment-provider.port';
import { HttpPaymentProvider } from '../../src/payments/http/http-payment-provider';
import { ChargeGate } from '../../src/payments/simulated/charge-gate';
import { readLedgerFile } from '../../src/payments/simulated/read-ledger-file';
import type { ProviderSimServer } from '../../src/provider-sim/provider-sim-server';
import { openPostgresStore, type OpenStore } from '../support/event-store-backends';
import { startProviderSim } from '../support/provider-sim';
import { InMemoryReadModels } from '../support/read-models/in-memory-read-models';
import { waitFor } from '../support/wait-for';
import { startBillingInstance, type BillingInstance } from './support/billing-instance';
import { issueInvoices } from './support/issue-invoices';
import { ZERO_RATES } from './support/zero-rates';

/** The provider's declared processing deadline, and the service's timeouts: a test's worth. */
const DEADLINE_MS = 300;
/** Generous: a lookup that times out proves nothing, and the machine may be busy. */
const REQUEST_TIMEOUT_MS = 2_000;
const ATTEMPT_TIMEOUT_MS = 400;

/**
 * Issue 15 item 7 against the HTTP provider simulator, which really never processes a
 * request later than its deadline after arrival: an instance sends a charge and dies;
 * the request waits at the provider past the deadline and is never processed. The
 * sweep's lookup finds nothing; with the deadline declared, that is final.
 */
describe('a provider-declared processing deadline', () => {
  let dir: string;
  let backend: OpenStore;
  let readModels: InMemoryReadModels;
  let server: ProviderSimServer | undefined;
  const instances: BillingInstance[] = [];

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'antaeus-provider-deadline-'));
    backend = await openPostgresStore('provider_deadline');
    readModels = new InMemoryReadModels().follow(backend.store);
  });

  afterEach(async () => {
    for (const instance of instances.splice(0)) await instance.close();
    await server?.stop();
    server = undefined;
    await readModels.close();
    await backend.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function startSim(): Promise<ProviderSimServer> {
    server = await startProviderSim(
      join(dir, 'ledger.jsonl'),
      {
        latencyMs: 5,
        // Every processed charge is paid: the only thing that can go wrong is the deadline.
        rates: ZERO_RATES,
        idempotent: false,
        lookup: true,
      },
      { deadlineMs: DEADLINE_MS },
    );
    return server;
  }

  async function start(
    instanceId: string,
    sim: ProviderSimServer,
    declared: boolean,
    wrap: (provider: HttpPaymentProvider) => PaymentProvider = (provider) => provider,
  ) {
    const http = new HttpPaymentProvider({
      url: sim.url,
      timeoutMs: REQUEST_TIMEOUT_MS,
      idempotent: false,
      lookup: true,
      processingDeadlineMs: declared ? DEADLINE_MS : null,
      clientId: instanceId,
    });
    const instance = await startBillingInstance({
      instanceId,
      store: backend.store,
      provider: wrap(http),
      readModels,
      billing: { attemptTimeoutMs: ATTEMPT_TIMEOUT_MS, concurrency: 1 },
    });
    instances.push(instance);
    return instance;
  }

  async function events(id: string): Promise<{ type: string; data: unknown }[]> {
    const recorded = await backend.store.readStream(invoiceStream(id));
    return recorded.map(({ type, data }) => ({ type, data }));
  }

  /**
   * Instance A claims the invoice and sends the charge; the provider holds the request
   * until its deadline has passed, and A dies meanwhile. Instance B then sweeps.
   */
  async function lostRequest(
    declared: boolean,
    wrapB?: (provider: HttpPaymentProvider) => PaymentProvider,
  ) {
    const sim = await startSim();
    const firstAttempt = new ChargeGate('received', (request) =>
      request.idempotencyKey.endsWith('-attempt-1'),
    );
    sim.provider.onCharge(firstAttempt.hook);
    const {
      ids: [invoiceId],
    } = await issueInvoices(backend.store, 1);
    const a = await start('instance-a', sim, declared);
    const { runId } = await a.commandBus.execute(new StartBillingRunCommand('manual', null));
    const working = a.engine.workRun(runId);
    await firstAttempt.whenHeld(1);
    const arrivedAt = Date.now();
    // A dies with the charge in flight: nothing it still holds reaches the store.
    await a.watcher.stop(0);
    await working;
    // The provider's own promise, in real time: past the deadline it will not process it.
    await waitFor(() => Date.now() > arrivedAt + DEADLINE_MS, {
      message: 'the deadline to pass at the provider',
    });
    firstAttempt.open();
    await waitFor(() => sim.stats().expired === 1, { message: 'the provider to drop it' });
    const b = await start('instance-b', sim, declared, wrapB);
    return { sim, b, runId, invoiceId };
  }

  /** Sweeps round after round until the invoice gets `action`; every round's action. */
  async function sweepUntil(
    instance: BillingInstance,
    invoiceId: string,
    action: SweepAction,
    message: string,
  ): Promise<(SweepAction | undefined)[]> {
    const actions: (SweepAction | undefined)[] = [];
    await waitFor(
      async () => {
        actions.push((await instance.sweep.sweepOnce()).get(invoiceId));
        return actions.at(-1) === action;
      },
      { message },
    );
    return actions;
  }

  /** B's provider, whose lookup fails (no answer) while `failing()` says so. */
  function lookupFailing(failing: () => boolean) {
    return (http: HttpPaymentProvider): PaymentProvider => {
      const lookup = http.lookup;
      if (!lookup) throw new Error('the provider has no lookup');
      return {
        idempotent: http.idempotent,
        notFoundFinalAfterMs: http.notFoundFinalAfterMs,
        charge: (request) => http.charge(request),
        lookup: (key) =>
          failing()
            ? Promise.reject(new NetworkError(true, `lookup of ${key}: no answer (test)`))
            : lookup(key),
      };
    };
  }

  it('declared: not_found past the deadline closes the attempt as not charged; the invoice is charged once, with a new key', async () => {
    const { sim, b, runId, invoiceId } = await lostRequest(true);

    const actions = await sweepUntil(
      b,
      invoiceId,
      'withdrawn-past-deadline',
      'the sweep to withdraw the attempt past the deadline',
    );
    // Until then it was left open: not stale yet, or stale but before the deadline.
    for (const action of actions.slice(0, -1)) {
      expect([undefined, 'skipped', 'awaiting-deadline']).toContain(action);
    }
    const withdrawn = (await events(invoiceId)).find((event) => event.type === 'ChargeWithdrawn');
    expect(withdrawn?.data).toMatchObject({
      attempt: 1,
      idempotencyKey: `invoice-${invoiceId}-attempt-1`,
      reason: 'PROVIDER_DEADLINE_PASSED',
      instanceId: 'instance-b',
    });
    await waitFor(() => readModels.status(invoiceId) === 'PENDING', {
      message: 'the invoice to be PENDING again',
    });

    expect(await b.engine.workRun(runId)).toBe('completed');
    await waitFor(() => readModels.status(invoiceId) === 'PAID', { message: 'PAID' });
    expect((await events(invoiceId)).map((event) => event.type)).toEqual([
      'InvoiceIssued',
      'ChargeAttempted',
      'ChargeWithdrawn',
      'ChargeAttempted',
      'InvoicePaid',
    ]);
    const ledger = readLedgerFile(join(dir, 'ledger.jsonl'));
    expect(ledger.entries.map((entry) => [entry.idempotencyKey, entry.outcome])).toEqual([
      [`invoice-${invoiceId}-attempt-2`, 'paid'],
    ]);
    expect(ledger.doubleCharges).toEqual([]);
    expect(sim.stats()).toMatchObject({ requests: 2, expired: 1, charged: 1 });
  });

  it('declared: a lookup that fails is asked again in a later round, not UNKNOWN; the answer past the deadline settles it', async () => {
    let lookupsFail = true;
    const { b, invoiceId } = await lostRequest(
      true,
      lookupFailing(() => lookupsFail),
    );

    await sweepUntil(
      b,
      invoiceId,
      'awaiting-lookup',
      'the sweep to leave the attempt open after a failed lookup',
    );
    expect((await events(invoiceId)).map((event) => event.type)).toEqual([
      'InvoiceIssued',
      'ChargeAttempted',
    ]);
    lookupsFail = false;
    await sweepUntil(
      b,
      invoiceId,
      'withdrawn-past-deadline',
      'the sweep to withdraw the attempt once the lookup answers',
    );
  });

  it('declared: a lookup that keeps failing ends UNKNOWN one attempt timeout past the deadline', async () => {
    const { b, invoiceId } = await lostRequest(
      true,
      lookupFailing(() => true),
    );

    const actions = await sweepUntil(
      b,
      invoiceId,
      'marked-unknown',
      'the sweep to give up on the lookup and mark the attempt UNKNOWN',
    );
    expect(actions).toContain('awaiting-lookup');
    const [claim, unknown] = (await events(invoiceId)).slice(1) as {
      type: string;
      data: { attemptedAt: string; at: string };
    }[];
    expect(unknown.type).toBe('ChargeOutcomeUnknown');
    // Not before the point where not_found would have been final, plus an attempt timeout.
    const giveUpAt =
      Date.parse(claim.data.attemptedAt) +
      ATTEMPT_TIMEOUT_MS +
      (DEADLINE_MS + REQUEST_TIMEOUT_MS) +
      ATTEMPT_TIMEOUT_MS;
    expect(Date.parse(unknown.data.at)).toBeGreaterThanOrEqual(giveUpAt);
  });

  it('not declared: not_found stays unproven, the attempt is UNKNOWN and never charged again (as before)', async () => {
    const { sim, b, invoiceId } = await lostRequest(false);

    await waitFor(async () => (await b.sweep.sweepOnce()).get(invoiceId) === 'marked-unknown', {
      message: 'the sweep to mark the attempt UNKNOWN',
    });
    await waitFor(() => readModels.status(invoiceId) === 'UNKNOWN', { message: 'UNKNOWN' });
    expect((await events(invoiceId)).map((event) => event.type)).toEqual([
      'InvoiceIssued',
      'ChargeAttempted',
      'ChargeOutcomeUnknown',
    ]);
    const ledgerFile = join(dir, 'ledger.jsonl');
    expect(existsSync(ledgerFile) ? readLedgerFile(ledgerFile).entries : []).toEqual([]);
    expect(sim.stats()).toMatchObject({ requests: 1, expired: 1, charged: 0 });
  });
});
