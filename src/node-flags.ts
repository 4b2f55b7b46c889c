/**
 * How Node runs the service and the CLI. package.json's `start` and `cli` scripts and the
 * Dockerfile repeat these flags; the launchers in chaos/ and bench/ import them.
 *
 * The heap budget: the live heap stays near 100 MB whatever the size of a run (pages and
 * batches, never the whole run), but V8 grows its heap lazily up to a default limit of
 * gigabytes on a large machine: a 1,000,000-invoice run peaked at 942 MB RSS without a
 * budget. With 384 MB of old space it collects sooner: 200,000 invoices peaked at
 * 242 MB RSS instead of 414 MB, and ran no slower. Raise it for a provider simulated in
 * process over many millions of charges (its ledger is kept in memory).
 */
export const NODE_FLAGS: readonly string[] = ['--enable-source-maps', '--max-old-space-size=384'];
