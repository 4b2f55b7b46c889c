import { Command } from 'commander';
import { MAX_SEED } from '../src/config/simulated-provider-config';
import { parseFaultScript, type ScriptedOutage } from '../src/provider-sim/fault-script';
import { outagePlan } from './outage-plan';
import { parseCommandLine, type OptionReader, type ParsedCommandLine } from './parse-command-line';

export const PROVIDER_MODES = ['idempotent', 'non-idempotent'] as const;
export type ProviderMode = (typeof PROVIDER_MODES)[number];

/** Where the payment provider runs: inside each instance (shared ledger file) or as its own process. */
export const SIMULATORS = ['in-process', 'http'] as const;
export type SimulatorKind = (typeof SIMULATORS)[number];

export interface ChaosOptions {
  readonly seed: number;
  readonly instances: number;
  readonly invoices: number;
  readonly kills: number;
  readonly provider: ProviderMode;
  readonly pgRestart: boolean;
  readonly json: boolean;
  readonly timeoutS: number;
  readonly simulator: SimulatorKind;
  /** BILLING_CONCURRENCY of each instance. */
  readonly concurrency: number;
  readonly latencyMs: number;
  readonly jitterMs: number;
  /** BILLING_ATTEMPT_TIMEOUT: short, so the sweep settles a dead instance's attempts soon. */
  readonly attemptTimeoutMs: number;
  readonly lookup: boolean;
  /** Keep the work directories (ledger, logs, PostgreSQL data) even when the run is ok. */
  readonly keep: boolean;
  /** Provider outages (http simulator only): --faults as given, else --outages seeded ones. */
  readonly outages: readonly ScriptedOutage[];
  /** The simulator's 503s and lost answers on ordinary requests (--no-background-faults: none). */
  readonly backgroundFaults: boolean;
  /**
   * The provider's processing deadline (http simulator, with the lookup): the simulator
   * keeps it and the instances are told (PAYMENT_PROVIDER_DEADLINE_MS); null: none.
   */
  readonly providerDeadlineMs: number | null;
}

const HELP_AFTER = `
It starts its own throwaway PostgreSQL cluster (initdb into a temporary directory, on a
free port, fsync on), a payment provider simulator and --instances service processes
from the build in dist/ (npm run chaos builds first), seeds --invoices PENDING invoices,
starts a billing run over REST, kills instances with SIGKILL at seeded progress points
(fractions of the invoices the run has claimed) and restarts them, optionally crashes
PostgreSQL once (pg_ctl restart -m immediate), waits until the run settles, then checks:
  a. the provider's ledger holds at most one successful charge per invoice;
  b. every invoice is PAID, FAILED or UNKNOWN, and every charged invoice PAID or UNKNOWN;
  c. \`cli audit\` passes: the read models equal a replay of the log;
  d. non-idempotent provider: no ambiguous attempt was retried automatically;
--outages N (or --faults) also takes the provider down at points of the run: refused
connections, 500s, 503s and 429s with Retry-After; the report counts the invoices FAILED
for a network reason and the UNKNOWN ones per outage.
plus agreement of the ledger, the event log and the read models (who delivered what).

Requires the PostgreSQL server binaries (initdb, pg_ctl; found through
\`pg_config --bindir\` or /usr/lib/postgresql/*/bin). As root, they run as the
postgres user (runuser), since initdb refuses root.

Progress goes to stderr, the summary to stdout; with --json the last stdout line is one
JSON object. Exit code 0: ok; 1: a check failed or the run could not be carried out;
2: bad arguments. A failed run keeps its work directories and says where.
`;

/** The bounds of each option a run takes, shared with the sweep so they cannot disagree. */
export const RUN_LIMITS = {
  instances: [1, 16],
  invoices: [1, 1_000_000],
  kills: [0, 1_000],
  concurrency: [1, 1_000],
  latencyMs: [0, 60_000],
  jitterMs: [0, 60_000],
  timeoutS: [1, 86_400],
} as const satisfies Record<string, readonly [number, number]>;

function chaosCommand(): Command {
  return new Command('chaos')
    .description('Kill service instances mid-run and check that no money was lost or charged twice')
    .option('--seed <n>', 'seeds the kill plan and the simulator', '1')
    .option('--instances <n>', 'service processes', '3')
    .option('--invoices <n>', 'PENDING invoices to bill, one per customer', '5000')
    .option('--kills <n>', 'SIGKILLs (each followed by a restart)', '5')
    .option('--provider <mode>', 'idempotent or non-idempotent', 'non-idempotent')
    .option('--pg-restart', 'crash-restart PostgreSQL once mid-run', false)
    .option('--json', 'end stdout with one JSON line', false)
    .option('--timeout-s <n>', 'give up waiting for the run to settle after this long', '900')
    .option(
      '--simulator <kind>',
      'http (the provider-sim server) or in-process (ledger file)',
      'http',
    )
    .option('--concurrency <n>', 'BILLING_CONCURRENCY of each instance', '8')
    .option('--latency-ms <n>', 'provider latency per charge', '20')
    .option('--jitter-ms <n>', 'extra provider latency, up to this much', '20')
    .option('--attempt-timeout-ms <n>', 'BILLING_ATTEMPT_TIMEOUT of each instance', '4000')
    .option('--no-lookup', 'the provider cannot answer "what happened to key K"')
    .option('--keep', 'keep the work directories even when the run is ok', false)
    .option('--outages <n>', 'seeded provider outages (refused, 500, 503, 429 windows)', '0')
    .option(
      '--faults <script>',
      'scripted provider outages instead, e.g. "400:refused=6000,500=4000,429=4000"',
    )
    .option('--no-background-faults', 'no 503s or lost answers outside the outages')
    .option(
      '--provider-deadline-ms <n>',
      'the provider never processes a request later than this after arrival, and says so (0: no deadline)',
      '0',
    )
    .allowExcessArguments(false)
    .addHelpText('after', HELP_AFTER);
}

/** `npm run chaos -- <argv>` as options, the help text, or a message naming the bad argument. */
export function parseChaosArgs(argv: readonly string[]): ParsedCommandLine<ChaosOptions> {
  return parseCommandLine(chaosCommand(), argv, (read): ChaosOptions => ({
    seed: read.integer('seed', '--seed', 0, MAX_SEED),
    instances: read.integer('instances', '--instances', ...RUN_LIMITS.instances),
    invoices: read.integer('invoices', '--invoices', ...RUN_LIMITS.invoices),
    kills: read.integer('kills', '--kills', ...RUN_LIMITS.kills),
    provider: read.choice('provider', '--provider', PROVIDER_MODES),
    pgRestart: read.flag('pgRestart'),
    json: read.flag('json'),
    timeoutS: read.integer('timeoutS', '--timeout-s', ...RUN_LIMITS.timeoutS),
    simulator: read.choice('simulator', '--simulator', SIMULATORS),
    concurrency: read.integer('concurrency', '--concurrency', ...RUN_LIMITS.concurrency),
    latencyMs: read.integer('latencyMs', '--latency-ms', ...RUN_LIMITS.latencyMs),
    jitterMs: read.integer('jitterMs', '--jitter-ms', ...RUN_LIMITS.jitterMs),
    attemptTimeoutMs: read.integer('attemptTimeoutMs', '--attempt-timeout-ms', 100, 3_600_000),
    lookup: read.flag('lookup'),
    keep: read.flag('keep'),
    outages: readOutages(read),
    backgroundFaults: read.flag('backgroundFaults'),
    providerDeadlineMs: readProviderDeadline(read),
  }));
}

function readProviderDeadline(read: OptionReader): number | null {
  const deadline = read.integer('providerDeadlineMs', '--provider-deadline-ms', 0, 3_600_000);
  if (deadline === 0) return null;
  if (read.text('simulator') !== 'http' || !read.flag('lookup')) {
    read.problem('--provider-deadline-ms needs --simulator http and the lookup');
  }
  return deadline;
}

function readOutages(read: OptionReader): ScriptedOutage[] {
  const script = read.text('faults');
  const outages = read.integer('outages', '--outages', 0, 100);
  const simulator = read.text('simulator');
  if ((script !== undefined || outages > 0) && simulator !== 'http') {
    read.problem('--outages and --faults need --simulator http');
  }
  if (script === undefined) {
    const seed = Number(read.text('seed'));
    const invoices = Number(read.text('invoices'));
    return outagePlan({ seed, outages, invoices });
  }
  const parsed = parseFaultScript(script);
  if (parsed.ok) return parsed.outages;
  read.problem(`--faults: ${parsed.message}`);
  return [];
}
