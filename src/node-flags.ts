/**
 * How Node runs the service and the CLI. package.json's `start` and `cli` scripts and the
 * Dockerfile repeat these flags; the launchers in chaos/ and bench/ import them.
 *
 * The heap budget: the live heap stays small whatever the size of a run (pages and
 * batches, never the whole run), but V8 grows its heap lazily up to a default limit of
 * gigabytes on a large machine; with a budget it collects sooner, keeping the process's
 * memory near what it uses (figures: docs/benchmarks.md). Raise it for a provider
 * simulated in process over many millions of charges (its ledger is kept in memory).
 *
 * The young generation: twice V8's default semi-space (16 MB), because a charge lives a
 * provider's latency (hundreds of ms) and at a thousand in flight a small nursery copied
 * them all, scavenge after scavenge, into the old space (figures: docs/benchmarks.md,
 * Concurrency). It costs tens of MB of RSS, not hundreds.
 */
export const NODE_FLAGS: readonly string[] = [
  '--enable-source-maps',
  '--max-old-space-size=384',
  '--max-semi-space-size=32',
];
