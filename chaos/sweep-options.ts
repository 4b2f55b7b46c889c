import { Command } from 'commander';
import { MAX_SEED } from '../src/config/simulated-provider-config';
import {
  PROVIDER_MODES,
  RUN_LIMITS,
  SIMULATORS,
  type ProviderMode,
  type SimulatorKind,
} from './chaos-options';
import { parseCommandLine, type OptionReader, type ParsedCommandLine } from './parse-command-line';

export interface SweepOptions {
  readonly seeds: number;
  readonly firstSeed: number;
  readonly modes: readonly ProviderMode[];
  /** Every K-th seed runs with --pg-restart (in every mode); 0: none. */
  readonly pgRestartEvery: number;
  /** Seeded provider outages (--outages) in the runs that have them; 0: none. */
  readonly outages: number;
  /** Which seeds have them: every K-th, counting from the first (1: every seed). */
  readonly outagesEvery: number;
  readonly invoices: number;
  readonly instances: number;
  readonly kills: number;
  readonly simulator: SimulatorKind;
  readonly concurrency: number;
  readonly latencyMs: number;
  readonly jitterMs: number;
  readonly timeoutS: number;
  /** The simulator's random 503s and lost answers (--no-background-faults: none). */
  readonly backgroundFaults: boolean;
  /** The provider's declared processing deadline in every run; 0: none. */
  readonly providerDeadlineMs: number;
  readonly json: boolean;
  /** Pass every run's progress (stderr) through. */
  readonly verbose: boolean;
}

/** --ci: a short pass for every commit, a few minutes on two cores. */
export const CI_PRESET = {
  seeds: 2,
  firstSeed: 1,
  provider: 'both',
  pgRestartEvery: 2,
  // Seed 1 (both modes) with one seeded provider outage; seed 2 restarts PostgreSQL.
  outages: 1,
  outagesEvery: 2,
  invoices: 300,
  instances: 3,
  kills: 2,
  // A slower provider: 300 invoices then take a few seconds, so the kills land while
  // the run is working, and the outage while it charges, not after it.
  concurrency: 8,
  latencyMs: 50,
  jitterMs: 50,
} as const;

const HELP_AFTER = `
Runs \`chaos\` (npm run chaos) once per seed and provider mode, one run at a time, each
as a child process with --json, and sums up: runs, ok, double charges, lost invoices,
UNKNOWN invoices, audit failures, by provider mode and PostgreSQL restart, and the
seeds that failed, each with the command that reproduces it. Exit code 1 if any run
was not ok, 2 for bad arguments.

--ci is a short pass for CI: seeds ${CI_PRESET.firstSeed} and ${CI_PRESET.firstSeed + 1} in both modes, ${CI_PRESET.invoices} invoices, ${CI_PRESET.instances} instances,
${CI_PRESET.kills} kills, concurrency ${CI_PRESET.concurrency}, provider latency ${CI_PRESET.latencyMs}+${CI_PRESET.jitterMs} ms; seed ${CI_PRESET.firstSeed} also
has ${CI_PRESET.outages} seeded provider outage, seed ${CI_PRESET.firstSeed + 1} crash-restarts PostgreSQL. Options given explicitly win.
`;

function sweepCommand(): Command {
  return new Command('chaos:sweep')
    .description('Run the chaos runner over many seeds and sum up')
    .option('--seeds <n>', 'how many seeds', '10')
    .option('--first-seed <n>', 'the first seed', '1')
    .option('--provider <mode>', 'idempotent, non-idempotent or both', 'both')
    .option('--pg-restart-every <k>', 'every k-th seed crash-restarts PostgreSQL (0: never)', '0')
    .option(
      '--outages <n>',
      'seeded provider outages per run (the runs --outages-every picks)',
      '0',
    )
    .option('--outages-every <k>', 'outages in every k-th seed, from the first (1: all)', '1')
    .option('--invoices <n>', 'invoices per run', '1000')
    .option('--instances <n>', 'service processes per run', '3')
    .option('--kills <n>', 'kills per run', '3')
    .option('--simulator <kind>', 'http or in-process', 'http')
    .option('--concurrency <n>', 'per run: BILLING_CONCURRENCY of each instance', '8')
    .option('--latency-ms <n>', 'per run: provider latency per charge', '20')
    .option('--jitter-ms <n>', 'per run: extra provider latency, up to this much', '20')
    .option('--timeout-s <n>', 'per run: give up waiting for it to settle after this long', '900')
    .option('--no-background-faults', 'per run: no 503s or lost answers outside the outages')
    .option('--provider-deadline-ms <n>', "per run: the provider's processing deadline", '0')
    .option('--json', 'end stdout with one JSON line', false)
    .option('--verbose', "show every run's progress", false)
    .option('--ci', 'the short CI pass (see below)', false)
    .allowExcessArguments(false)
    .addHelpText('after', HELP_AFTER);
}

/** `npm run chaos:sweep -- <argv>` as options, the help text, or a message naming the bad argument. */
export function parseSweepArgs(argv: readonly string[]): ParsedCommandLine<SweepOptions> {
  return parseCommandLine(sweepCommand(), argv, (read): SweepOptions => {
    const ci = read.flag('ci');
    const integer = (key: keyof typeof CI_PRESET, flag: string, min: number, max: number) => {
      const preset = CI_PRESET[key];
      return ci && !read.given(key) && typeof preset === 'number'
        ? preset
        : read.integer(key, flag, min, max);
    };
    return {
      seeds: integer('seeds', '--seeds', 1, 100_000),
      firstSeed: integer('firstSeed', '--first-seed', 0, MAX_SEED),
      modes: modes(read, ci),
      pgRestartEvery: integer('pgRestartEvery', '--pg-restart-every', 0, 100_000),
      outages: integer('outages', '--outages', 0, 100),
      outagesEvery: integer('outagesEvery', '--outages-every', 1, 100_000),
      invoices: integer('invoices', '--invoices', ...RUN_LIMITS.invoices),
      instances: integer('instances', '--instances', ...RUN_LIMITS.instances),
      kills: integer('kills', '--kills', ...RUN_LIMITS.kills),
      simulator: read.choice('simulator', '--simulator', SIMULATORS),
      concurrency: integer('concurrency', '--concurrency', ...RUN_LIMITS.concurrency),
      latencyMs: integer('latencyMs', '--latency-ms', ...RUN_LIMITS.latencyMs),
      jitterMs: integer('jitterMs', '--jitter-ms', ...RUN_LIMITS.jitterMs),
      timeoutS: read.integer('timeoutS', '--timeout-s', ...RUN_LIMITS.timeoutS),
      backgroundFaults: read.flag('backgroundFaults'),
      providerDeadlineMs: read.integer(
        'providerDeadlineMs',
        '--provider-deadline-ms',
        0,
        3_600_000,
      ),
      json: read.flag('json'),
      verbose: read.flag('verbose'),
    };
  });
}

function modes(read: OptionReader, ci: boolean): readonly ProviderMode[] {
  if (ci && !read.given('provider')) return PROVIDER_MODES;
  const choice = read.choice('provider', '--provider', [...PROVIDER_MODES, 'both'] as const);
  return choice === 'both' ? PROVIDER_MODES : [choice];
}

/** One run of the sweep. */
export interface SweepRun {
  readonly seed: number;
  readonly mode: ProviderMode;
  readonly pgRestart: boolean;
  /** Seeded provider outages in this run. */
  readonly outages: number;
}

/** Every run, seed by seed, each seed in every mode. */
export function sweepRuns(options: SweepOptions): SweepRun[] {
  return Array.from({ length: options.seeds }, (_, i) => {
    const seed = options.firstSeed + i;
    const pgRestart = options.pgRestartEvery > 0 && (i + 1) % options.pgRestartEvery === 0;
    const outages = i % options.outagesEvery === 0 ? options.outages : 0;
    return options.modes.map((mode) => ({ seed, mode, pgRestart, outages }));
  }).flat();
}

/** The runner's arguments for one run (also the command that reproduces it). */
export function chaosArgs(options: SweepOptions, run: SweepRun): string[] {
  return [
    ...['--seed', String(run.seed), '--provider', run.mode],
    ...['--invoices', String(options.invoices), '--instances', String(options.instances)],
    ...['--kills', String(options.kills), '--simulator', options.simulator],
    ...['--concurrency', String(options.concurrency)],
    ...['--latency-ms', String(options.latencyMs), '--jitter-ms', String(options.jitterMs)],
    ...['--timeout-s', String(options.timeoutS)],
    ...(run.pgRestart ? ['--pg-restart'] : []),
    ...(run.outages > 0 ? ['--outages', String(run.outages)] : []),
    ...(options.backgroundFaults ? [] : ['--no-background-faults']),
    ...(options.providerDeadlineMs > 0
      ? ['--provider-deadline-ms', String(options.providerDeadlineMs)]
      : []),
  ];
}
