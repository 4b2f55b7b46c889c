import type { ProviderGateConfig } from '../src/config/provider-gate-config';
import { isProcessed, type SimulatedOutcome } from '../src/payments/simulated/simulated-outcome';
import { firstCallsAllowance } from './first-calls-allowance';
import type { KillMark, OpenSpan } from './in-flight-at-kills';
import type { FaultLog, PlayedOutage } from './read-fault-log';
import type { UnknownEvent } from './read-unknown-events';

/**
 * Why an invoice ended UNKNOWN:
 * - `kill`: the recovery sweep timed out an attempt its instance had open when it was killed;
 * - `outage`: an ambiguous answer of a scripted outage (a 500 the simulator gave it, or a
 *   reset or timeout while a 500 or refused window was open);
 * - `pg-restart`: the sweep timed out an attempt open when PostgreSQL crashed;
 * - `lost-answer`: the simulator's background fault processed it and lost the answer;
 * - `timeout`: no answer within the provider timeout, or an answer not recorded within the
 *   attempt timeout, with no fault to blame: a slow provider or a starved machine;
 * - `unexplained`: none of these; the run is not ok until someone explains it.
 */
export const UNKNOWN_CAUSES = [
  'kill',
  'outage',
  'pg-restart',
  'lost-answer',
  'timeout',
  'unexplained',
] as const;
export type UnknownCause = (typeof UNKNOWN_CAUSES)[number];

/** An instance (re)started: when it was up again (epoch milliseconds). */
export type RestartMark = KillMark;

export interface UnknownEvidence {
  /** Invoices UNKNOWN at the end of the run. */
  readonly unknownInvoices: readonly string[];
  /** Every ChargeOutcomeUnknown, in log order. */
  readonly unknownEvents: readonly UnknownEvent[];
  /** Every attempt's spans in an instance's hands (in-flight-at-kills.ts). */
  readonly spans: readonly OpenSpan[];
  readonly kills: readonly KillMark[];
  /** When each instance killed (or crashed) was up again: its breaker starts closed. */
  readonly restarts: readonly RestartMark[];
  /** When PostgreSQL was crashed (epoch milliseconds). */
  readonly pgRestarts: readonly number[];
  /** The provider's ledger: what it processed, under which key. */
  readonly ledger: readonly {
    readonly idempotencyKey: string;
    readonly outcome: SimulatedOutcome;
  }[];
  readonly faults: FaultLog;
  readonly instances: number;
  /** BILLING_CONCURRENCY of each instance. */
  readonly concurrency: number;
  /** The breaker's schedule of probes (the runner keeps the defaults). */
  readonly breaker: Pick<ProviderGateConfig, 'openMs' | 'maxOpenMs'>;
  /** The instances' provider timeout: an ambiguous answer this long after a window still counts. */
  readonly providerTimeoutMs: number;
}

/** One outage's UNKNOWN against its bound (issue 15: the calls in flight when it began, plus the probes). */
export interface OutageUnknown {
  readonly outage: number;
  readonly unknown: number;
  /** Attempts open when the outage began or one of its 500 or refused windows opened. */
  readonly inFlightAtStart: number;
  /**
   * What the breakers may send through it: each instance's probes over its length, and
   * the first calls of an instance that had none in flight when it began or was started
   * again during it (first-calls-allowance.ts: one, its cold breaker's trial, unless the
   * breaker was warm or the trial slow, then a full round of the concurrency).
   */
  readonly probes: number;
  readonly bound: number;
}

export interface UnknownAttribution {
  readonly byCause: Readonly<Record<UnknownCause, number>>;
  /** UNKNOWN stranded by each kill, in kill order. */
  readonly perKill: readonly number[];
  readonly perOutage: readonly OutageUnknown[];
  /** UNKNOWN whose key the provider did process: its lookup can still settle them. */
  readonly processedByProvider: number;
  /** Each unexplained UNKNOWN: `invoice-7 (key): why`. */
  readonly unexplained: readonly string[];
  /** Each bound a kill broke, as a sentence. */
  readonly broken: readonly string[];
  /**
   * Each outage that stranded more UNKNOWN than were in flight when it began plus the
   * probes, as a sentence (a problem of the run, like `broken`; listed apart to tell the
   * outages' bounds from the kills').
   */
  readonly outagesOverBound: readonly string[];
}

type Verdict =
  | { readonly cause: Exclude<UnknownCause, 'kill' | 'outage' | 'unexplained'> }
  | { readonly cause: 'kill'; readonly kill: number }
  | { readonly cause: 'outage'; readonly outage: number }
  | { readonly cause: 'unexplained'; readonly why: string };

const AMBIGUOUS_WINDOWS = new Set(['500', 'refused']);
/** The HTTP adapter's words for a call its timeout ended (src/payments/http). */
const NO_ANSWER = /no answer within \d+ ms/;

/**
 * Gives each UNKNOWN invoice its cause from evidence: the event that made it UNKNOWN
 * (the engine's ambiguous answer or the sweep's timeout), the provider's ledger and fault
 * log (which keys it processed, lost the answer of, or answered from an outage's window),
 * and the kills (the attempt was open in the victim's hands). Only a reset or timeout with
 * no key-level evidence is placed by time: within a 500 or refused window. Pure.
 */
export function attributeUnknown(evidence: UnknownEvidence): UnknownAttribution {
  const lastUnknown = new Map<string, UnknownEvent>();
  for (const event of evidence.unknownEvents) lastUnknown.set(event.invoiceId, event);
  const outcomes = new Map(evidence.ledger.map((entry) => [entry.idempotencyKey, entry.outcome]));
  const byCause = Object.fromEntries(UNKNOWN_CAUSES.map((cause) => [cause, 0])) as Record<
    UnknownCause,
    number
  >;
  const perKill = evidence.kills.map(() => 0);
  const perOutage = new Map(evidence.faults.outages.map(({ outage }) => [outage, 0]));
  const unexplained: string[] = [];
  let processedByProvider = 0;
  for (const invoiceId of evidence.unknownInvoices) {
    const event = lastUnknown.get(invoiceId);
    const outcome = event && outcomes.get(event.idempotencyKey);
    if (outcome !== undefined && isProcessed(outcome)) processedByProvider++;
    const verdict = event
      ? causeOf(event, outcome, evidence)
      : { cause: 'unexplained' as const, why: 'no ChargeOutcomeUnknown in the log' };
    byCause[verdict.cause]++;
    if (verdict.cause === 'kill') perKill[verdict.kill]++;
    if (verdict.cause === 'outage')
      perOutage.set(verdict.outage, (perOutage.get(verdict.outage) ?? 0) + 1);
    if (verdict.cause === 'unexplained') {
      unexplained.push(`${invoiceId} (${event?.idempotencyKey ?? 'no key'}): ${verdict.why}`);
    }
  }
  const outages = evidence.faults.outages.map((outage) =>
    outageBound(outage, perOutage.get(outage.outage) ?? 0, evidence),
  );
  return {
    byCause,
    perKill,
    perOutage: outages,
    processedByProvider,
    unexplained,
    broken: killsOverBound(perKill, evidence),
    outagesOverBound: outagesOverBound(outages),
  };
}

function causeOf(
  event: UnknownEvent,
  outcome: SimulatedOutcome | undefined,
  evidence: UnknownEvidence,
): Verdict {
  const faulted = evidence.faults.faulted.get(event.idempotencyKey);
  if (faulted?.kind === '500') return { cause: 'outage', outage: faulted.outage };
  if (event.reason === 'ATTEMPT_TIMED_OUT') return staleCause(event, outcome, evidence);
  if (event.reason !== 'AMBIGUOUS_NETWORK_ERROR') {
    return { cause: 'unexplained', why: `a reason the report does not know: ${event.reason}` };
  }
  if (outcome === 'ambiguous_charged' || outcome === 'ambiguous_not_charged') {
    return { cause: 'lost-answer' };
  }
  const during = outageAt(event.at, evidence);
  if (during !== null) return { cause: 'outage', outage: during };
  if (NO_ANSWER.test(event.message)) return { cause: 'timeout' };
  return { cause: 'unexplained', why: `an ambiguous answer outside any outage: ${event.message}` };
}

/** The sweep timed the attempt out: whose hands was it in, and what happened to them? */
function staleCause(
  event: UnknownEvent,
  outcome: SimulatedOutcome | undefined,
  evidence: UnknownEvidence,
): Verdict {
  const spans = evidence.spans.filter((span) => span.idempotencyKey === event.idempotencyKey);
  const openAt = (instanceId: string | null, at: number) =>
    spans.some(
      (span) =>
        (instanceId === null || span.instanceId === instanceId) && span.from <= at && at < span.to,
    );
  const kill = evidence.kills.findIndex((mark) => openAt(mark.instanceId, mark.at));
  if (kill >= 0) return { cause: 'kill', kill };
  if (evidence.pgRestarts.some((at) => openAt(null, at))) return { cause: 'pg-restart' };
  if (outcome !== undefined) return { cause: 'timeout' };
  return {
    cause: 'unexplained',
    why: 'timed out by the sweep, though no kill or crash caught it open and the provider never processed it',
  };
}

/** The outage whose 500 or refused window was open at `at` (or ended within the timeout). */
function outageAt(at: number, evidence: UnknownEvidence): number | null {
  const found = evidence.faults.outages.find(({ windows }) =>
    windows.some(
      (window) =>
        AMBIGUOUS_WINDOWS.has(window.kind) &&
        window.from <= at &&
        at <= window.to + evidence.providerTimeoutMs,
    ),
  );
  return found?.outage ?? null;
}

function outageBound(
  outage: PlayedOutage,
  unknown: number,
  evidence: UnknownEvidence,
): OutageUnknown {
  const { windows } = outage;
  const start = windows[0]?.from ?? 0;
  const last = windows[windows.length - 1];
  const end = last && Number.isFinite(last.to) ? last.to : (last?.from ?? start);
  const beginnings = [
    start,
    ...windows.filter((window) => AMBIGUOUS_WINDOWS.has(window.kind)).map((window) => window.from),
  ];
  const exposed = new Set(
    evidence.spans
      .filter((span) => beginnings.some((at) => span.from <= at && at < span.to))
      .map((span) => span.idempotencyKey),
  );
  const probes =
    evidence.instances * probesWithin(end - start, evidence.breaker) +
    firstCallsAllowance(start, end, evidence);
  return {
    outage: outage.outage,
    unknown,
    inFlightAtStart: exposed.size,
    probes,
    bound: exposed.size + probes,
  };
}

/**
 * The most probes one breaker sends in `ms` after opening: the first after `openMs`, each
 * next after twice the last wait, at most `maxOpenMs` (src/billing/engine/provider).
 */
export function probesWithin(
  ms: number,
  { openMs, maxOpenMs }: Pick<ProviderGateConfig, 'openMs' | 'maxOpenMs'>,
): number {
  let probes = 0;
  let wait = Math.max(1, openMs);
  for (let at = wait; at <= ms; at += wait) {
    probes++;
    wait = Math.min(Math.max(1, maxOpenMs), wait * 2);
  }
  return probes;
}

function killsOverBound(perKill: readonly number[], evidence: UnknownEvidence): string[] {
  const inFlight = evidence.kills.map(
    (kill) =>
      evidence.spans.filter(
        (span) => span.instanceId === kill.instanceId && span.from <= kill.at && kill.at < span.to,
      ).length,
  );
  return perKill.flatMap((unknown, i) =>
    unknown > inFlight[i]
      ? [
          `kill ${i + 1} (${evidence.kills[i].instanceId}): ${unknown} UNKNOWN, more than the ${inFlight[i]} calls in flight`,
        ]
      : [],
  );
}

function outagesOverBound(outages: readonly OutageUnknown[]): string[] {
  return outages.flatMap((outage) =>
    outage.unknown > outage.bound
      ? [
          `outage ${outage.outage}: ${outage.unknown} UNKNOWN, more than the ${outage.inFlightAtStart} calls in flight when it began plus ${outage.probes} probes`,
        ]
      : [],
  );
}
