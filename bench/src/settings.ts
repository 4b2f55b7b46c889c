import { adminDatabaseUrl } from '../../src/config/admin-database-url';

/**
 * What every workload of the suite shares. Antaeus runs with its defaults plus
 * BILLING_CONCURRENCY; each peer gets the tuning its own documentation recommends.
 */

/** Charges in flight, and appenders: the same for Antaeus and every peer. */
export const CONCURRENCY = 32;

/** Simulated provider latencies (ms) of the billing workloads. */
export const LATENCIES_MS = [0, 20] as const;

/** The simulator's seed: with the idempotency key it decides each outcome, so every
 * system sees the same paid/declined/error mix for the same invoices. */
export const SIMULATOR_SEED = 1;

/** Where the suite creates its scratch databases (TEST_ADMIN_DATABASE_URL or the default). */
export const ADMIN_URL = adminDatabaseUrl();

/**
 * graphile-worker's batching, as its performance page configures it
 * (worker.graphile.org/docs/performance): a local queue of 500 jobs and batched
 * completion and failure; a pool of concurrency + 2 as its maxPoolSize doc advises.
 */
export const GRAPHILE_WORKER_TUNING = {
  concurrentJobs: CONCURRENCY,
  maxPoolSize: CONCURRENCY + 2,
  localQueue: { size: 500 },
  completeJobBatchDelay: 0,
  failJobBatchDelay: 0,
} as const;

/**
 * pg-boss 10 has no per-worker concurrency: each work() call is one polling worker that
 * fetches `batchSize` jobs at a time (docs: "Each call to work() will add a new worker").
 * Workers × batch = CONCURRENCY charges in flight; of 1×32, 2×16, 4×8, 8×4 and 32×1,
 * one worker fetching 32 was the fastest here (32×1 the slowest, by 5–10×). A worker whose
 * batch held jobs is woken at once with notifyWorker() instead of sleeping out its polling
 * interval (at most one batch per 0.5 s otherwise).
 */
export const PG_BOSS_TUNING = {
  workers: 1,
  batchSize: CONCURRENCY,
  pollingIntervalSeconds: 0.5,
} as const;

/** Jobs per bulk insert while enqueueing (not timed). */
export const ENQUEUE_CHUNK = 5_000;
