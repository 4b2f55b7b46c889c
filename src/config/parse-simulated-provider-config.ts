import {
  DEFAULT_SIMULATED_PROVIDER_CONFIG,
  ledgerFileProblem,
  MAX_LATE_PAYER_DAYS,
  MAX_LATENCY_MS,
  MAX_SEED,
  RATE_SUM_TOLERANCE,
  sumOfRates,
  type FailureOutcome,
  type OutcomeRates,
  type SimulatedProviderConfig,
} from './simulated-provider-config';
import { EnvReader } from './env-reader';

type Env = Readonly<Record<string, string | undefined>>;

export type SimulatedProviderConfigResult =
  | { readonly ok: true; readonly config: SimulatedProviderConfig }
  | { readonly ok: false; readonly errors: readonly string[] };

/** One variable per failure outcome: SIMULATED_<OUTCOME>_RATE. */
export const RATE_VARIABLES: Readonly<Record<FailureOutcome, string>> = {
  declined: 'SIMULATED_DECLINED_RATE',
  customer_not_found: 'SIMULATED_CUSTOMER_NOT_FOUND_RATE',
  currency_mismatch: 'SIMULATED_CURRENCY_MISMATCH_RATE',
  network_error: 'SIMULATED_NETWORK_ERROR_RATE',
  ambiguous_charged: 'SIMULATED_AMBIGUOUS_CHARGED_RATE',
  ambiguous_not_charged: 'SIMULATED_AMBIGUOUS_NOT_CHARGED_RATE',
};

export const SIMULATED_VARIABLES: readonly string[] = [
  'SIMULATED_SEED',
  'SIMULATED_LATENCY_MS',
  'SIMULATED_LATENCY_JITTER_MS',
  'SIMULATED_IDEMPOTENT',
  'SIMULATED_LOOKUP',
  ...Object.values(RATE_VARIABLES),
  'SIMULATED_LEDGER_FILE',
  'SIMULATED_LATE_PAYERS',
];

/**
 * Reads the simulated provider's settings from the environment through the one
 * EnvReader (its grammar: src/config/env-reader.ts). Unset or blank variables take the
 * defaults; every problem is reported, each naming its variable. A SIMULATED_* variable
 * this parser does not know is an error: a typo in a rate name would otherwise silently
 * run with the default rate.
 */
export function parseSimulatedProviderConfig(env: Env): SimulatedProviderConfigResult {
  const defaults = DEFAULT_SIMULATED_PROVIDER_CONFIG;
  const read = new EnvReader(env);
  const config: SimulatedProviderConfig = {
    seed: read.integer('SIMULATED_SEED', defaults.seed, 0, MAX_SEED),
    latencyMs: read.integer('SIMULATED_LATENCY_MS', defaults.latencyMs, 0, MAX_LATENCY_MS),
    latencyJitterMs: read.integer(
      'SIMULATED_LATENCY_JITTER_MS',
      defaults.latencyJitterMs,
      0,
      MAX_LATENCY_MS,
    ),
    idempotent: read.boolean('SIMULATED_IDEMPOTENT', defaults.idempotent),
    lookup: read.boolean('SIMULATED_LOOKUP', defaults.lookup),
    rates: readRates(read, defaults.rates),
    ledgerFile: readLedgerFile(read, defaults.ledgerFile),
    latePayers: readLatePayers(read, defaults.latePayers),
  };
  const errors = [...read.problems, ...unknownVariables(env)];
  return errors.length === 0 ? { ok: true, config } : { ok: false, errors };
}

function readRates(read: EnvReader, defaults: OutcomeRates): OutcomeRates {
  const variables = Object.entries(RATE_VARIABLES) as [FailureOutcome, string][];
  const rates = Object.fromEntries(
    variables.map(([outcome, name]) => [outcome, read.fraction(name, defaults[outcome])]),
  ) as Record<FailureOutcome, number>;
  const total = sumOfRates(rates);
  if (total > 1 + RATE_SUM_TOLERANCE) {
    const names = Object.values(RATE_VARIABLES).join(', ');
    read.problem(
      `${names} must add up to at most 1 (defaults included), got ${Number(total.toFixed(6))}`,
    );
  }
  return rates;
}

function readLedgerFile(read: EnvReader, fallback: string | null): string | null {
  const name = 'SIMULATED_LEDGER_FILE';
  const path = read.string(name);
  if (path === undefined) return fallback;
  const problem = ledgerFileProblem(path);
  if (problem === null) return path;
  read.problem(`${name} ${problem}`);
  return fallback;
}

/** `acme:8,globex:20`: customer id, a colon, the day its money arrives (1..366). */
function readLatePayers(
  read: EnvReader,
  fallback: Readonly<Record<string, number>>,
): Readonly<Record<string, number>> {
  const name = 'SIMULATED_LATE_PAYERS';
  const text = read.string(name);
  if (text === undefined) return fallback;
  const payers: [string, number][] = [];
  for (const entry of text.split(',').map((each) => each.trim())) {
    const match = /^([^:\s]+):(\d{1,3})$/.exec(entry);
    const days = match ? Number(match[2]) : NaN;
    if (!match || days < 1 || days > MAX_LATE_PAYER_DAYS) {
      read.problem(
        `${name}: ${JSON.stringify(entry)} is not customerId:days (days 1 to ${MAX_LATE_PAYER_DAYS}), e.g. "acme:8,globex:20"`,
      );
      continue;
    }
    payers.push([match[1] as string, days]);
  }
  return Object.fromEntries(payers);
}

function unknownVariables(env: Env): string[] {
  return Object.keys(env)
    .filter((name) => name.startsWith('SIMULATED_') && !SIMULATED_VARIABLES.includes(name))
    .map((name) => `${name} is not a known variable; known: ${SIMULATED_VARIABLES.join(', ')}`);
}
