import { Command, InvalidArgumentError, Option } from 'commander';
import { parsePositiveInteger } from '../cli/parse-options';
import { parseFaultScript, type ScriptedOutage } from './fault-script';
import { LOST_ANSWERS, type LostAnswer } from './lost-answer';
import {
  DEFAULT_OUTCOME_RATES,
  ledgerFileProblem,
  MAX_LATENCY_MS,
  MAX_SEED,
  RATE_SUM_TOLERANCE,
  sumOfRates,
  type OutcomeRates,
  type SimulatedProviderConfig,
} from '../config/simulated-provider-config';

/** Everything the simulator server does, decided at start. */
export interface ProviderSimOptions {
  readonly host: string;
  /** 0: any free port (the ready line says which). */
  readonly port: number;
  /** Outcomes, latency, idempotency and the (fsynced) ledger file. */
  readonly provider: SimulatedProviderConfig & { readonly ledgerFile: string };
  /** The ways an ambiguous outcome's answer is lost, one drawn per key. */
  readonly lostAnswers: readonly LostAnswer[];
  /** How long an ambiguous answer is held when it is "delayed past the client's timeout". */
  readonly stallMs: number;
  /** Mean time between refused-connection windows; 0: no outages. */
  readonly outageEveryMs: number;
  /** Length of each window in which connections are refused. */
  readonly outageMs: number;
  /** Scripted outages (refused, 500, 503, 429 windows) at points of the run. */
  readonly faults: readonly ScriptedOutage[];
  /** The Retry-After (seconds) of a 429 or 503 window's answers. */
  readonly retryAfterS: number;
  /**
   * The declared processing deadline: a request is never processed later than this many
   * ms after it arrived (it is answered 503 instead); null or absent: none.
   */
  readonly deadlineMs?: number | null;
  /** Where to write what the scripted outages did (fault-log.ts); null or absent: nowhere. */
  readonly faultLog?: string | null;
}

// One flag per outcome rate; `paid` is what is left.
const RATE_FLAGS: Readonly<Record<keyof OutcomeRates, string>> = {
  declined: '--declined-rate',
  customer_not_found: '--customer-not-found-rate',
  currency_mismatch: '--currency-mismatch-rate',
  network_error: '--unavailable-rate',
  ambiguous_charged: '--ambiguous-charged-rate',
  ambiguous_not_charged: '--ambiguous-not-charged-rate',
};

const RATE_HELP: Readonly<Record<keyof OutcomeRates, string>> = {
  declined: 'share answered 402 declined (balance too low)',
  customer_not_found: 'share answered 404 CUSTOMER_NOT_FOUND',
  currency_mismatch: 'share answered 422 CURRENCY_MISMATCH',
  network_error: 'share answered 503 without processing (safe to retry)',
  ambiguous_charged:
    'share charged, then the answer is lost: connection dropped, 500, or held past the timeout',
  ambiguous_not_charged: 'share not charged, and the answer is lost the same ways',
};

/** The simulator's command line; parse errors name the flag (commander exits 1). */
export function providerSimCommand(): Command {
  const integer = (flag: string, max: number) => (value: string) => {
    const number = parsePositiveInteger(flag, value, 0);
    if (number > max) throw new InvalidArgumentError(`${flag} must be at most ${max}`);
    return number;
  };
  const rate = (flag: string) => (value: string) => {
    const number = Number(value);
    if (!/^(\d+\.?\d*|\.\d+)$/.test(value) || number > 1) {
      throw new InvalidArgumentError(`${flag} must be a decimal from 0 to 1, got "${value}"`);
    }
    return number;
  };
  const command = new Command('provider-sim')
    .description(
      'A payment provider over HTTP with its own durable ledger and seeded faults (docs/payments.md)',
    )
    .requiredOption('--ledger <file>', 'JSON-lines ledger, one fsynced line per processed request')
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option('--port <n>', 'port (0: any free port)', integer('--port', 65_535), 7100)
    .addOption(
      new Option('--mode <mode>', 'deduplicate by Idempotency-Key or not')
        .choices(['idempotent', 'non-idempotent'])
        .default('idempotent'),
    )
    .option('--no-lookup', 'do not answer GET /charges/{key}')
    .option('--seed <n>', 'seed of every outcome and fault', integer('--seed', MAX_SEED), 1)
    .option(
      '--latency-ms <n>',
      'time to process a charge',
      integer('--latency-ms', MAX_LATENCY_MS),
      0,
    )
    .option(
      '--jitter-ms <n>',
      'extra latency drawn per key from [0, n]',
      integer('--jitter-ms', MAX_LATENCY_MS),
      0,
    )
    .option(
      '--lost-answers <ways>',
      `how ambiguous answers are lost, comma-separated from ${LOST_ANSWERS.join(', ')}`,
      (value: string) => {
        const ways = value.split(',').map((way) => way.trim());
        const wrong = ways.filter((way) => !(LOST_ANSWERS as readonly string[]).includes(way));
        if (ways.length === 0 || wrong.length > 0) {
          throw new InvalidArgumentError(
            `--lost-answers takes ${LOST_ANSWERS.join(', ')}, got "${value}"`,
          );
        }
        return [...new Set(ways)];
      },
      [...LOST_ANSWERS],
    )
    .option(
      '--stall-ms <n>',
      'how long a held answer is held',
      integer('--stall-ms', MAX_LATENCY_MS),
      30_000,
    )
    .option(
      '--outage-every-ms <n>',
      'mean time between windows of refused connections (0: none)',
      integer('--outage-every-ms', 86_400_000),
      0,
    )
    .option(
      '--outage-ms <n>',
      'length of each refused-connection window',
      integer('--outage-ms', 600_000),
      500,
    )
    .option(
      '--faults <script>',
      'scripted outages: <after-requests>:<kind>=<ms>,... separated by ";" (kinds refused, 500, 503, 429)',
      (value: string) => {
        const parsed = parseFaultScript(value);
        if (!parsed.ok) throw new InvalidArgumentError(`--faults: ${parsed.message}`);
        return parsed.outages;
      },
      [],
    )
    .option(
      '--deadline-ms <n>',
      'never process a request later than this after it arrived (answer 503 instead); 0: no deadline',
      integer('--deadline-ms', 86_400_000),
      0,
    )
    .option(
      '--fault-log <file>',
      'JSON lines: when each scripted window opened and which requests it answered',
    )
    .option(
      '--retry-after-s <n>',
      'Retry-After of the answers in a 429 or 503 window',
      integer('--retry-after-s', 3_600),
      1,
    );
  for (const [outcome, flag] of Object.entries(RATE_FLAGS) as [keyof OutcomeRates, string][]) {
    command.option(
      `${flag} <rate>`,
      `${RATE_HELP[outcome]} (default ${DEFAULT_OUTCOME_RATES[outcome]})`,
      rate(flag),
    );
  }
  return command;
}

/** The parsed flags as options; throws InvalidArgumentError for what commander cannot check. */
export function toProviderSimOptions(flags: Record<string, unknown>): ProviderSimOptions {
  const ledgerFile = String(flags.ledger);
  const problem = ledgerFileProblem(ledgerFile);
  if (problem !== null) throw new InvalidArgumentError(`--ledger ${problem}`);
  const rates = Object.fromEntries(
    (Object.keys(RATE_FLAGS) as (keyof OutcomeRates)[]).map((outcome) => {
      const given = flags[camelCase(RATE_FLAGS[outcome])];
      return [outcome, typeof given === 'number' ? given : DEFAULT_OUTCOME_RATES[outcome]];
    }),
  ) as unknown as OutcomeRates;
  const total = sumOfRates(rates);
  if (total > 1 + RATE_SUM_TOLERANCE) {
    throw new InvalidArgumentError(
      `the rates add up to ${Number(total.toFixed(6))} (defaults included), more than 1`,
    );
  }
  return {
    host: String(flags.host),
    port: Number(flags.port),
    lostAnswers: flags.lostAnswers as LostAnswer[],
    stallMs: Number(flags.stallMs),
    outageEveryMs: Number(flags.outageEveryMs),
    outageMs: Number(flags.outageMs),
    faults: flags.faults as ScriptedOutage[],
    retryAfterS: Number(flags.retryAfterS),
    deadlineMs: Number(flags.deadlineMs) === 0 ? null : Number(flags.deadlineMs),
    faultLog: typeof flags.faultLog === 'string' ? flags.faultLog : null,
    provider: {
      seed: Number(flags.seed),
      latencyMs: Number(flags.latencyMs),
      latencyJitterMs: Number(flags.jitterMs),
      idempotent: flags.mode === 'idempotent',
      lookup: flags.lookup !== false,
      rates,
      ledgerFile,
      // The HTTP simulator runs on real time: no late payers (the in-process one has them).
      latePayers: {},
    },
  };
}

function camelCase(flag: string): string {
  return flag.replace(/^--/, '').replace(/-([a-z])/g, (_, letter: string) => letter.toUpperCase());
}
