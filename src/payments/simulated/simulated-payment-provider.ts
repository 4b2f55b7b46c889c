import { CurrencyMismatchError } from '../../payment-provider/errors/currency-mismatch.error';
import { CustomerNotFoundError } from '../../payment-provider/errors/customer-not-found.error';
import { NetworkError } from '../../payment-provider/errors/network.error';
import type {
  ChargeLookupResult,
  ChargeRequest,
  PaymentProvider,
} from '../../payment-provider/payment-provider.port';
import { CallsInFlight } from './calls-in-flight';
import { ChargeLedger } from './charge-ledger';
import { ChargeLedgerFile } from './charge-ledger-file';
import type { ChargeHook } from './charge-hook';
import { keyedUniform } from '../../shared/keyed-random';
import { OutcomeScripts } from './outcome-scripts';
import { systemClock, type SimulatedClock } from './simulated-clock';
import { FAILURE_OUTCOMES, type OutcomeRates } from '../../config/simulated-provider-config';
import { isProcessed, lookupResultOf, type SimulatedOutcome } from './simulated-outcome';
import {
  DEFAULT_SIMULATED_PROVIDER_CONFIG,
  validateSimulatedProviderConfig,
  type SimulatedProviderConfig,
} from '../../config/simulated-provider-config';

/** What became of one delivered request; `replay`: an idempotent repeat of its key. */
export interface Delivery {
  readonly outcome: SimulatedOutcome;
  readonly replay: boolean;
}

/** Any part of the config; rates not given keep their defaults. */
export type SimulatedProviderSettings = Partial<Omit<SimulatedProviderConfig, 'rates'>> & {
  readonly rates?: Partial<OutcomeRates>;
};

// Independent draws per key: outcomes use even streams (one per delivery), jitter 1.
const JITTER_STREAM = 1;
const outcomeStream = (delivery: number): number => delivery * 2;

/**
 * An in-process payment provider whose outcomes come from (seed, idempotency key), so a
 * seed replays the same story whatever the order or concurrency of calls. Every
 * delivered request is written to `ledger`, where tests count double charges, and, with
 * `ledgerFile`, to that file too, for tests whose instances are separate processes.
 */
export class SimulatedPaymentProvider implements PaymentProvider {
  readonly idempotent: boolean;
  readonly ledger = new ChargeLedger();
  /** The charges in its hands at once: what a run's concurrency achieved at the provider. */
  readonly callsInFlight = new CallsInFlight();
  readonly lookup?: (idempotencyKey: string) => Promise<ChargeLookupResult>;
  readonly config: SimulatedProviderConfig;

  private readonly thresholds: readonly number[];
  // Idempotent mode only: the first processed outcome of each key, replayed afterwards.
  private readonly remembered = new Map<string, SimulatedOutcome>();
  // Deliveries of keys that failed in transport, so a retry draws afresh instead of
  // failing forever; other keys never get an entry (memory stays small).
  private readonly redeliveries = new Map<string, number>();
  private readonly scripts = new OutcomeScripts();
  private readonly ledgerFile: ChargeLedgerFile | null;
  private hook: ChargeHook | undefined;
  private replayCount = 0;
  /** Day 0 of the late payers (SimulatedProviderConfig.latePayers). */
  private readonly startedAt: number;

  constructor(
    settings: SimulatedProviderSettings = {},
    private readonly clock: SimulatedClock = systemClock,
  ) {
    this.config = withDefaults(settings);
    this.startedAt = clock.now();
    const errors = validateSimulatedProviderConfig(this.config);
    if (errors.length > 0) {
      throw new RangeError(`Invalid simulated provider config: ${errors.join('; ')}`);
    }
    this.idempotent = this.config.idempotent;
    this.thresholds = cumulative(this.config.rates);
    this.ledgerFile =
      this.config.ledgerFile === null ? null : new ChargeLedgerFile(this.config.ledgerFile);
    if (this.config.lookup) this.lookup = (key) => this.lookupKey(key);
  }

  async charge(request: ChargeRequest): Promise<boolean> {
    const startedAt = this.callsInFlight.start();
    try {
      const delivery = this.deliver(request);
      // No await for a synchronous delivery (0 ms, no hook): benchmarks push hundreds of
      // thousands of charges through here.
      const { outcome, replay } = delivery instanceof Promise ? await delivery : delivery;
      return respond(request, outcome, replay);
    } finally {
      this.callsInFlight.end(startedAt);
    }
  }

  /**
   * What the provider does with one delivered request, before any transport: waits the
   * latency, then decides (or replays) the outcome and writes it to the ledger. The
   * HTTP simulator (src/provider-sim) turns the outcome into its answer; `client` names
   * the caller in the ledger file.
   */
  deliver(request: ChargeRequest, client?: string): Delivery | Promise<Delivery> {
    const delay = this.delayFor(request.idempotencyKey);
    if (!this.hook && delay === 0) return this.process(request, client);
    return this.deliverLater(request, delay, client);
  }

  /**
   * Forces the outcomes of an invoice's deliveries, one per delivery, the last one
   * repeating. Idempotent replays take none: they answer the remembered result.
   */
  script(invoiceId: string, first: SimulatedOutcome, ...rest: SimulatedOutcome[]): void {
    this.scripts.forInvoice(invoiceId, [first, ...rest]);
  }

  /** Forces the outcomes of one idempotency key's deliveries; wins over script(). */
  scriptKey(idempotencyKey: string, first: SimulatedOutcome, ...rest: SimulatedOutcome[]): void {
    this.scripts.forKey(idempotencyKey, [first, ...rest]);
  }

  /** Observes or holds every call (see ChargeGate); undefined removes the hook. */
  onCharge(hook: ChargeHook | undefined): void {
    this.hook = hook;
  }

  /** Idempotent replays answered so far; they are not in the ledger. */
  get replays(): number {
    return this.replayCount;
  }

  /** Forgets everything: ledger, remembered keys, scripts and hook (the ledger file stays). */
  reset(): void {
    this.ledger.reset();
    this.remembered.clear();
    this.redeliveries.clear();
    this.scripts.clear();
    this.hook = undefined;
    this.replayCount = 0;
  }

  /**
   * As deliver, for a provider with a processing deadline: a request still waiting when
   * the clock passes `notAfter` (epoch ms) is never processed, and null says so.
   */
  async deliverBy(
    request: ChargeRequest,
    client: string | undefined,
    notAfter: number,
  ): Promise<Delivery | null> {
    await this.waitToProcess(request, this.delayFor(request.idempotencyKey));
    if (this.clock.now() > notAfter) return null;
    return this.processAndTell(request, client);
  }

  private async deliverLater(
    request: ChargeRequest,
    delay: number,
    client: string | undefined,
  ): Promise<Delivery> {
    await this.waitToProcess(request, delay);
    return this.processAndTell(request, client);
  }

  private async waitToProcess(request: ChargeRequest, delay: number): Promise<void> {
    if (this.hook) await this.hook({ phase: 'received', request });
    if (delay > 0) await this.clock.sleep(delay);
  }

  private async processAndTell(
    request: ChargeRequest,
    client: string | undefined,
  ): Promise<Delivery> {
    const { outcome, replay } = this.process(request, client);
    if (this.hook) await this.hook({ phase: 'processed', request, outcome, replay });
    return { outcome, replay };
  }

  /** A late payer's charge before its day: declined (INSUFFICIENT_FUNDS). */
  private lateMoney(request: ChargeRequest): SimulatedOutcome | null {
    const { latePayers } = this.config;
    if (!Object.hasOwn(latePayers, request.customerId)) return null;
    const days = latePayers[request.customerId] as number;
    return this.clock.now() < this.startedAt + days * DAY_MS ? 'declined' : null;
  }

  private process(request: ChargeRequest, client: string | undefined): Delivery {
    const key = request.idempotencyKey;
    const remembered = this.idempotent ? this.remembered.get(key) : undefined;
    if (remembered !== undefined) {
      this.replayCount++;
      return { outcome: remembered, replay: true };
    }
    const outcome = this.scripts.take(request) ?? this.lateMoney(request) ?? this.draw(key);
    const now = this.clock.now();
    this.ledger.record(request, outcome, now);
    // Synchronous, before the caller can see the answer: a crash after it loses nothing.
    this.ledgerFile?.append(request, outcome, now, client);
    if (this.idempotent && isProcessed(outcome)) this.remembered.set(key, outcome);
    return { outcome, replay: false };
  }

  private draw(key: string): SimulatedOutcome {
    const delivery = this.redeliveries.get(key) ?? 0;
    const u = keyedUniform(this.config.seed, key, outcomeStream(delivery));
    const index = this.thresholds.findIndex((threshold) => u < threshold);
    const outcome = index === -1 ? 'paid' : FAILURE_OUTCOMES[index];
    if (delivery > 0 || !isProcessed(outcome)) this.redeliveries.set(key, delivery + 1);
    return outcome;
  }

  private delayFor(key: string): number {
    const { seed, latencyMs, latencyJitterMs } = this.config;
    if (latencyJitterMs === 0) return latencyMs;
    return latencyMs + Math.floor(keyedUniform(seed, key, JITTER_STREAM) * (latencyJitterMs + 1));
  }

  private async lookupKey(idempotencyKey: string): Promise<ChargeLookupResult> {
    if (this.config.latencyMs > 0) await this.clock.sleep(this.config.latencyMs);
    if (!this.idempotent) return this.ledger.lookup(idempotencyKey);
    // Idempotent mode already remembers every processed key: no second index needed.
    const remembered = this.remembered.get(idempotencyKey);
    return remembered === undefined ? 'not_found' : lookupResultOf(remembered);
  }
}

const DAY_MS = 24 * 60 * 60_000;

function withDefaults(settings: SimulatedProviderSettings): SimulatedProviderConfig {
  const defaults = DEFAULT_SIMULATED_PROVIDER_CONFIG;
  return { ...defaults, ...settings, rates: { ...defaults.rates, ...settings.rates } };
}

/** Upper bounds of each failure's slice of [0, 1), in FAILURE_OUTCOMES order. */
function cumulative(rates: OutcomeRates): number[] {
  let total = 0;
  return FAILURE_OUTCOMES.map((outcome) => (total += rates[outcome]));
}

/** What the caller sees. A replayed ambiguous charge answers `true`: it did succeed. */
function respond(request: ChargeRequest, outcome: SimulatedOutcome, replay: boolean): boolean {
  const { invoiceId, customerId, idempotencyKey } = request;
  switch (outcome) {
    case 'paid':
      return true;
    case 'declined':
      return false;
    case 'customer_not_found':
      throw new CustomerNotFoundError(customerId, invoiceId);
    case 'currency_mismatch':
      throw new CurrencyMismatchError(invoiceId, customerId, request.amount.currency);
    case 'network_error':
      throw new NetworkError(
        false,
        `Simulated network error: the charge of invoice ${invoiceId} (key ${idempotencyKey}) never left`,
      );
    case 'ambiguous_charged':
      if (replay) return true;
      throw ambiguous(request);
    case 'ambiguous_not_charged':
      throw ambiguous(request);
  }
}

function ambiguous({ invoiceId, idempotencyKey }: ChargeRequest): NetworkError {
  return new NetworkError(
    true,
    `Simulated timeout: the charge of invoice ${invoiceId} (key ${idempotencyKey}) may have reached the provider`,
  );
}
