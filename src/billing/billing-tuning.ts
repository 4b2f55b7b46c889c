import type { BillingConfig } from '../config/app-config';
import type { ProviderGateConfig } from '../config/provider-gate-config';
import { exponentialBackoff } from '../shared/exponential-backoff';
import { chargePacerSettings, type ChargePacerSettings } from './engine/provider/charge-pacer';
import type { ProviderGateSettings } from './engine/provider/provider-gate';

/** Nest injection token for the engine's tuning (defaults from BillingConfig). */
export const BILLING_TUNING = Symbol('BILLING_TUNING');

/** How hard and how patiently the write side works. Delays are functions of the retry number. */
export interface BillingTuning {
  /** Provider calls in flight per instance (BILLING_CONCURRENCY). */
  readonly concurrency: number;
  /** An attempt open longer than this is settled by the recovery sweep (BILLING_ATTEMPT_TIMEOUT). */
  readonly attemptTimeoutMs: number;
  /** PENDING invoices read, then claimed in one appendMany, per page. */
  readonly pageSize: number;
  /** Outcomes appended per appendMany. */
  readonly outcomeBatchSize: number;
  /** Pause before resending a request (same key), besides waiting for the provider's gate. */
  readonly providerRetryDelayMs: (retry: number) => number;
  /** The circuit breaker and back-off every charge passes (docs/design.md §2.6). */
  readonly providerGate: ProviderGateSettings;
  /** How sends are paced to PAYMENT_PROVIDER_MAX_RPS, shared by every instance (§2.6). */
  readonly chargePacer: ChargePacerSettings;
  /** Pause before retrying an unavailable event store or read model. */
  readonly storeRetryDelayMs: (retry: number) => number;
  /** Re-read and decide again this many times when another writer got there first. */
  readonly conflictRetries: number;
  /** How often the run watcher looks for RUNNING runs, and a run rescans while attempts are open. */
  readonly runPollIntervalMs: number;
  readonly sweepIntervalMs: number;
  /** Stale attempts settled per sweep round. */
  readonly sweepBatchSize: number;
  /** How long one wait for the projections may take before it is retried. */
  readonly projectionWaitMs: number;
  /**
   * Pacing: a page is claimed only once the read models show what this instance wrote
   * this long ago, so billing never runs further ahead of them than that (0: no pacing).
   */
  readonly readModelLagMs: number;
  /** On shutdown, how long in-flight charges may take to record their outcomes. */
  readonly shutdownGraceMs: number;
}

/** The gate's settings from the configured ones (PAYMENT_PROVIDER_BREAKER_*). */
export function providerGateSettings(config: ProviderGateConfig): ProviderGateSettings {
  const { consecutiveFailures, failureRatio, window, openMs, maxOpenMs, maxBackoffMs } = config;
  return {
    // The hold is for a non-idempotent provider; the gate's wiring sets it from the provider.
    breaker: {
      consecutiveFailures,
      failureRatio,
      window,
      openMs,
      maxOpenMs,
      holdAfterAmbiguous: true,
    },
    maxBackoffMs,
    // A 429 without Retry-After: a second, as most providers' limits are per second.
    defaultBackoffMs: Math.min(1_000, maxBackoffMs),
    probePollMs: 50,
  };
}

export function billingTuning(
  config: BillingConfig,
  overrides: Partial<BillingTuning> = {},
): BillingTuning {
  const concurrency = overrides.concurrency ?? config.concurrency;
  return {
    concurrency,
    attemptTimeoutMs: config.attemptTimeoutMs,
    pageSize: Math.min(500, Math.max(64, concurrency * 4)),
    outcomeBatchSize: 500,
    providerRetryDelayMs: exponentialBackoff(50, 2_000),
    providerGate: providerGateSettings(config.providerGate),
    chargePacer: chargePacerSettings(config.providerGate.maxChargesPerSecond),
    storeRetryDelayMs: exponentialBackoff(100, 5_000),
    conflictRetries: 8,
    runPollIntervalMs: 2_000,
    sweepIntervalMs: Math.max(1_000, Math.min(30_000, Math.floor(config.attemptTimeoutMs / 4))),
    sweepBatchSize: 200,
    projectionWaitMs: 30_000,
    readModelLagMs: 250,
    shutdownGraceMs: 10_000,
    ...overrides,
  };
}
